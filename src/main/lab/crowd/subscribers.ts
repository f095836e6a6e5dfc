/**
 * The long-poll subscribers: N loops of `GET /wait?since=last+1`, each on its own keep-alive connection, as
 * nodecast's page did. Each received message is timed publish → received (both clocks are
 * performance.timeOrigin + performance.now(), in two processes of one machine: good to well under a millisecond),
 * into an HDR histogram in microseconds that tick() hands over and resets.
 *
 * Why raw `net` sockets and a 100-line parser instead of undici: this is the one place where the client's own cost
 * is the measurement's noise floor. DESIGN.md records undici subscribers fanning out ~3× slower at 10,000 and costing
 * 12 KB each on the client (not re-measured here); bench/long-poll.ts measures this swarm at 4–6 KB per subscriber
 * (crowd RSS) on the 2-core CI machine. A subscriber is one socket, one small object and one parser; reads land in
 * one shared buffer (net's `onread`), and an answer equal to the previous one (all subscribers get the same
 * broadcast) is JSON-parsed once for everyone.
 *
 * The books: a subscriber's first poll asks `since=from`, where `from` is the id after the newest the swarm has seen
 * (in any answer, or from the publisher: noteLatest), and every later one `since=last+1`. So it is owed every
 * message from `from` on, and what it received plus what the subject said it missed (x-loopscope-missed) always
 * covers `from..last` exactly. tick() hands over the sums that let the host count what is owed at any last id
 * (SwarmBooks) — a few additions per answer, nothing per message.
 *
 * Sockets are opened a bounded number at a time (MAX_CONNECTING in flight), so growing to 19,000 never overruns the
 * subject's listen backlog (511+); removing subscribers destroys their sockets at once. Errors back off, capped and
 * jittered, per subscriber: the swarm never hammers a subject that is down.
 */
