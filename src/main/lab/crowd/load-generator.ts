/**
 * The crowd's load: ab's closed loop (keep `concurrency` requests in flight) or an open loop (send `ratePerS` a
 * second whatever the server does, at most `connections` on the wire, the rest waiting in the crowd's own queue).
 *
 * Precision: latency is measured with performance.now() from the send — in the open loop from the *scheduled*
 * send time, so a stalled server cannot hide its stall (no coordinated omission). Requests go out on the crowd's
 * own keep-alive sockets (load-connection.ts), each a prebuilt request: no promise or stream per request.
 * Nothing leaves this thread per request; `tick()` hands out deltas and a latency histogram every 100 ms.
 *
 * Connections are kept on a free list: taking one is O(1) at 10,000 connections.
 */
import { LoadConnection } from './load-connection'
import { loadConnections, type Settings } from '../../../shared/settings'
import { emptyErrorCounts, type ErrorKind, type Unanswered } from '../../../shared/frame'
import type { CrowdTick } from '../protocol'
import { buildHistogram, encodeHistogram, recordMs } from '../histogram'
import { errorKind } from './error-kind'
import { epochMs } from '../../../shared/epoch'
import { SENT_AT_HEADER, WARM_UP_HEADER } from '../../../shared/wire'

export type DoneReason = 'requests' | 'duration' | 'stopped'

export type LoadTick = Omit<CrowdTick, 'type' | 'at' | 'push'>

/** After a refused or reset connection, a closed-loop slot waits this long before trying again, so that a dead
 * server is not hammered in a tight loop. */
const ERROR_BACKOFF_MS = 50
/** The open loop's scheduler wakes this often; due requests are sent in a burst. */
const SCHEDULER_INTERVAL_MS = 1

/** The open loop's own queue is bounded: past this, a due request is counted as timed out instead of queued
 * (only a stalled server under a very high rate for minutes gets there). */
const MAX_WAITING = 1_000_000

const PATHS = { work: '/work', hello: '/' } as const
const WARM_UP_TIMEOUT_MS = 5_000

