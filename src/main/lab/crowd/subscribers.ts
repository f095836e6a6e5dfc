/**
 * The subscriber swarm: N subscribers of the subject's broadcast, each on its own raw `net` socket, speaking the
 * transport the settings name — long polling (push-long-poll.ts), Server-Sent Events (push-sse.ts) or WebSocket
 * (push-websocket.ts). This file holds what the three share: the sockets and the connection budget, the books, and
 * the per-transport tallies that tick() hands over. Each received message is timed publish → received (both clocks
 * are performance.timeOrigin + performance.now(), in two processes of one machine: good to well under a
 * millisecond), into an HDR histogram in microseconds per transport.
 *
 * Why raw sockets and small hand-written clients instead of undici and the `ws` client: this is the one place where
 * the client's own cost is the measurement's noise floor. DESIGN.md records undici subscribers fanning out ~3×
 * slower at 10,000 and costing 12 KB each on the client; bench/push.ts measures these clients against the `ws`
 * package's (memory and CPU per subscriber, on the crowd's side) and keeps the figure. A subscriber is one socket,
 * one small object and one parser; reads land in one shared buffer (net's `onread`), and a text equal to the
 * previous one (all subscribers get the same broadcast) is JSON-parsed once for everyone.
 *
 * The books: a subscriber's first ask resumes from `from`, the id after the newest the swarm has seen (in any
 * answer, or from the publisher: noteLatest), and every later one from last+1 — on every transport, and across a
 * transport change. So it is owed every message from `from` on, and what it received plus what the subject said it
 * missed always covers `from..last` exactly. tick() hands over the sums that let the host count what is owed at any
 * last id (SwarmBooks) — a few additions per delivery, nothing per message per subscriber kept.
 *
 * A transport change moves every subscriber over: its connection is closed (not a failure) and a new one, on the
 * new transport, resumes from last+1: nothing lost, nothing twice. Sockets are opened a bounded number at a time
 * (MAX_CONNECTING in flight), so growing to 19,000 never overruns the subject's listen backlog (511+); removing
 * subscribers destroys their sockets at once. Errors back off, capped and jittered, per subscriber: the swarm
 * never hammers a subject that is down.
 *
 * Bytes on the wire are counted on the raw sockets, per transport: what each read handed in (server → crowd) and
 * what each write handed out (crowd → server), HTTP heads, chunk framing and WebSocket frame headers included,
 * TCP/IP headers not.
 */
import { epochMs } from '../../../shared/epoch'
import type { Socket } from 'node:net'
import { connectReadingInto } from './read-into'
import { LabError } from '../../../shared/errors'
import { PUSH_TRANSPORTS, type Message, type PushHello, type PushTransport } from '../../../shared/wire'
import type { CrowdPushTick, LongPollBooks, PushTransportTick } from '../protocol'
import { buildHistogram, encodeHistogram, recordMs, type Histogram } from '../histogram'
import { DEFAULT_RESERVE_FDS, limitSentence, maxSubscribers } from './subscriber-limits'
import { Subscriber, type ClientMaker, type PushClient, type SwarmSink } from './push-client'
import { longPollClients } from './push-long-poll'
import { sseClients } from './push-sse'
import { webSocketClients } from './push-websocket'

export { maxSubscribers, type SubscriberLimit } from './subscriber-limits'

export interface SwarmOptions {
  /** e.g. http://127.0.0.1:43210 */
  origin: string
  pollTimeoutMs: number
  /** default long-poll */
  transport?: PushTransport
  /** open files kept for the rest of the process (the load generator's connections count here); default 500 */
  reserveFds?: number
  /** test hook: every delivery, per subscriber index (0-based, stable while the subscriber lives) */
  onMessages?: (
    subscriberIndex: number,
    messages: readonly Message[],
    receivedAtMs: number,
    transport: PushTransport
  ) => void
}