import { connect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { LabError } from '../../../shared/errors'
import { LIMITS } from '../../../shared/settings'
import type { LongPollBooks } from '../protocol'
import { buildHistogram, encodeHistogram, recordMs, type Histogram } from '../histogram'
import type { Message } from '../../../shared/wire'
import { ResponseParser, type ParsedResponse } from './subscriber-http'
import { DEFAULT_RESERVE_FDS, limitSentence, maxSubscribers } from './subscriber-limits'

export { maxSubscribers, type SubscriberLimit } from './subscriber-limits'

export interface SwarmOptions {
  /** e.g. http://127.0.0.1:43210 */
  origin: string
  pollTimeoutMs: number
  /** open files kept for the rest of the process (the load generator's connections count here); default 500 */
  reserveFds?: number
  /** test hook: every non-empty answer, per subscriber index (0-based, stable while the subscriber lives) */
  onMessages?: (subscriberIndex: number, messages: readonly Message[], receivedAtMs: number) => void
}

/** See the module comment and LongPollFigures. */
export type SwarmBooks = LongPollBooks

export interface SwarmTick {
  /** subscribers with an open connection now */
  subscribers: number
  /** messages received since the previous tick */
  delivered: number
  /** empty answers ([] after the poll timeout) since the previous tick */
  timeouts: number
  /** failed polls since the previous tick (each is followed by a back-off) */
  errors: number
  /** publish → received, microseconds, hdr-histogram-js compressed base64; '' when none */
  deliveryHistogram: string
  /** why fewer subscribers than asked run, if so */
  limitNote: string | null
  books: SwarmBooks
}

const MAX_CONNECTING = 256
const BACKOFF_BASE_MS = 100
const BACKOFF_CAP_MS = 5_000

const nowMs = (): number => performance.timeOrigin + performance.now()

class Subscriber {
  socket: Socket | null = null
  connected = false
  stopped = false
  /** the first message id owed; 0 until the first poll */
  from = 0
  /** the newest message id received (or said missed); from − 1 before any */
  last = 0
  failures = 0
  retry: NodeJS.Timeout | null = null
  readonly parser = new ResponseParser()
  /** a request was written and its answer has not come yet */
  waiting = false
  /** the last failure was the process running out of files */
  outOfFiles = false

  constructor(readonly index: number) {}
}

export class SubscriberSwarm {
  private readonly host: string
  private readonly port: number
  private readonly reserveFds: number
  private readonly onMessages: SwarmOptions['onMessages']
  private pollTimeoutMs: number
  private readonly subs: Subscriber[] = []
  private readonly toConnect: Subscriber[] = []
  private connecting = 0
  private pumpScheduled: NodeJS.Immediate | null = null
  private repoll: Subscriber[] = []
  private repollScheduled: NodeJS.Immediate | null = null
  private openSockets = 0
  private connectedCount = 0
  private asked = 0
  private limitNote: string | null = null
  private closed = false
  private onAllClosed: (() => void) | null = null

  private delivered = 0
  private timeouts = 0
  private errors = 0
  // the books (see SwarmBooks); sumLast is Σ last over the joined, for behind()
  private joined = 0
  private fromSum = 0
  private sumLast = 0
  private closedOwed = 0
  private missed = 0
  private latest = 0
  private readonly histogram: Histogram

  // all subscribers receive the same broadcast: parse a body once, not once per subscriber
  private lastBody = ''
  private lastMessages: Message[] = []
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024)

  constructor(options: SwarmOptions) {
    const url = new URL(options.origin)
    if (url.protocol !== 'http:') throw new LabError('LOOPSCOPE_ERR_CROWD_FAILED', `subscribers speak plain http:// only (got ${options.origin})`)
    this.host = url.hostname.replace(/^\[|\]$/g, '')
    this.port = Number(url.port || 80)
    this.reserveFds = options.reserveFds ?? DEFAULT_RESERVE_FDS
    this.onMessages = options.onMessages
    this.pollTimeoutMs = options.pollTimeoutMs
    this.histogram = buildHistogram()
  }

  /** subscriber loops running or starting: what setCount asked for, or the open-file limit if that is lower */
  get count(): number {
    return this.subs.length
  }

  setCount(n: number): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', `subscribers must be a non-negative integer (got ${String(n)})`)
    }
    if (this.closed) return
    this.asked = n
    const limit = maxSubscribers(this.reserveFds)
    const target = Math.min(n, limit.max)
    this.limitNote = target < n ? limitSentence(n, limit, this.reserveFds) : null
    while (this.subs.length > target) this.retire(this.subs.pop()!)
    while (this.subs.length < target) {
      const sub = new Subscriber(this.subs.length)
      this.subs.push(sub)
      this.toConnect.push(sub)
    }
    this.schedulePump()
  }

  /**
   * The poll timeout the subject uses is its own setting; the swarm keeps it to tell a slow answer from a lost one
   * (a connection silent for twice the timeout plus a margin is dropped and retried).
   */
  setPollTimeout(ms: number): void {
    if (!Number.isInteger(ms) || ms < LIMITS.pollTimeoutMs.min || ms > LIMITS.pollTimeoutMs.max) {
      throw new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', `pollTimeoutMs must be an integer from ${LIMITS.pollTimeoutMs.min} to ${LIMITS.pollTimeoutMs.max} (got ${String(ms)})`)
    }
    this.pollTimeoutMs = ms
    for (const sub of this.subs) if (sub.socket) sub.socket.setTimeout(this.idleLimitMs())
  }

  /** The publisher's answer named a message: a subscriber that joins now is owed only the ones after it. */
  noteLatest(id: number): void {
    if (id > this.latest) this.latest = id
  }

  /** Deliveries still owed for the messages seen so far (missed ones count as settled): 0 = every joined subscriber is up to date. */
  behind(): number {
    return this.joined * this.latest - this.sumLast
  }

  tick(): SwarmTick {
    const deliveryHistogram = encodeHistogram(this.histogram)
    this.histogram.reset()
    let outOfFiles = 0
    for (const sub of this.subs) if (sub.outOfFiles) outOfFiles++
    const note =
      this.limitNote ??
      (outOfFiles > 0
        ? `${outOfFiles.toLocaleString('en-US')} of ${this.asked.toLocaleString('en-US')} subscribers cannot connect: ` +
          'the system refused to open more files (EMFILE); they keep retrying.'
        : null)
    const out: SwarmTick = {
      subscribers: this.connectedCount,
      delivered: this.delivered,
      timeouts: this.timeouts,
      errors: this.errors,
      deliveryHistogram,
      limitNote: note,
      books: {
        joined: this.joined,
        fromSum: this.fromSum,
        closedOwed: this.closedOwed,
        missed: this.missed,
        latest: this.latest,
        drainMs: null
      }
    }
    this.delivered = this.timeouts = this.errors = 0
    return out
  }

  /** Closes every socket and clears every timer; resolves once all sockets have closed. */
  close(): Promise<void> {
    this.closed = true
    if (this.pumpScheduled) clearImmediate(this.pumpScheduled)
    if (this.repollScheduled) clearImmediate(this.repollScheduled)
    this.pumpScheduled = this.repollScheduled = null
    this.repoll = []
    this.toConnect.length = 0
    while (this.subs.length > 0) this.stop(this.subs.pop()!)
    if (this.openSockets === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.onAllClosed = resolve
    })
  }

  // ── connections ────────────────────────────────────────────────────────────────────────────────────────────

  private idleLimitMs(): number {
    return 2 * this.pollTimeoutMs + 5_000
  }

  private schedulePump(): void {
    if (this.pumpScheduled === null && this.toConnect.length > 0 && !this.closed) {
      this.pumpScheduled = setImmediate(() => {
        this.pumpScheduled = null
        this.pump()
      })
    }
  }

  private pump(): void {
    while (this.connecting < MAX_CONNECTING && this.toConnect.length > 0) {
      const sub = this.toConnect.shift()!
      if (!sub.stopped) this.open(sub)
    }
  }

  private open(sub: Subscriber): void {
    this.connecting++
    this.openSockets++
    // onread with one shared buffer: no 64-KB allocation per read, which at 10,000 answers in a burst is most of
    // the client's garbage. The parser copies whatever it has to keep.
    const socket: Socket = connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: { buffer: this.readBuffer, callback: (bytes: number, buffer: Uint8Array): boolean => this.onData(sub, socket, bytes, buffer) }
    })
    sub.socket = socket
    sub.parser.reset()
    let pendingConnect = true
    const settle = (): void => {
      if (pendingConnect) {
        pendingConnect = false
        this.connecting--
        this.schedulePump()
      }
    }
    socket.setTimeout(this.idleLimitMs())
    socket.on('connect', () => {
      settle()
      sub.connected = true
      sub.outOfFiles = false
      this.connectedCount++
      this.poll(sub)
    })
    socket.on('timeout', () => socket.destroy(new Error('no answer within twice the poll timeout')))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EMFILE' || err.code === 'ENFILE') sub.outOfFiles = true
    })
    socket.on('close', () => {
      settle()
      this.openSockets--
      const wasConnected = sub.connected
      if (wasConnected) this.connectedCount--
      sub.connected = false
      const wasMine = sub.socket === socket
      if (wasMine) sub.socket = null
      if (wasMine && !sub.stopped) {
        // A refused connection or a close in the middle of a poll is a failure; a close between polls (the server
        // ended an idle keep-alive connection, or asked to with connection: close) is not.
        if (!wasConnected || sub.waiting || sub.parser.midResponse) this.fail(sub)
        else {
          this.toConnect.push(sub)
          this.schedulePump()
        }
      }
      if (this.openSockets === 0 && this.onAllClosed) {
        const resolve = this.onAllClosed
        this.onAllClosed = null
        resolve()
      }
    })
  }

  /**
   * Subscribes again in the same turn of the loop, but after every answer that arrived in it has been read: during
   * a broadcast 10,000 answers arrive at once, and writing 10,000 new requests between the reads would slow the
   * reading (and the subject's sending) that the fan-out time measures.
   */
  private queuePoll(sub: Subscriber): void {
    this.repoll.push(sub)
    if (this.repollScheduled === null) {
      this.repollScheduled = setImmediate(() => {
        this.repollScheduled = null
        const subs = this.repoll
        this.repoll = []
        for (const s of subs) if (s.socket !== null && !s.waiting) this.poll(s)
      })
    }
  }

  private poll(sub: Subscriber): void {
    const socket = sub.socket
    if (!socket || sub.stopped) return
    sub.waiting = true
    if (sub.from === 0) {
      // joins: owed from the message after the newest seen (a later one already published comes at once)
      sub.from = this.latest + 1
      sub.last = this.latest
      this.joined++
      this.fromSum += sub.from - 1
      this.sumLast += sub.last
    }
    socket.write(`GET /wait?since=${sub.last + 1} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n\r\n`, 'latin1')
  }

  private onData(sub: Subscriber, socket: Socket, bytes: number, buffer: Uint8Array): boolean {
    if (sub.socket !== socket || sub.stopped) return true
    const receivedAtMs = nowMs()
    try {
      sub.parser.feed(Buffer.from(buffer.buffer, buffer.byteOffset, bytes), (response) => this.onResponse(sub, response, receivedAtMs))
    } catch (err) {
      socket.destroy(err as Error)
    }
    return true
  }

  /** Throws on a bad answer: onData then drops the connection, and its close counts as a failure. */
  private onResponse(sub: Subscriber, response: ParsedResponse, receivedAtMs: number): void {
    if (response.status !== 200) throw new Error(`/wait answered ${response.status}`)
    let messages: Message[]
    if (response.body === this.lastBody) messages = this.lastMessages
    else {
      messages = JSON.parse(response.body) as Message[]
      if (!Array.isArray(messages)) throw new Error('/wait answered something other than an array')
      this.lastBody = response.body
      this.lastMessages = messages
    }
    sub.failures = 0
    this.missed += response.missed
    if (messages.length === 0) this.timeouts++
    else {
      for (const m of messages) recordMs(this.histogram, receivedAtMs - m.publishedAt)
      this.delivered += messages.length
      const newest = messages[messages.length - 1]!.id
      // ids below what was asked for mean the subject restarted and counts from 1 again: follow it (the books
      // assume one subject for the swarm's life, as a run has)
      this.sumLast += newest - sub.last
      sub.last = newest
      if (newest > this.latest) this.latest = newest
      this.onMessages?.(sub.index, messages, receivedAtMs)
    }
    sub.waiting = false
    if (response.close) sub.socket?.end()
    else this.queuePoll(sub)
  }

  private fail(sub: Subscriber): void {
    this.errors++
    sub.failures++
    sub.waiting = false
    const ceilingMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (sub.failures - 1))
    const delayMs = ceilingMs * (0.5 + Math.random() / 2)
    sub.retry = setTimeout(() => {
      sub.retry = null
      if (!sub.stopped && !this.closed) {
        this.toConnect.push(sub)
        this.schedulePump()
      }
    }, delayMs)
  }

  /** A subscriber removed during the run: it is owed what it had, from..last, and leaves the books' gauges. */
  private retire(sub: Subscriber): void {
    if (sub.from > 0) {
      this.joined--
      this.fromSum -= sub.from - 1
      this.sumLast -= sub.last
      this.closedOwed += sub.last - sub.from + 1
    }
    this.stop(sub)
  }

  private stop(sub: Subscriber): void {
    sub.stopped = true
    if (sub.retry) clearTimeout(sub.retry)
    sub.retry = null
    sub.socket?.destroy()
  }
}
