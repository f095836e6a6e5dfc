/**
 * The subject's side of work "upstream": the backend (backend.js, a process of its own, forked when a request first
 * needs it and ended with the subject), the two clients that call it, and the figures the report carries.
 *
 * - evented: an undici Pool of `upstreamConnections` connections (pipelining 1, as a database pool lends one
 *   connection per query): calls beyond the pool's size wait in its queue, which undici counts (`stats.pending`).
 * - blocking, and on the pool's threads: the synchronous client of sync-http.js, which holds its calling thread.
 *
 * The backend's own figures (in flight at it, its answer times) do not pass through here: the host reads them from
 * the backend (`onListening` says where), so a call that holds this loop cannot hold them up.
 *
 * A backend that ends during the run is reported once (LOOPSCOPE_ERR_UPSTREAM_EXITED, with its exit code or
 * signal); calls from then on fail at once with a 502, which the crowd counts as errors: the run goes on, nothing
 * hangs. It is not restarted: a new run starts a new one.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Pool } from 'undici'
import { LabError, type ErrorInfo } from '../../../shared/errors'
import { LIMITS, type SubjectSettings } from '../../../shared/settings'
import type { SubjectUpstreamReport } from '../protocol'
import type { BackendToSubject } from './backend.js'
import { syncGet } from './sync-http.js'

/** No call waits longer than its own longest answer by more than this: a hung backend fails calls, not the run. */
const CALL_GRACE_MS = 10_000
/** The most a backend answer can take by the settings' limits, plus the grace: the evented pool's fixed timeouts. */
const POOL_TIMEOUT_MS = LIMITS.delayMs.max + LIMITS.upstreamJitterMs.max + CALL_GRACE_MS
/** Time the backend has to say it listens. */
const START_TIMEOUT_MS = 10_000

export interface Upstream {
  /** the URL one call asks for with these settings, starting the backend if it is not up yet */
  url(s: SubjectSettings): Promise<string>
  /** one evented call: resolves once the answer's body has been read */
  call(url: string, s: SubjectSettings): Promise<void>
  /** one synchronous call: holds this thread until the answer has come */
  callSync(url: string, s: SubjectSettings): void
  /** the timeout of one call with these settings (the pool threads' synchronous calls take it too) */
  timeoutMs(s: SubjectSettings): number
  /** counts a failed call (wherever it failed: here, on a pool thread, before it started) and gives the error its request is answered with */
  failed(err: unknown): LabError
  /** the subject's figures since the last report; undefined while the backend was never started */
  report(): SubjectUpstreamReport | undefined
  close(): Promise<void>
}

/** backend.js, next to this file: the same path under tsx, Vitest and a build that copies it alongside. */
export function defaultBackendFile(): string {
  return fileURLToPath(new URL('./backend.js', import.meta.url))
}

function upstreamFailed(message: string): LabError {
  // a 502 through the subject's coded error handler: the crowd counts it as an error (non2xx)
  return Object.assign(new LabError('LOOPSCOPE_ERR_UPSTREAM_FAILED', message), { statusCode: 502 })
}

export function buildUpstream(opts: {
  onExit: (error: ErrorInfo) => void
  /** the backend listens on this port: the host reads the backend's figures there */
  onListening?: (port: number) => void
  backendFile?: string
}): Upstream {
  let child: ChildProcess | null = null
  let origin: Promise<string> | null = null
  let ended: string | null = null
  let closing = false
  let pool: { connections: number; pool: Pool } | null = null
  const retiring = new Set<Pool>()
  let failed = 0

  const start = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const proc = fork(opts.backendFile ?? defaultBackendFile(), [], {
        // Inside Electron's utilityProcess the executable is Electron's: this makes it a plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
        serialization: 'json',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      child = proc
      const timer = setTimeout(() => reject(upstreamFailed('the backend did not start within 10 s')), START_TIMEOUT_MS)
      proc.on('message', (raw) => {
        const m = raw as BackendToSubject
        if (m.type === 'listening') {
          clearTimeout(timer)
          opts.onListening?.(m.port)
          resolve(`http://127.0.0.1:${m.port}`)
        }
      })
      proc.on('error', (err) => reject(upstreamFailed(`the backend could not be started: ${err.message}`)))
      proc.once('exit', (code, signal) => {
        clearTimeout(timer)
        ended = signal ? `signal ${signal}` : `exit code ${code}`
        reject(upstreamFailed(`the backend ended before it listened (${ended})`))
        if (closing) return
        opts.onExit({
          code: 'LOOPSCOPE_ERR_UPSTREAM_EXITED',
          message: `the backend process ended during the run (${ended}); its calls fail from now on: start the run again to restart it`,
          exit: { code, signal }
        })
      })
    })

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
      if (ended !== null) throw upstreamFailed(`the backend process has ended (${ended})`)
      origin ??= start()
      return `${await origin}/?delayMs=${s.delayMs}&jitterMs=${s.upstreamJitterMs}`
    },
    async call(url, s) {
      const target = new URL(url)
      const client = connectionsFor(target.origin, s.upstreamConnections)
      try {
        const { statusCode, body } = await client.request({ path: target.pathname + target.search, method: 'GET' })
        await body.dump()
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
      if (origin === null) return undefined
      let waiting = 0
      for (const p of [pool?.pool, ...retiring]) if (p) waiting += p.stats.pending
      const out: SubjectUpstreamReport = {
        up: ended === null,
        waitingForConnection: waiting,
        failed
      }
      failed = 0
      return out
    },
    async close() {
      closing = true
      const pools = [pool?.pool, ...retiring].filter((p): p is Pool => p !== undefined)
      pool = null
      await Promise.allSettled(pools.map((p) => p.destroy()))
      child?.kill('SIGKILL')
    }
  }
}
