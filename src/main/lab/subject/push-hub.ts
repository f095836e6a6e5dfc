/**
 * The broadcast hub: one bounded log, one publish path, three transports (/wait, /events, /ws). A message published
 * by any route is appended and serialised once, then handed to each transport's fan-out in turn, synchronously, so
 * every subscriber of every transport gets it exactly once and in id order. Each fan-out frames it once for its
 * transport and writes those same bytes to each of its connections.
 */
import { randomBytes } from 'node:crypto'
import type { SubjectPushReport, SubjectTransportReport } from '../protocol'
import type { Message, PushHello, PushTransport } from '../../../shared/wire'
import { MessageLog } from './long-poll-log'
import { epochMs } from '../../../shared/epoch'

/** What a transport gives the hub. */
export interface FanOut {
  /** write this message to every connection of the transport (json: the Message, serialised once) */
  deliver(message: Message, json: string): void
  /** connections (held requests, streams, sockets) open now */
  open(): number
  /** the subject is closing: say so to every connection and let it go */
  stop(): void
}

export type TransportCounts = Omit<SubjectTransportReport, 'open'>

const TRANSPORTS: readonly PushTransport[] = ['long-poll', 'sse', 'websocket']

export class PushHub {
  readonly log: MessageLog
  /** New at each start of the subject: a client that sees it change knows the ids count from 1 again. */
  readonly runId = randomBytes(6).toString('hex')
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

  /** askedAt: when the publisher asked (epoch ms), if known and plausible; else now */
  publish(text: string, askedAt: number = epochMs()): Message {
    const { message, json } = this.log.append(text, askedAt)
    for (const fanOut of this.fanOuts) fanOut.deliver(message, json)
    return message
  }

  /** call once the new connection counts among its transport's open ones */
  hello(): PushHello {
    let subscribers = 0
    for (const fanOut of this.fanOuts) subscribers += fanOut.open()
    return { type: 'hello', run: this.runId, next: this.log.published + 1, now: epochMs(), subscribers }
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
