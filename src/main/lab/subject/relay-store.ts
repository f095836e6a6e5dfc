/**
 * Store "memory" with several processes: the broadcast log is the cluster primary's, and every worker keeps a copy.
 * A publish on any worker goes to the primary (cluster IPC), which gives it the next id, appends it to its log and
 * sends it to every worker, the publisher included, in id order: each worker's hub delivers it to its own
 * subscribers, so a message reaches the subscribers of every process exactly once and in order. A worker that
 * starts (at the start, or in place of one that died) asks for the log first and serves nothing until it has it.
 *
 * Cost, measured (`npm run bench -- fanout`): one IPC message up and one down per worker per publish; the primary's
 * loop runs no request work, so it relays as fast as IPC goes.
 */
import type { Worker } from 'node:cluster'
import { randomBytes } from 'node:crypto'
import { LIMITS } from '../../../shared/settings'
import type { Message } from '../../../shared/wire'
import { epochMs } from '../../../shared/epoch'
import { MessageLog } from './long-poll-log'
import type { PushHub, SharedLog, StoreState } from './push-hub'

/** worker → primary */
export type RelayUp = { type: 'bc-join' } | { type: 'bc-publish'; seq: number; text: string; askedAt: number }
/** primary → worker */
export type RelayDown =
  { type: 'bc-log'; run: string; next: number; json: string[] } | { type: 'bc'; json: string; seq?: number }

export const isRelayDown = (m: unknown): m is RelayDown => {
  const type = (m as { type?: unknown } | null)?.type
  return type === 'bc-log' || type === 'bc'
}

const isRelayUp = (m: unknown): m is RelayUp => {
  const type = (m as { type?: unknown } | null)?.type
  return type === 'bc-join' || type === 'bc-publish'
}

/** The primary's side: the one log every worker's copy follows. */
export class RelayLog {
  /** the most any worker's logSize can ask for, so a live change of logSize finds what it needs */
  private readonly log = new MessageLog(() => LIMITS.logSize.max)
  private readonly run = randomBytes(6).toString('hex')

  /** Handles a worker's relay message (returns false for any other message, which the caller passes on). */
  handle(from: Worker, m: unknown, workers: Iterable<Worker>): boolean {
    if (!isRelayUp(m)) return false
    if (m.type === 'bc-join') {
      const { json } = this.log.range(1)
      send(from, { type: 'bc-log', run: this.run, next: this.log.next, json })
      return true
    }
    const askedAt = Number.isFinite(m.askedAt) ? m.askedAt : epochMs()
    const { json } = this.log.append(String(m.text), askedAt)
    for (const w of workers) send(w, w === from ? { type: 'bc', json, seq: m.seq } : { type: 'bc', json })
    return true
  }
}

function send(w: Worker, m: RelayDown): void {
  if (w.isConnected()) w.send(m, (err: unknown) => void err)
}

/** A worker's side: publishes go up, messages come down into its hub. */
export class RelayStore implements SharedLog {
  private seq = 0
  private readonly waiting = new Map<number, (message: Message) => void>()
  private joined: (() => void) | null = null

  constructor(
    private readonly hub: PushHub,
    private readonly up: (m: RelayUp) => void
  ) {}

  /** Asks the primary for the log; resolves once this worker's copy has it (then the worker may listen). */
  open(): Promise<void> {
    this.hub.share(this)
    return new Promise((resolve) => {
      this.joined = resolve
      this.up({ type: 'bc-join' })
    })
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  state(): StoreState {
    return { kind: 'memory', up: true, lost: 0 }
  }

  publish(text: string, askedAt: number): Promise<Message> {
    const seq = ++this.seq
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve)
      this.up({ type: 'bc-publish', seq, text, askedAt })
    })
  }

  /** A message from the primary. */
  receive(m: RelayDown): void {
    if (m.type === 'bc-log') {
      this.hub.runId = m.run
      this.hub.log.restore(m.next, m.json)
      this.joined?.()
      this.joined = null
      return
    }
    const message = JSON.parse(m.json) as Message
    // In IPC order, which is id order: never a gap, so 'gap' would be a broken relay (and is dropped, not guessed at).
    this.hub.receive(message, m.json)
    if (m.seq !== undefined) {
      this.waiting.get(m.seq)?.(message)
      this.waiting.delete(m.seq)
    }
  }
}