export class LoadGenerator {
  private settings: Settings
  private readonly host: string
  private readonly port: number
  private readonly requests: Record<Settings['route'], Buffer>
  private readonly warmUpRequest: Buffer
  /** each request but its send time and the blank line that ends it (see send) */
  private readonly stampedHeads: Record<Settings['route'], string>
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024)
  private readonly clients = new Set<LoadConnection>()
  private readonly idle: LoadConnection[] = []
  private readonly onDone: (reason: DoneReason) => void
  private histogram = buildHistogram()
  private delta = LoadGenerator.emptyDelta()
  /** requests written to a connection and not yet answered */
  private onWire = 0
  private sentCount = 0
  private finished = 0
  /** closed loop: slots running */
  private slots = 0
  /** open loop: scheduled send times (ms, performance.now()) waiting for a connection */
  private readonly waiting: number[] = []
  private waitingHead = 0
  private scheduleAnchorMs = 0
  private scheduledCount = 0
  private scheduler: NodeJS.Timeout | null = null
  private durationTimer: NodeJS.Timeout | null = null
  private stopped = false
  private started = false
  firstSendAt: number | null = null
  lastCompleteAt: number | null = null

  /** `inFlightGauge[0]` is kept equal to inFlight() for the host to read at any moment */
  constructor(
    origin: string,
    settings: Settings,
    onDone: (reason: DoneReason) => void,
    private readonly inFlightGauge: Int32Array = new Int32Array(1),
    /** false: no SENT_AT_HEADER on requests (the bench's baseline for its cost) */
    private readonly stampSends = true
  ) {
    this.settings = settings
    this.onDone = onDone
    const url = new URL(origin)
    this.host = url.hostname
    this.port = Number(url.port)
    const request = (path: string): Buffer => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`, 'latin1')
    this.requests = { work: request(PATHS.work), hello: request(PATHS.hello) }
    this.warmUpRequest = Buffer.from(
      `GET ${PATHS.hello} HTTP/1.1\r\nHost: ${url.host}\r\n${WARM_UP_HEADER}: 1\r\n\r\n`,
      'latin1'
    )
    const head = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${SENT_AT_HEADER}: `
    this.stampedHeads = { work: head(PATHS.work), hello: head(PATHS.hello) }
  }

  /**
   * Opens the connections the run will use and sends one hello-world request on each, before the clock starts: the
   * experiment is about the server's model, not about a cold JIT or 100 TCP handshakes in the first wave (ab, too,
   * was run against a server that had already answered). Nothing here is counted. Bounded: 5 s at most.
   *
   * The open loop warms all its `connections` too: one opened later, under load, waits for the server to accept it
   * (a blocked loop accepts one connection per turn), and the requests sent on it wait with it — a wait that would
   * come from when the connection happened to open, not from the server's model.
   */
  async warmUp(): Promise<void> {
    const s = this.settings
    const all = Array.from({ length: loadConnections(s) }, () => this.acquire())
    const settled = new Set<LoadConnection>()
    const warmed = all.map(
      (c) =>
        new Promise<void>((resolve) =>
          c.send(this.warmUpRequest, WARM_UP_TIMEOUT_MS, () => {
            settled.add(c)
            resolve()
          })
        )
    )
    await Promise.race([Promise.all(warmed), new Promise((r) => setTimeout(r, WARM_UP_TIMEOUT_MS).unref())])
    for (const c of all) {
      if (this.stopped) break
      // A hello still unanswered at the bound would answer the run's first request on that connection: close it
      // (a fresh one opens when needed). One that failed has already dropped its socket and reopens on its next send.
      if (settled.has(c)) this.release(c)
      else {
        this.clients.delete(c)
        c.close()
      }
    }
  }

  start(): void {
    if (this.stopped) return
    this.started = true
    this.armDuration()
    this.apply()
  }

  update(settings: Settings): void {
    const prev = this.settings
    this.settings = settings
    if (prev.durationS !== settings.durationS && this.durationTimer) {
      // The duration counts from the start of the run, as the user set it last.
      clearTimeout(this.durationTimer)
      this.armDuration()
    }
    if (prev.ratePerS !== settings.ratePerS || prev.mode !== settings.mode) this.reanchor()
    this.apply()
    this.checkRequestsDone()
  }

  /**
   * Ends the run when its duration is up, counted from the first send. A timer counts from the loop's cached time,
   * which can be a few ms behind the clock late in a busy turn, so it may fire early: it then waits out the rest.
   */
  private armDuration(): void {
    const elapsedMs = this.firstSendAt === null ? 0 : performance.now() - this.firstSendAt
    const leftMs = this.settings.durationS * 1000 - elapsedMs
    this.durationTimer = setTimeout(
      () =>
        this.firstSendAt !== null && performance.now() - this.firstSendAt < this.settings.durationS * 1000
          ? this.armDuration()
          : this.finish('duration'),
      Math.max(0, Math.ceil(leftMs))
    )
  }

  private static emptyDelta() {
    return {
      sent: 0,
      completed: 0,
      errors: emptyErrorCounts(),
      latencyMinMs: null as number | null,
      latencyMaxMs: null as number | null
    }
  }

  tick(): LoadTick {
    const tick: LoadTick = {
      ...this.delta,
      latencyHistogram: encodeHistogram(this.histogram),
      inFlight: this.inFlight()
    }
    this.delta = LoadGenerator.emptyDelta()
    this.histogram.reset()
    return tick
  }

  async stop(): Promise<void> {
    this.finish('stopped')
    const all = [...this.clients]
    this.clients.clear()
    this.idle.length = 0
    for (const c of all) c.close()
  }

  // ── connections ──────────────────────────────────────────────────────────────────────────────────────────────
  private acquire(): LoadConnection {
    const idle = this.idle.pop()
    if (idle) return idle
    const client = new LoadConnection(this.host, this.port, this.readBuffer)
    this.clients.add(client)
    return client
  }

  /** A connection is free again; past the number the settings want, it is closed. */
  private release(client: LoadConnection): void {
    if (this.clients.size > loadConnections(this.settings)) {
      this.clients.delete(client)
      client.close()
    } else this.idle.push(client)
  }

  // ── closed loop ──────────────────────────────────────────────────────────────────────────────────────────────
  private apply(): void {
    if (this.stopped || !this.started) return
    if (this.settings.mode === 'closed') {
      this.stopScheduler()
      this.dropWaiting()
      while (this.slots < this.settings.concurrency && this.mayIssue()) {
        this.slots++
        this.sendClosed()
      }
    } else {
      if (!this.scheduler) this.startScheduler()
    }
  }

  /** What is still unanswered now (see Unanswered): call it before stop(), which drops it. */
  unanswered(now = performance.now()): Unanswered {
    const count = this.onWire + this.waitingCount()
    if (count === 0) return { count, oldestWaitMs: null }
    // the open loop's queue is first in, first out: its head has waited longest of those not sent
    let oldest = this.waitingHead < this.waiting.length ? this.waiting[this.waitingHead]! : Infinity
    const free = new Set(this.idle)
    for (const c of this.clients) if (!free.has(c) && c.startMs < oldest) oldest = c.startMs
    return { count, oldestWaitMs: Number.isFinite(oldest) ? Math.round(now - oldest) : null }
  }

  /** In flight: sent and not answered, plus (open loop) scheduled and still waiting for a connection. */
  inFlight(): number {
    return this.onWire + this.waitingCount()
  }

  private publishInFlight(): void {
    Atomics.store(this.inFlightGauge, 0, this.inFlight())
  }

  private waitingCount(): number {
    return this.waiting.length - this.waitingHead
  }

  private mayIssue(): boolean {
    const issued = this.sentCount + this.waitingCount()
    return !this.stopped && (this.settings.requests === null || issued < this.settings.requests)
  }

  private sendClosed(): void {
    this.send(performance.now(), false)
  }

  /** A closed-loop slot's request was answered: the slot goes on while the mode, the concurrency and the request
   * budget allow it; after a refused or reset connection it waits a little first. */
  private continueSlot(failedHard: boolean): void {
    if (this.settings.mode !== 'closed' || this.slots > this.settings.concurrency || !this.mayIssue()) this.slots--
    else if (failedHard) setTimeout(this.retrySlot, ERROR_BACKOFF_MS)
    else this.sendClosed()
  }

  private readonly retrySlot = (): void => this.continueSlot(false)

  // ── open loop ────────────────────────────────────────────────────────────────────────────────────────────────
  private reanchor(): void {
    this.scheduleAnchorMs = performance.now()
    this.scheduledCount = 0
  }

  private startScheduler(): void {
    this.reanchor()
    this.scheduler = setInterval(() => this.schedule(), SCHEDULER_INTERVAL_MS)
  }

  private stopScheduler(): void {
    if (this.scheduler) clearInterval(this.scheduler)
    this.scheduler = null
  }

  private schedule(): void {
    const now = performance.now()
    const intervalMs = 1000 / this.settings.ratePerS
    // Every request whose scheduled time has come joins the queue, stamped with that time, even if the server is
    // stalled: this is what makes the open loop honest.
    while (this.mayIssue()) {
      const at = this.scheduleAnchorMs + this.scheduledCount * intervalMs
      if (at > now) break
      this.scheduledCount++
      if (this.waitingCount() < MAX_WAITING) this.waiting.push(at)
      else {
        this.sentCount++
        this.finished++
        this.delta.errors.timeout++
      }
    }
    this.drainWaiting()
    this.publishInFlight()
  }

  private drainWaiting(): void {
    while (this.onWire < this.settings.connections && this.waitingHead < this.waiting.length && !this.stopped) {
      const at = this.waiting[this.waitingHead++]!
      this.send(at, true)
    }
    if (this.waitingHead > 4096 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead)
      this.waitingHead = 0
    }
  }

  private dropWaiting(): void {
    this.waiting.length = 0
    this.waitingHead = 0
    this.publishInFlight()
  }

  // ── one request ──────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Sends one request timed from `startMs`. The hot path: nothing is allocated per request — the request's facts
   * ride on its connection and one callback, made once, hears every answer.
   */
  private send(startMs: number, fromOpenLoop: boolean): void {
    this.sentCount++
    this.onWire++
    this.publishInFlight()
    this.delta.sent++
    if (this.firstSendAt === null) this.firstSendAt = performance.now()
    const client = this.acquire()
    client.startMs = startMs
    client.fromOpenLoop = fromOpenLoop
    // The send time (epoch ms) rides in a header so the subject's timeline can show how long the request waited to
    // be read (socket, backlog, a blocked loop): one short string per request, its cost in `npm run bench -- timeline`.
    const route = this.settings.route
    const request = this.stampSends
      ? this.stampedHeads[route] + epochMs().toFixed(1) + '\r\n\r\n'
      : this.requests[route]
    client.send(request, this.settings.timeoutMs, this.onAnswer)
  }

  private readonly onAnswer = (status: number, err: NodeJS.ErrnoException | null, client: LoadConnection): void => {
    if (this.stopped) return
    this.release(client)
    const failedHard = this.settle(client.startMs, status, err)
    // The open loop's next request is whichever waits longest; a closed-loop slot sends its own next one.
    if (client.fromOpenLoop) this.drainWaiting()
    else this.continueSlot(failedHard)
    this.checkRequestsDone()
  }

  /** Counts one answer or failure; true when the connection failed in a way worth backing off from. */
  private settle(startMs: number, status: number, err: unknown): boolean {
    const now = performance.now()
    this.onWire--
    this.publishInFlight()
    this.finished++
    this.lastCompleteAt = now
    let kind: ErrorKind | null = null
    if (err) kind = errorKind(err)
    else if (status < 200 || status > 299) kind = 'non2xx'
    if (kind) this.delta.errors[kind]++
    else {
      const latencyMs = now - startMs
      const d = this.delta
      d.completed++
      recordMs(this.histogram, latencyMs)
      if (d.latencyMinMs === null || latencyMs < d.latencyMinMs) d.latencyMinMs = latencyMs
      if (d.latencyMaxMs === null || latencyMs > d.latencyMaxMs) d.latencyMaxMs = latencyMs
    }
    return kind === 'refused' || kind === 'reset' || kind === 'other'
  }

  private checkRequestsDone(): void {
    const budget = this.settings.requests
    if (budget !== null && this.finished >= budget) this.finish('requests')
  }

  private finish(reason: DoneReason): void {
    if (this.stopped) return
    this.stopped = true
    this.stopScheduler()
    if (this.durationTimer) clearTimeout(this.durationTimer)
    this.durationTimer = null
    this.onDone(reason)
  }
}
