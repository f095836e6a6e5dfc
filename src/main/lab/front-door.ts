/**
 * The front door: a small evented HTTP proxy in the Lab's process, between the crowd and the app (the subject's
 * process), put there only when a run starts with `frontDoor` on. It is what lets traffic be held and the app be
 * replaced without failing a request: the crowd's connections end here, not in the app, so the app's process can
 * go and a new one come while requests wait in front of it.
 *
 * HTTP-aware, not a TCP relay: a held request is one the door has read whole and not yet sent on, so "held" counts
 * requests (not connections) and release sends them to the app in the order they arrived. Normal runs have no
 * door: it costs a hop (a parse and a write more in the Lab's loop per request; `npm run bench -- hold` says how
 * much), so it is there only when asked for. HTTP only: a WebSocket upgrade is not carried.
 *
 * A request the app does not answer — its process killed with the request on it (reset), or no process listening
 * yet (refused) — is failed to the crowd by closing its connection, as the app's own death would have; the door
 * counts which of the two it was.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool } from 'undici'

/** Headers that belong to one hop (RFC 9110 §7.6.1): each side of the door has its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host'
])

export interface FrontDoorCounts {
  /** traffic is held right now */
  held: boolean
  /** requests waiting at the door for a release, now */
  waiting: number
  /** requests sent on to the app and not yet answered, now */
  atApp: number
  /** times traffic was held over the run */
  holds: number
  /** requests that waited at a hold over the run */
  heldRequests: number
  /** the longest any request waited at a hold, ms (those still waiting count up to now); null with none held */
  longestHoldMs: number | null
  /** requests the door could not deliver: the app's process went with them on it, or no app was listening */
  failedAtApp: { reset: number; refused: number }
}

interface Waiting {
  req: IncomingMessage
  res: ServerResponse
  arrivedAt: number
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value
  return out
}

export class FrontDoor {
  private readonly server: Server
  private pool: Pool | null = null
  private readonly queue: Waiting[] = []
  private held = false
  private holds = 0
  private heldRequests = 0
  private longestHoldMs: number | null = null
  private atApp = 0
  private readonly failedAtApp = { reset: 0, refused: 0 }
  private drainWaiters: (() => void)[] = []

  constructor() {
    this.server = createServer({ keepAliveTimeout: 120_000 }, (req, res) => this.arrive(req, res))
  }

  /** Listens on 127.0.0.1 (or every interface, shared); resolves with the port. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen({ port, host, backlog: 4096 }, () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    return (this.server.address() as AddressInfo).port
  }

  /** Where requests go from now on: the app's port. The previous app's pool is closed (its process is gone). */
  target(port: number): void {
    const previous = this.pool
    // no cap on connections: the crowd's concurrency already bounds how many requests are on their way
    this.pool = new Pool(`http://127.0.0.1:${port}`, { connections: null, pipelining: 1, keepAliveTimeout: 60_000 })
    void previous?.destroy().catch(() => {})
  }

  hold(): void {
    if (this.held) return
    this.held = true
    this.holds++
  }

  /** Sends every waiting request on, in arrival order. */
  release(now = performance.now()): void {
    this.held = false
    for (const waiting of this.queue.splice(0)) {
      if (waiting.res.destroyed) continue
      this.noteWait(now - waiting.arrivedAt)
      this.dispatch(waiting.req, waiting.res)
    }
  }

  /** Resolves once no request is at the app (or after `timeoutMs`, with some still there). */
  drained(timeoutMs: number): Promise<void> {
    if (this.atApp === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      this.drainWaiters.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  counts(now = performance.now()): FrontDoorCounts {
    const oldest = this.queue[0]
    const waitingMs = oldest ? now - oldest.arrivedAt : null
    const longest = waitingMs === null ? this.longestHoldMs : Math.max(this.longestHoldMs ?? 0, waitingMs)
    return {
      held: this.held,
      waiting: this.queue.length,
      atApp: this.atApp,
      holds: this.holds,
      heldRequests: this.heldRequests,
      longestHoldMs: longest === null ? null : Math.round(longest),
      failedAtApp: { ...this.failedAtApp }
    }
  }

  async close(): Promise<void> {
    for (const waiting of this.queue.splice(0)) waiting.res.destroy()
    this.server.closeAllConnections()
    await Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      this.pool?.destroy().catch(() => {})
    ])
  }

  private arrive(req: IncomingMessage, res: ServerResponse): void {
    if (!this.held) {
      this.dispatch(req, res)
      return
    }
    this.heldRequests++
    this.queue.push({ req, res, arrivedAt: performance.now() })
  }

  private noteWait(ms: number): void {
    this.longestHoldMs = Math.max(this.longestHoldMs ?? 0, ms)
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const pool = this.pool
    if (!pool) {
      this.fail(res, 'refused')
      return
    }
    this.atApp++
    const abort = new AbortController()
    res.once('close', () => abort.abort())
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    pool
      .request({
        path: req.url ?? '/',
        method: (req.method ?? 'GET') as 'GET',
        headers: forwardedHeaders(req.headers),
        body: hasBody ? req : null,
        signal: abort.signal
      })
      .then(({ statusCode, headers, body }) => {
        res.writeHead(statusCode, forwardedHeaders(headers as IncomingHttpHeaders))
        body.on('error', () => this.fail(res, 'reset'))
        body.on('end', () => res.end())
        body.on('data', (chunk: Buffer) => res.write(chunk))
        return new Promise<void>((resolve) => res.once('close', resolve))
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return
        this.fail(res, (err as { code?: unknown }).code === 'ECONNREFUSED' ? 'refused' : 'reset')
      })
      .finally(() => {
        if (--this.atApp === 0) for (const wake of this.drainWaiters.splice(0)) wake()
      })
  }

  /** As the app's own death would: the crowd's connection closes with no answer. */
  private fail(res: ServerResponse, kind: 'reset' | 'refused'): void {
    if (res.destroyed) return
    this.failedAtApp[kind]++
    res.destroy()
  }
}
