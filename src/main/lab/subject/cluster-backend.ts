/**
 * Work "upstream" with several processes: the one backend is the cluster primary's (cluster-primary.ts). A worker
 * asks the primary for its address the first time a call needs it; the primary starts the backend then (once, for
 * all), tells the host where it listens (the host reads its figures there) and answers every worker that asks.
 * When the backend ends during the run the primary says so to the host, once, and to every worker, whose calls then
 * fail at once with a 502; a worker that starts later (in place of one that died) hears the same.
 */
import type { Worker } from 'node:cluster'
import type { ErrorInfo } from '../../../shared/errors'
import { ownBackend, upstreamFailed, type BackendSource } from './backend-source'

/** worker → primary */
export type BackendUp = { type: 'backend-wanted' }
/** primary → worker */
export type BackendDown =
  | { type: 'backend-at'; origin: string }
  | { type: 'backend-failed'; message: string }
  | { type: 'backend-ended'; ended: string }

export const isBackendDown = (m: unknown): m is BackendDown => {
  const type = (m as { type?: unknown } | null)?.type
  return type === 'backend-at' || type === 'backend-failed' || type === 'backend-ended'
}

function send(w: Pick<Worker, 'isConnected' | 'send'>, m: BackendDown): void {
  if (w.isConnected()) w.send(m, (err: unknown) => void err)
}

/** The primary's side: the backend, started when a worker first asks for it. */
export class ClusterBackend {
  private source: BackendSource | null = null
  private closed = false

  constructor(
    private readonly host: { error(error: ErrorInfo): void; listening(port: number): void },
    private readonly workers: () => Iterable<Worker>,
    /** how the backend is started (ownBackend; a stand-in in tests) */
    private readonly start: typeof ownBackend = ownBackend
  ) {}

  /** Handles a worker's backend message (returns false for any other message, which the caller passes on). */
  handle(from: Pick<Worker, 'isConnected' | 'send'>, m: unknown): boolean {
    if ((m as { type?: unknown } | null)?.type !== 'backend-wanted') return false
    // a worker still up during the stop's grace: no backend is started for a run that is ending
    if (this.closed) {
      send(from, { type: 'backend-failed', message: 'the subject is stopping' })
      return true
    }
    const source = (this.source ??= this.start({
      onExit: (error) => {
        this.host.error(error)
        for (const w of this.workers()) send(w, { type: 'backend-ended', ended: source.ended() ?? 'ended' })
      },
      onListening: (port) => this.host.listening(port)
    }))
    const ended = source.ended()
    if (ended !== null) {
      send(from, { type: 'backend-ended', ended })
      return true
    }
    source.origin().then(
      (origin) => send(from, { type: 'backend-at', origin }),
      (err: Error) =>
        send(
          from,
          source.ended() === null
            ? { type: 'backend-failed', message: err.message }
            : { type: 'backend-ended', ended: source.ended()! }
        )
    )
    return true
  }

  close(): void {
    this.closed = true
    this.source?.close()
  }
}

/** A worker's side: the primary's backend, asked for once. */
export class BackendOfPrimary implements BackendSource {
  private asked: Promise<string> | null = null
  private waiter: { resolve: (origin: string) => void; reject: (err: Error) => void } | null = null
  private how: string | null = null

  constructor(private readonly up: (m: BackendUp) => void) {}

  origin(): Promise<string> {
    if (this.how !== null) return Promise.reject(upstreamFailed(`the backend process has ended (${this.how})`))
    this.asked ??= new Promise<string>((resolve, reject) => {
      this.waiter = { resolve, reject }
      this.up({ type: 'backend-wanted' })
    })
    return this.asked
  }

  ended(): string | null {
    return this.how
  }

  /** the primary's backend is the primary's to end */
  close(): void {}

  /** A message from the primary. */
  receive(m: BackendDown): void {
    if (m.type === 'backend-at') this.waiter?.resolve(m.origin)
    else if (m.type === 'backend-failed') this.waiter?.reject(upstreamFailed(m.message))
    else {
      this.how = m.ended
      this.waiter?.reject(upstreamFailed(`the backend process has ended (${m.ended})`))
    }
    this.waiter = null
  }
}