/** See the module comment and PushFigures. */
export type SwarmBooks = LongPollBooks
export type SwarmTick = CrowdPushTick

const MAX_CONNECTING = 256
const BACKOFF_BASE_MS = 100
const BACKOFF_CAP_MS = 5_000

/** One transport's counts since the previous tick, and its connections now. */
class Tally {
  connected = 0
  delivered = 0
  timeouts = 0
  errors = 0
  requests = 0
  duplicates = 0
  bytesRead = 0
  bytesWritten = 0
  readonly histogram: Histogram = buildHistogram()

  constructor(readonly transport: PushTransport) {}

  get active(): boolean {
    return this.connected > 0 || this.delivered > 0 || this.errors > 0 || this.bytesRead > 0 || this.bytesWritten > 0
  }

  take(): PushTransportTick {
    const out: PushTransportTick = {
      transport: this.transport,
      subscribers: this.connected,
      delivered: this.delivered,
      timeouts: this.timeouts,
      errors: this.errors,
      requests: this.requests,
      duplicates: this.duplicates,
      bytesRead: this.bytesRead,
      bytesWritten: this.bytesWritten,
      deliveryHistogram: encodeHistogram(this.histogram)
    }
    this.histogram.reset()
    this.delivered =
      this.timeouts =
      this.errors =
      this.requests =
      this.duplicates =
      this.bytesRead =
      this.bytesWritten =
        0
    return out
  }
}

export class SubscriberSwarm implements SwarmSink {
  private readonly reserveFds: number
  private readonly onMessages: SwarmOptions['onMessages']
  private readonly host: string
  private readonly port: number
  private pollTimeoutMs: number
  private transport: PushTransport
  private readonly clients: Record<PushTransport, ClientMaker>
  private readonly tallies = Object.fromEntries(PUSH_TRANSPORTS.map((t) => [t, new Tally(t)])) as Record<
    PushTransport,
    Tally
  >
  private readonly subs: Subscriber[] = []
  private readonly toConnect: Subscriber[] = []
  private connecting = 0
  private pumpScheduled: NodeJS.Immediate | null = null
  private asking: { sub: Subscriber; client: PushClient | null }[] = []
  private askScheduled: NodeJS.Immediate | null = null
  private openSockets = 0
  private asked = 0
  private limitNote: string | null = null
  private closed = false
  private onAllClosed: (() => void) | null = null

