/**
 * What the swarm (subscribers.ts) and its three transport clients agree on. The swarm owns the sockets, the
 * connection budget and the books; a client owns one connection's protocol: what to write once connected, how to
 * read what comes back, and what it means for the books (SwarmSink). A new client is made for each connection, so
 * a reconnect or a transport change starts from a clean parser, and only the subscriber (its from/last) carries over.
 */
import type { Socket } from 'node:net'
import type { Message, PushHello, PushTransport } from '../../../shared/wire'

/** One subscriber: its place in the books survives its connections and transport changes. */
export class Subscriber {
  socket: Socket | null = null
  stopped = false
  /** the first message id owed; 0 until it first asks */
  from = 0
  /** the newest message id received (or said missed); from − 1 before any */
  last = 0
  /** the subject process its stream's hello named ('' before any: long polling has none) */
  run = ''
  failures = 0
  retry: NodeJS.Timeout | null = null
  /** the last failure was the process running out of files */
  outOfFiles = false
  client: PushClient | null = null

  constructor(
    readonly index: number,
    public transport: PushTransport
  ) {}
}

export interface SwarmSink {
  /** where the subscriber resumes: the id after its last (on its first ask, it joins the books there) */
  resumeFrom(sub: Subscriber): number
  /** messages newer than sub.last, in order */
  deliver(sub: Subscriber, messages: readonly Message[], receivedAtMs: number): void
  /** a message at or below sub.last came again: dropped, counted */
  duplicate(sub: Subscriber): void
  /** the subject said `count` messages asked for had left its log */
  missed(sub: Subscriber, count: number): void
  /** a stream's hello: which subject process, and the id it publishes next */
  hello(sub: Subscriber, hello: PushHello): void
  /** a long poll answered [] (its timeout) */
  emptyAnswer(sub: Subscriber): void
  /** writes on the subscriber's socket, counting the bytes; `request`: it is one HTTP request (a poll) */
  write(sub: Subscriber, data: string | Buffer, request?: boolean): void
  /** long polling: the answer is read, ask again (after every answer read in this turn of the loop) */
  again(sub: Subscriber): void
}

export interface PushClient {
  /** the socket connected (long polling: or the previous answer was read): write the request or the handshake */
  ask(): void
  /** bytes read; throws on an answer this client cannot take (the swarm drops the connection: a failure) */
  feed(chunk: Buffer, receivedAtMs: number): void
  /** a close now would lose something (a poll unanswered, a stream cut): the swarm counts it a failure and backs off */
  readonly busy: boolean
  /** how long the connection may stay silent before the swarm drops it, ms; 0 = never */
  readonly idleLimitMs: number
}

/** Builds a connection's client; made once per transport by the swarm, so it may keep caches shared by all. */
export type ClientMaker = (sub: Subscriber, sink: SwarmSink) => PushClient

/** All subscribers receive the same broadcast: a text equal to the previous one is parsed once for everyone. */
export function lastParsed<T>(parse: (text: string) => T): (text: string) => T {
  let lastText: string | null = null
  let lastValue: T
  return (text) => {
    if (text !== lastText) {
      lastValue = parse(text)
      lastText = text
    }
    return lastValue!
  }
}
