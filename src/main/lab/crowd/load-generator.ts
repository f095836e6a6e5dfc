/**
 * The crowd's load: ab's closed loop (keep `concurrency` requests in flight) or an open loop (send `ratePerS` a
 * second whatever the server does, at most `connections` on the wire, the rest waiting in the crowd's own queue).
 *
 * Precision: latency is measured with performance.now() from the send — in the open loop from the *scheduled*
 * send time, so a stalled server cannot hide its stall (no coordinated omission). Requests go through one undici
 * Pool with the low-level dispatch API: one small handler object per request, no promise or stream per request.
 * Nothing leaves this thread per request; `tick()` hands out deltas and a latency histogram every 100 ms.
 *
 * Connections: one undici Client per connection, kept on a free list. (undici's Pool looks for a free client by
 * scanning all of them on every request: at 10,000 connections that scan, not the server, would set the pace.)
 */
import { Client } from 'undici'
import type { Dispatcher } from 'undici'
import type { Settings } from '../../../shared/settings'
import { emptyErrorCounts, type ErrorKind } from '../../../shared/frame'
import type { CrowdTick } from '../protocol'
import { buildHistogram, encodeHistogram, recordMs } from '../histogram'
import { errorKind } from './error-kind'

export type DoneReason = 'requests' | 'duration' | 'stopped'

export type LoadTick = Omit<CrowdTick, 'type' | 'at' | 'longPoll'>

/** After a refused or reset connection, a closed-loop slot waits this long before trying again, so that a dead
 * server is not hammered in a tight loop. */
const ERROR_BACKOFF_MS = 50
/** The open loop's scheduler wakes this often; due requests are sent in a burst. */
const SCHEDULER_INTERVAL_MS = 1

/** The open loop's own queue is bounded: past this, a due request is counted as timed out instead of queued
 * (only a stalled server under a very high rate for minutes gets there). */
const MAX_WAITING = 1_000_000

const PATHS = { work: '/work', hello: '/' } as const

export class LoadGenerator {
  private settings: Settings
  private readonly origin: string
  private readonly clients = new Set<Client>()
  private readonly idle: Client[] = []
  private readonly onDone: (reason: DoneReason) => void
  private histogram = buildHistogram()
  private delta = LoadGenerator.emptyDelta()
  /** requests on the wire (handed to undici) and not yet answered */
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
  firstSendAt: number | null = null
  lastCompleteAt: number | null = null

  constructor(origin: string, settings: Settings, onDone: (reason: DoneReason) => void) {
    this.settings = settings
    this.onDone = onDone
    this.origin = origin
  }

  start(): void {
    this.durationTimer = setTimeout(() => this.finish('duration'), this.settings.durationS * 1000)
    this.apply()
  }

  update(settings: Settings): void {
    const prev = this.settings
    this.settings = settings
    if (prev.durationS !== settings.durationS && this.durationTimer) {
      // The duration counts from the start of the run, as the user set it last.
      clearTimeout(this.durationTimer)
      const elapsedMs = this.firstSendAt === null ? 0 : performance.now() - this.firstSendAt
      this.durationTimer = setTimeout(() => this.finish('duration'), Math.max(0, settings.durationS * 1000 - elapsedMs))
    }
    if (prev.ratePerS !== settings.ratePerS || prev.mode !== settings.mode) this.reanchor()
    this.apply()
    this.checkRequestsDone()
  }

  private static emptyDelta() {
    return { sent: 0, completed: 0, errors: emptyErrorCounts(), latencyMinMs: null as number | null, latencyMaxMs: null as number | null }
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
    await Promise.all(all.map((c) => c.destroy().catch(() => {})))
  }

  // ── connections ──────────────────────────────────────────────────────────────────────────────────────────────
  private acquire(): Client {
    const idle = this.idle.pop()
    if (idle) return idle
    const client = new Client(this.origin, {
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      connect: { timeout: 10_000 }
    })
    this.clients.add(client)
    return client
  }

  /** @internal a connection is free again; past the number the settings want, it is closed. */
  release(client: Client): void {
    if (this.stopped) return
    const wanted = this.settings.mode === 'closed' ? this.settings.concurrency : this.settings.connections
    if (this.clients.size > wanted) {
      this.clients.delete(client)
      void client.close().catch(() => {})
    } else this.idle.push(client)
  }

  // ── closed loop ──────────────────────────────────────────────────────────────────────────────────────────────
  private apply(): void {
    if (this.stopped) return
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

  /** In flight: sent and not answered, plus (open loop) scheduled and still waiting for a connection. */
  inFlight(): number {
    return this.onWire + this.waitingCount()
  }

  private waitingCount(): number {
    return this.waiting.length - this.waitingHead
  }

  private mayIssue(): boolean {
    const issued = this.sentCount + this.waitingCount()
    return !this.stopped && (this.settings.requests === null || issued < this.settings.requests)
  }

  private sendClosed(): void {
    this.send(performance.now(), (failedHard) => {
      // A slot keeps going while the mode, the concurrency and the request budget allow it.
      if (this.settings.mode !== 'closed' || this.slots > this.settings.concurrency || !this.mayIssue()) {
        this.slots--
        return
      }
      if (failedHard) setTimeout(() => this.continueSlot(), ERROR_BACKOFF_MS)
      else this.sendClosed()
    })
  }

  private continueSlot(): void {
    if (this.settings.mode !== 'closed' || this.slots > this.settings.concurrency || !this.mayIssue()) this.slots--
    else this.sendClosed()
  }

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
  }

  private drainWaiting(): void {
    while (this.onWire < this.settings.connections && this.waitingHead < this.waiting.length && !this.stopped) {
      const at = this.waiting[this.waitingHead++]!
      this.send(at, () => this.drainWaiting())
    }
    if (this.waitingHead > 4096 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead)
      this.waitingHead = 0
    }
  }

  private dropWaiting(): void {
    this.waiting.length = 0
    this.waitingHead = 0
  }

  // ── one request ──────────────────────────────────────────────────────────────────────────────────────────────
  /** Sends one request timed from `startMs`; `next(failedHard)` runs when it is answered or failed. */
  private send(startMs: number, next: (failedHard: boolean) => void): void {
    this.sentCount++
    this.onWire++
    this.delta.sent++
    if (this.firstSendAt === null) this.firstSendAt = performance.now()
    const timeoutMs = this.settings.timeoutMs
    const client = this.acquire()
    const handler = new ResponseHandler(this, client, startMs, next)
    client.dispatch({ path: PATHS[this.settings.route], method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs }, handler)
  }

  /** @internal called by ResponseHandler */
  settle(startMs: number, status: number, err: unknown, next: (failedHard: boolean) => void): void {
    if (this.stopped) return
    const now = performance.now()
    this.onWire--
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
    next(kind === 'refused' || kind === 'reset' || kind === 'other')
    this.checkRequestsDone()
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

/** One request's callbacks (undici's dispatch handler API): reads the status, discards the body. */
class ResponseHandler implements Dispatcher.DispatchHandler {
  private status = 0
  private done = false
  constructor(
    private readonly gen: LoadGenerator,
    private readonly client: Client,
    private readonly startMs: number,
    private readonly next: (failedHard: boolean) => void
  ) {}
  onRequestStart(): void {}
  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode
  }
  onResponseData(): void {}
  onResponseEnd(): void {
    this.settleOnce(null)
  }
  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.settleOnce(err)
  }
  private settleOnce(err: Error | null): void {
    if (this.done) return
    this.done = true
    this.gen.release(this.client)
    this.gen.settle(this.startMs, this.status, err, this.next)
  }
}
