/**
 * The subject's side of work "upstream": the two clients that call the backend (backend.js, a process of its own:
 * where it comes from is backend-source.ts), and the figures the report carries.
 *
 * - evented: an undici Pool of `upstreamConnections` connections (pipelining 1, as a database pool lends one
 *   connection per query): calls beyond the pool's size wait in its queue, which undici counts (`stats.pending`);
 *   each request's timeline starts its work when a connection takes its call.
 * - blocking, and on the pool's threads: the synchronous client of sync-http.js, which holds its calling thread.
 *
 * The backend's own figures (in flight at it, its answer times) do not pass through here: the host reads them from
 * the backend, so a call that holds this loop cannot hold them up.
 *
 * A backend that ends during the run is reported once, by whoever started it; calls from then on fail at once with a
 * 502, which the crowd counts as errors: the run goes on, nothing hangs. It is not restarted: a new run starts a new
 * one.
 */
import { Pool } from 'undici'
import { LabError } from '../../../shared/errors'
import { LIMITS, type SubjectSettings } from '../../../shared/settings'
import type { SubjectUpstreamReport } from '../protocol'
import { upstreamFailed, type BackendSource } from './backend-source'
import { syncGet } from './sync-http.js'

/** No call waits longer than its own longest answer by more than this: a hung backend fails calls, not the run. */
const CALL_GRACE_MS = 10_000
/** The most a backend answer can take by the settings' limits, plus the grace: the evented pool's fixed timeouts. */
const POOL_TIMEOUT_MS = LIMITS.delayMs.max + LIMITS.upstreamJitterMs.max + CALL_GRACE_MS

export interface Upstream {
  /** the URL one call asks for with these settings, starting the backend if it is not up yet */
  url(s: SubjectSettings): Promise<string>
  /** one evented call: resolves once the answer's body has been read; `connected` runs when a connection of the pool
   * takes it (the wait before is for a connection, not at the backend) */
  call(url: string, s: SubjectSettings, connected?: () => void): Promise<void>
  /** one synchronous call: holds this thread until the answer has come */
  callSync(url: string, s: SubjectSettings): void
  /** the timeout of one call with these settings (the pool threads' synchronous calls take it too) */
  timeoutMs(s: SubjectSettings): number
  /** counts a failed call (wherever it failed: here, on a pool thread, before it started) and gives the error its request is answered with */
  failed(err: unknown): LabError
  /** the subject's figures since the last report; undefined while the backend was never asked for */
  report(): SubjectUpstreamReport | undefined
  close(): Promise<void>
}

/** `backend`: this process's own (ownBackend) or, a worker of several, the cluster primary's (cluster-backend.ts) */
export function buildUpstream(backend: BackendSource): Upstream {
  let asked = false
  let pool: { connections: number; pool: Pool } | null = null
  const retiring = new Set<Pool>()
  let failed = 0

  const connectionsFor = (o: string, connections: number): Pool => {
    if (pool?.connections === connections) return pool.pool
    if (pool) {
      const old = pool.pool
      retiring.add(old)
      // close() lets the calls it holds finish: a live change never fails a request
      void old.close().finally(() => retiring.delete(old))
    }
    const next = new Pool(o, {
      connections,
      pipelining: 1,
      headersTimeout: POOL_TIMEOUT_MS,
      bodyTimeout: POOL_TIMEOUT_MS
    })
    pool = { connections, pool: next }
    return next
  }

  const fail = (err: unknown): LabError => {
    failed++
    return err instanceof LabError ? err : upstreamFailed(`the backend call failed: ${(err as Error).message}`)
  }

  const timeoutMs = (s: SubjectSettings): number => s.delayMs + s.upstreamJitterMs + CALL_GRACE_MS

  return {
    async url(s) {
      asked = true
      return `${await backend.origin()}/?delayMs=${s.delayMs}&jitterMs=${s.upstreamJitterMs}`
    },
    async call(url, s, connected) {
      const target = new URL(url)
      const client = connectionsFor(target.origin, s.upstreamConnections)
      try {
        // dispatch, not request(): its handler hears when the call is written on a connection (onRequestStart),
        // which request() keeps to itself; the body is read and dropped
        const statusCode = await new Promise<number>((resolve, reject) => {
          let status = 0
          client.dispatch(
            { origin: target.origin, path: target.pathname + target.search, method: 'GET' },
            {
              onRequestStart: () => connected?.(),
              onResponseStart: (_c, code) => void (status = code),
              onResponseData: () => {},
              onResponseEnd: () => resolve(status),
              onResponseError: (_c, err) => reject(err)
            }
          )
        })
        if (statusCode !== 200) throw new Error(`status ${statusCode}`)
      } catch (err) {
        throw upstreamFailed(`the backend call failed: ${(err as Error).message}`)
      }
    },
    callSync(url, s) {
      const status = syncGet(url, timeoutMs(s))
      if (status !== 200) throw new Error(`the backend answered ${status}`)
    },
    timeoutMs,
    failed: fail,
    report() {
      if (!asked) return undefined
      let waiting = 0
      for (const p of [pool?.pool, ...retiring]) if (p) waiting += p.stats.pending
      const out: SubjectUpstreamReport = {
        up: backend.ended() === null,
        waitingForConnection: waiting,
        failed
      }
      failed = 0
      return out
    },
    async close() {
      const pools = [pool?.pool, ...retiring].filter((p): p is Pool => p !== undefined)
      pool = null
      await Promise.allSettled(pools.map((p) => p.destroy()))
      backend.close()
    }
  }
}
