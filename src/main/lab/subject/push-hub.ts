/**
 * The broadcast hub: one bounded log, one publish path, three transports (/wait, /events, /ws). A message published
 * by any route is appended and serialised once, then handed to each transport's fan-out in turn, synchronously, so
 * every subscriber of every transport gets it exactly once and in id order. Each fan-out frames it once for its
 * transport and writes those same bytes to each of its connections.
 *
 * Where the ids come from: this process's own log (one process, store "memory"), or a store every process of the
 * subject shares (broadcast-store.ts: the cluster's primary, or Redis), which hands each message to every process's
 * hub through receive(), the publisher's own included, in id order. The local log is then that process's copy of the
 * shared one, which every answer (since=, Last-Event-ID, the replay of a new socket) is read from.
 */
import { randomBytes } from 'node:crypto'
import type { SubjectPushReport, SubjectStoreReport, SubjectTransportReport } from '../protocol'
import type { Message, PushHello, PushTransport } from '../../../shared/wire'
import { MessageLog } from './long-poll-log'
import { SUBJECT_WORKER_ENV } from './launch'
import { epochMs } from '../../../shared/epoch'

/** Where the log's ids are assigned when several processes (or restarts) share one log (broadcast-store.ts). */
export interface SharedStore {
  /** resolves with the message once the store gave it its id; its delivery comes through receive(), in order */
  publish(text: string, askedAt: number): Promise<Message>
}

/** What the report says of the log's store. */
export type StoreState = SubjectStoreReport

/** A shared store as the subject opens and closes it (relay-store.ts, redis-store.ts). */
export interface SharedLog extends SharedStore {
  /** joins the shared log: the hub's copy holds it when this resolves, and the subject may listen */
  open(): Promise<void>
  close(): Promise<void>
  state(): StoreState
}

/** A publish refused because the shared store cannot take it (Redis gone): 503, with the reason. */
export class StoreUnavailable extends Error {
  readonly code = 'LOOPSCOPE_ERR_STORE_UNAVAILABLE'
  readonly statusCode = 503
}

/** What a transport gives the hub. */
export interface FanOut {
  /** write this message to every connection of the transport (json: the Message, serialised once) */
  deliver(message: Message, json: string): void
  /** connections (held requests, streams, sockets) open now */
  open(): number
  /** the subject is closing: say so to every connection and let it go */
  stop(): void
  /** the shared store went away: answer what is held (long polling's [] now) so no one hangs on it */
  release?(): void
}

export type TransportCounts = Omit<SubjectTransportReport, 'open'>

/** which process of several this is (cluster-primary.ts sets it at the fork); undefined with one */
const WORKER = process.env[SUBJECT_WORKER_ENV] ? Number(process.env[SUBJECT_WORKER_ENV]) : undefined

const TRANSPORTS: readonly PushTransport[] = ['long-poll', 'sse', 'websocket']

export class PushHub {
  readonly log: MessageLog
  /**
   * The log's identity: a client that sees it change knows the ids count from 1 again. New at each start of a
   * one-process subject; a shared store gives its own (the same on every process, and on Redis across restarts).
   */
  runId = randomBytes(6).toString('hex')
  /** while the shared store cannot take publishes: why, in the user's words (null when it can) */
  unavailable: string | null = null
  private store: SharedStore | null = null
  /** set as the subject starts to close: new subscribers are told at once */
  closing = false
  readonly counts = Object.fromEntries(
    TRANSPORTS.map((t) => [t, { slowConsumersCut: 0, refused: 0, bytesWritten: 0 }])
  ) as Record<PushTransport, TransportCounts>
  private readonly fanOuts: FanOut[] = []
  private readonly byTransport = new Map<PushTransport, FanOut>()

  constructor(logSize: () => number) {
    this.log = new MessageLog(logSize)
  }

  attach(transport: PushTransport, fanOut: FanOut): void {
    this.fanOuts.push(fanOut)
    this.byTransport.set(transport, fanOut)
  }

  /** From now on ids come from this store, and messages arrive through receive(). */
  share(store: SharedStore): void {
    this.store = store
  }

  /**
   * askedAt: when the publisher asked (epoch ms), if known and plausible; else now. With this process's own log the
   * message has reached every subscriber by the time this returns; with a shared store it resolves once the store
   * has given it its id, and reaches them through receive(). Rejects with StoreUnavailable while the store is away.
   */
  publish(text: string, askedAt: number = epochMs()): Promise<Message> {
    if (this.store === null) {
      const { message, json } = this.log.append(text, askedAt)
      this.fanOut(message, json)
      return Promise.resolve(message)
    }
    if (this.unavailable !== null) return Promise.reject(new StoreUnavailable(this.unavailable))
    return this.store.publish(text, askedAt)
  }

  /**
   * A message of the shared store, in id order: kept and delivered when it is the next id ('kept'), skipped when it
   * is already here ('old'); 'gap' when some before it have not arrived (the caller fetches them, then this again).
   */
  receive(message: Message, json: string): 'kept' | 'old' | 'gap' {
    if (message.id < this.log.next) return 'old'
    if (!this.log.accept(message, json)) return 'gap'
    this.fanOut(message, json)
    return 'kept'
  }

  /** The shared store went away (reason, in the user's words) or came back (null). */
  setUnavailable(reason: string | null): void {
    this.unavailable = reason
    if (reason !== null) for (const fanOut of this.fanOuts) fanOut.release?.()
  }

  private fanOut(message: Message, json: string): void {
    for (const fanOut of this.fanOuts) fanOut.deliver(message, json)
  }

  /** call once the new connection counts among its transport's open ones */
  hello(): PushHello {
    let subscribers = 0
    for (const fanOut of this.fanOuts) subscribers += fanOut.open()
    return {
      type: 'hello',
      run: this.runId,
      next: this.log.published + 1,
      now: epochMs(),
      subscribers,
      ...(WORKER !== undefined && { process: WORKER })
    }
  }

  open(transport: PushTransport): number {
    return this.byTransport.get(transport)?.open() ?? 0
  }

  stop(): void {
    this.closing = true
    for (const fanOut of this.fanOuts) fanOut.stop()
  }

  report(): SubjectPushReport {
    const part = (t: PushTransport): SubjectTransportReport => ({ open: this.open(t), ...this.counts[t] })
    return { 'long-poll': part('long-poll'), sse: part('sse'), websocket: part('websocket') }
  }
}