  // the books (see SwarmBooks); sumLast is Σ last over the joined, for behind()
  private joined = 0
  private fromSum = 0
  private sumLast = 0
  private closedOwed = 0
  private missedCount = 0
  private latest = 0

  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024)

  constructor(options: SwarmOptions) {
    const url = new URL(options.origin)
    if (url.protocol !== 'http:')
      throw new LabError('LOOPSCOPE_ERR_CROWD_FAILED', `subscribers speak plain http:// only (got ${options.origin})`)
    this.host = url.hostname.replace(/^\[|\]$/g, '')
    this.port = Number(url.port || 80)
    this.reserveFds = options.reserveFds ?? DEFAULT_RESERVE_FDS
    this.onMessages = options.onMessages
    this.pollTimeoutMs = options.pollTimeoutMs
    this.transport = options.transport ?? 'long-poll'
    const hostHeader = `${this.host}:${this.port}`
    this.clients = {
      'long-poll': longPollClients(hostHeader, () => this.pollTimeoutMs),
      sse: sseClients(hostHeader),
      websocket: webSocketClients(hostHeader)
    }
  }

  setCount(n: number): void {
    if (this.closed) return
    this.asked = n
    const limit = maxSubscribers(this.reserveFds)
    const target = Math.min(n, limit.max)
    this.limitNote = target < n ? limitSentence(n, limit, this.reserveFds) : null
    while (this.subs.length > target) this.retire(this.subs.pop()!)
    while (this.subs.length < target) {
      const sub = new Subscriber(this.subs.length, this.transport)
      this.subs.push(sub)
      this.toConnect.push(sub)
    }
    this.schedulePump()
  }

  /**
   * Moves every subscriber to `transport`: each connection is closed and a new one opened (within the connection
   * budget) that resumes from the subscriber's last + 1. A subscriber waiting out a back-off comes back on it.
   */
  setTransport(transport: PushTransport): void {
    if (transport === this.transport || this.closed) return
    this.transport = transport
    for (const sub of this.subs) {
      sub.transport = transport
      const socket = sub.socket
      if (socket) {
        // no longer its socket: the close that follows is neither a failure nor a reason to reconnect
        sub.socket = null
        sub.client = null
        socket.destroy()
        this.toConnect.push(sub)
      }
    }
    this.schedulePump()
  }

  /**
   * The poll timeout the subject uses is its own setting; the swarm keeps it to tell a slow answer from a lost one
   * (a long-poll connection silent for twice the timeout plus a margin is dropped and retried).
   */
  setPollTimeout(ms: number): void {
    this.pollTimeoutMs = ms
    for (const sub of this.subs) if (sub.socket && sub.client) sub.socket.setTimeout(sub.client.idleLimitMs)
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
    let outOfFiles = 0
    for (const sub of this.subs) if (sub.outOfFiles) outOfFiles++
    const note =
      this.limitNote ??
      (outOfFiles > 0
        ? `${outOfFiles.toLocaleString('en-US')} of ${this.asked.toLocaleString('en-US')} subscribers cannot connect: ` +
          'the system refused to open more files (EMFILE); they keep retrying.'
        : null)
    const transports: PushTransportTick[] = []
    for (const t of PUSH_TRANSPORTS) {
      const tally = this.tallies[t]
      if (tally.active || t === this.transport) transports.push(tally.take())
    }
    return {
      transport: this.transport,
      transports,
      limitNote: note,
      books: {
        joined: this.joined,
        fromSum: this.fromSum,
        closedOwed: this.closedOwed,
        missed: this.missedCount,
        latest: this.latest,
        drainMs: null
      }
    }
  }

  /** Closes every socket and clears every timer; resolves once all sockets have closed. */
  close(): Promise<void> {
    this.closed = true
    if (this.pumpScheduled) clearImmediate(this.pumpScheduled)
    if (this.askScheduled) clearImmediate(this.askScheduled)
    this.pumpScheduled = this.askScheduled = null
    this.asking = []
    this.toConnect.length = 0
    while (this.subs.length > 0) this.stop(this.subs.pop()!)
    if (this.openSockets === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.onAllClosed = resolve
    })
  }

  // ── the sink: what the transport clients report ─────────────────────────────────────────────────────────────

  resumeFrom(sub: Subscriber): number {
    if (sub.from === 0) {
      // joins: owed from the message after the newest seen (a later one already published comes at once)
      sub.from = this.latest + 1
      sub.last = this.latest
      this.joined++
      this.fromSum += sub.from - 1
      this.sumLast += sub.last
    }
    return sub.last + 1
  }

  deliver(sub: Subscriber, messages: readonly Message[], receivedAtMs: number): void {
    const tally = this.tallies[sub.transport]
    for (const m of messages) recordMs(tally.histogram, receivedAtMs - m.publishedAt)
    tally.delivered += messages.length
    sub.failures = 0
    const newest = messages[messages.length - 1]!.id
    // long polling: ids below what was asked for mean the subject restarted and counts from 1 again: follow it (the
    // books assume one subject for the swarm's life, as a run has)
    this.sumLast += newest - sub.last
    sub.last = newest
    if (newest > this.latest) this.latest = newest
    this.onMessages?.(sub.index, messages, receivedAtMs, sub.transport)
  }

  duplicate(sub: Subscriber): void {
    this.tallies[sub.transport].duplicates++
  }

  missed(sub: Subscriber, count: number): void {
    if (count <= 0) return
    // the messages after the missed ones come next, and their delivery moves sub.last past the gap
    this.missedCount += count
  }

  hello(sub: Subscriber, hello: PushHello): void {
    sub.failures = 0
    if (sub.run !== '' && sub.run !== hello.run && sub.from > 0) {
      // a new subject process counts from 1 again: follow it, as long polling does
      this.sumLast += hello.next - 1 - sub.last
      sub.last = hello.next - 1
    }
    sub.run = hello.run
  }

  emptyAnswer(sub: Subscriber): void {
    sub.failures = 0
    this.tallies[sub.transport].timeouts++
  }

  write(sub: Subscriber, data: string | Buffer, request = false): void {
    const socket = sub.socket
    if (!socket) return
    const tally = this.tallies[sub.transport]
    tally.bytesWritten += typeof data === 'string' ? Buffer.byteLength(data, 'latin1') : data.length
    if (request) tally.requests++
    if (typeof data === 'string') socket.write(data, 'latin1')
    else socket.write(data)
  }

  /**
   * Asks again in the same turn of the loop, but after every answer that arrived in it has been read: during a
   * broadcast 10,000 answers arrive at once, and writing 10,000 new requests between the reads would slow the
   * reading (and the subject's sending) that the fan-out time measures.
   */
  again(sub: Subscriber): void {
    this.asking.push({ sub, client: sub.client })
    if (this.askScheduled === null) {
      this.askScheduled = setImmediate(() => {
        this.askScheduled = null
        const subs = this.asking
        this.asking = []
        // the same connection still, and not asking already
        for (const { sub: s, client } of subs)
          if (s.client === client && client && !client.busy && !s.stopped) client.ask()
      })
    }
  }

  // ── connections ────────────────────────────────────────────────────────────────────────────────────────────

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
      if (!sub.stopped && sub.socket === null) this.open(sub)
    }
  }

  private open(sub: Subscriber): void {
    this.connecting++
    this.openSockets++
    const tally = this.tallies[sub.transport]
    // one shared read buffer: at 10,000 answers in a burst, a buffer per read would be most of the client's garbage
    const socket: Socket = connectReadingInto(this.host, this.port, this.readBuffer, (bytes, buffer) => {
      tally.bytesRead += bytes
      this.onData(sub, socket, bytes, buffer)
    })
    const client = this.clients[sub.transport](sub, this)
    sub.socket = socket
    sub.client = client
    let pendingConnect = true
    let connected = false
    const settle = (): void => {
      if (pendingConnect) {
        pendingConnect = false
        this.connecting--
        this.schedulePump()
      }
    }
    socket.setTimeout(client.idleLimitMs)
    socket.on('connect', () => {
      settle()
      connected = true
      sub.outOfFiles = false
      tally.connected++
      if (sub.socket === socket) client.ask()
    })
    socket.on('timeout', () => socket.destroy(new Error('silent for longer than the transport allows')))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EMFILE' || err.code === 'ENFILE') sub.outOfFiles = true
    })
    socket.on('close', () => {
      settle()
      this.openSockets--
      if (connected) tally.connected--
      const wasMine = sub.socket === socket
      if (wasMine) {
        sub.socket = null
        sub.client = null
      }
      if (wasMine && !sub.stopped) {
        // A refused connection or a close in the middle of a poll or a stream is a failure; a close between polls
        // (the server ended an idle keep-alive connection, or asked to with connection: close) is not.
        if (!connected || client.busy) this.fail(sub, tally)
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

  private onData(sub: Subscriber, socket: Socket, bytes: number, buffer: Uint8Array): void {
    if (sub.socket !== socket || sub.stopped || !sub.client) return
    try {
      sub.client.feed(Buffer.from(buffer.buffer, buffer.byteOffset, bytes), epochMs())
    } catch (err) {
      socket.destroy(err as Error)
    }
  }

  private fail(sub: Subscriber, tally: Tally): void {
    tally.errors++
    sub.failures++
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
