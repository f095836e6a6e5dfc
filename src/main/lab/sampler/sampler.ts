/**
 * Turns the crowd's ticks, the subject's reports and heartbeats into a Frame ten times a second, and a Summary at
 * the end. Runs on the host's main thread; every input is a per-tick aggregate, so a frame costs the same whether
 * the crowd does 10 or 20,000 requests a second.
 *
 * Precision: rates and latency percentiles are over the last second of buckets (10 frames); loop delay p99 in a
 * frame is the worst of the subject's 100-ms p99s in that second; the stall is read from the host's clock, so it
 * grows while the subject's loop is blocked and reaches the blocking time before the block ends.
 */
import { FRAME_INTERVAL_MS, emptyErrorCounts, ERROR_KINDS } from '../../../shared/frame'
import type { ErrorCounts, Frame, LatencyStats, LongPollFrame, Mark, Summary, EndReason, Unanswered } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import { theoryRps } from '../../../shared/theory'
import type { CrowdTick, SubjectReport } from '../protocol'
import { buildHistogram, decodeHistogram, percentileMs, usToMs, type Histogram } from '../histogram'
import { RollingWindow } from './window'

const WINDOW_MS = 1000
/** A loop that has not sent a heartbeat for this long is busy with something: at least one request is active. */
const STALLED_AFTER_MS = 50
const AB_PERCENTILES = [50, 66, 75, 80, 90, 95, 98, 99, 100]

interface Bucket {
  /** exact latency maximum, ms */
  maxMs: number | null
  completed: number
  errors: number
  latency: Histogram | null
  delivered: number
  timeouts: number
  delivery: Histogram | null
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

function stats(h: Histogram, exactMaxMs: number | null): LatencyStats {
  const max = exactMaxMs === null ? usToMs(h.maxValue) : round2(exactMaxMs)
  // A histogram percentile is its bucket's upper edge; no percentile may read above the exact maximum.
  const at = (p: number): number => Math.min(percentileMs(h, p), max)
  return { p50: at(50), p90: at(90), p99: at(99), max }
}

export class Sampler {
  private settings: Settings
  private readonly startedAt: number
  private readonly cpuCount: number
  private lastHeartbeatAt: number
  private maxStallMs = 0
  private report: SubjectReport | null = null
  private baselineRssBytes: number | null = null
  private pending: Bucket = Sampler.emptyBucket()
  private readonly buckets = new RollingWindow<Bucket>(WINDOW_MS)
  private readonly reports = new RollingWindow<SubjectReport & { spanMs: number }>(WINDOW_MS)
  private lastReportAt: number
  private inFlight = 0
  private inFlightGauge: Int32Array | null = null
  /** from the latest heartbeat: at most 10 ms old, where the report's is up to 100 ms */
  private active: number | null = null
  /** the crowd's in flight when the last heartbeat arrived; null before the first, or without a gauge */
  private inFlightAtBeat: number | null = null
  private subscribers = 0
  private limitNote: string | null = null
  private pendingMarks: Mark[] = []
  // whole-run figures
  private readonly totalLatency = buildHistogram()
  private readonly totalDelivery = buildHistogram()
  private readonly errorsByKind: ErrorCounts = emptyErrorCounts()
  private completed = 0
  private minLatencyMs: number | null = null
  private maxLatencyMs: number | null = null
  private delivered = 0
  private timeouts = 0
  private readonly loopP99s: number[] = []
  /** Σ utilization × span and Σ span: a report after a long block covers the whole block, so it weighs more */
  private busyMs = 0
  private reportedMs = 0
  private maxInFlight = 0
  private maxQueued = 0
  private lastBytesPerHeld: number | null = null
  private maxHeld = 0
  readonly marks: Mark[] = []

  /** `now` values are performance.now() of the host. */
  constructor(settings: Settings, now: number, cpuCount = 2) {
    this.settings = settings
    this.startedAt = now
    this.lastHeartbeatAt = now
    this.lastReportAt = now
    this.cpuCount = cpuCount
  }

  private static emptyBucket(): Bucket {
    return { maxMs: null, completed: 0, errors: 0, latency: null, delivered: 0, timeouts: 0, delivery: null }
  }

  /** How long the subject's loop has not been heard from. */
  stallMs(now: number): number {
    return Math.max(0, now - this.lastHeartbeatAt)
  }

  heartbeat(now: number, active: number): void {
    this.maxStallMs = Math.max(this.maxStallMs, now - this.lastHeartbeatAt)
    this.lastHeartbeatAt = now
    this.active = active
    // the crowd's in flight at the same moment, to pair with `active` (see frame())
    this.inFlightAtBeat = this.inFlightGauge ? Atomics.load(this.inFlightGauge, 0) : null
  }

  /** The crowd's live in-flight gauge (shared memory), read at each frame instead of the last 100-ms tick. */
  useInFlightGauge(gauge: Int32Array): void {
    this.inFlightGauge = gauge
  }

  subjectReport(report: SubjectReport, now: number): void {
    this.report = report
    // The subject's memory with no subscriber connected, as late as it was seen: memory per held connection is
    // measured from it (a momentary held = 0 between two polls still has every connection open, so it will not do).
    // Until then, the subject's first report (taken before the crowd connects) stands in.
    if ((report.held === 0 && this.subscribers === 0) || this.baselineRssBytes === null) this.baselineRssBytes = report.rssBytes
    const spanMs = Math.max(1, now - this.lastReportAt)
    this.lastReportAt = now
    this.reports.push(now, { ...report, spanMs })
    this.loopP99s.push(report.loopDelay.p99Ms)
    this.busyMs += report.utilization * spanMs
    this.reportedMs += spanMs
  }

  crowdTick(tick: CrowdTick): void {
    const b = this.pending
    const errors = sum(ERROR_KINDS.map((k) => tick.errors[k]))
    for (const k of ERROR_KINDS) this.errorsByKind[k] += tick.errors[k]
    b.completed += tick.completed
    b.errors += errors
    if (tick.latencyMaxMs !== null) b.maxMs = Math.max(b.maxMs ?? 0, tick.latencyMaxMs)
    if (tick.latencyMinMs !== null) this.minLatencyMs = Math.min(this.minLatencyMs ?? Infinity, tick.latencyMinMs)
    if (tick.latencyMaxMs !== null) this.maxLatencyMs = Math.max(this.maxLatencyMs ?? 0, tick.latencyMaxMs)
    this.completed += tick.completed
    this.inFlight = tick.inFlight
    const latency = decodeHistogram(tick.latencyHistogram)
    if (latency) {
      this.totalLatency.add(latency)
      if (b.latency) b.latency.add(latency)
      else b.latency = latency
    }
    const lp = tick.longPoll
    if (lp) {
      this.subscribers = lp.subscribers
      this.limitNote = lp.limitNote
      b.delivered += lp.delivered
      b.timeouts += lp.timeouts
      this.delivered += lp.delivered
      this.timeouts += lp.timeouts
      const delivery = decodeHistogram(lp.deliveryHistogram)
      if (delivery) {
        this.totalDelivery.add(delivery)
        if (b.delivery) b.delivery.add(delivery)
        else b.delivery = delivery
      }
    }
  }

  /** A settings change: it applies from now on, and is drawn as a mark in the next frame. */
  change(settings: Settings, mark: Omit<Mark, 't'>, now: number): void {
    this.settings = settings
    const full = { ...mark, t: Math.round(now - this.startedAt) }
    this.pendingMarks.push(full)
    this.marks.push(full)
  }

  frame(now: number): Frame {
    this.buckets.push(now, this.pending)
    this.pending = Sampler.emptyBucket()
    this.reports.trim(now)
    const buckets = this.buckets.values()
    const spanS = Math.min(WINDOW_MS, Math.max(FRAME_INTERVAL_MS, now - this.startedAt)) / 1000
    const window = mergeAll(buckets.map((b) => b.latency))
    const stallMs = this.stallMs(now)
    this.maxStallMs = Math.max(this.maxStallMs, stallMs)
    const reports = this.reports.values()
    const r = this.report
    const stalled = stallMs > STALLED_AFTER_MS
    // A blocked loop cannot report; what it would say is known: the delay is at least the stall so far, and the
    // time since its last report was all busy.
    const unreportedMs = stalled ? Math.min(WINDOW_MS, now - this.lastReportAt) : 0
    const reportedMs = sum(reports.map((x) => x.spanMs))
    const busyMs = sum(reports.map((x) => x.utilization * x.spanMs)) + unreportedMs
    // While the loop is stalled it is running something: a request's work (see STALLED_AFTER_MS).
    if (this.inFlightGauge) this.inFlight = Atomics.load(this.inFlightGauge, 0)
    const active = Math.max(this.active ?? r?.active ?? 0, stalled ? 1 : 0)
    // Queued pairs the subject's count with the crowd's at one moment: the last heartbeat (at most ~10 ms ago). A
    // wave the crowd sent since then has not been queued behind anything yet — the loop has not had its turn to
    // read it — and comparing it with the older count flickered "19 queued" into evented runs. While the loop is
    // stalled it takes no turn, so everything in flight now, past the running request, is waiting.
    const inFlightThen = stalled || this.inFlightAtBeat === null ? this.inFlight : Math.min(this.inFlightAtBeat, this.inFlight)
    const queued = Math.max(0, inFlightThen - active)
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.maxQueued = Math.max(this.maxQueued, queued)
    const marks = this.pendingMarks
    this.pendingMarks = []
    return {
      t: Math.round(now - this.startedAt),
      inFlight: this.inFlight,
      active,
      queued,
      rps: round2(sum(buckets.map((b) => b.completed)) / spanS),
      errorsPerS: round2(sum(buckets.map((b) => b.errors)) / spanS),
      latencyMs: window ? stats(window, Math.max(0, ...buckets.map((b) => b.maxMs ?? 0))) : null,
      loopDelayP99Ms: round2(Math.max(stalled ? stallMs : 0, ...reports.map((x) => x.loopDelay.p99Ms))),
      loopUtilization: reportedMs + unreportedMs > 0 ? round3(busyMs / (reportedMs + unreportedMs)) : 0,
      stallMs: Math.round(stallMs),
      theoryRps: theory(this.settings, this.cpuCount),
      rssBytes: r?.rssBytes ?? 0,
      completed: this.completed,
      errors: sum(ERROR_KINDS.map((k) => this.errorsByKind[k])),
      marks,
      longPoll: this.longPollFrame(buckets, spanS)
    }
  }

  private longPollFrame(buckets: Bucket[], spanS: number): LongPollFrame | null {
    const r = this.report
    const held = r?.held ?? 0
    if (this.subscribers === 0 && held === 0 && (r?.published ?? 0) === 0) return null
    const delivery = mergeAll(buckets.map((b) => b.delivery))
    const bytesPerHeld =
      held > 0 && r && this.baselineRssBytes !== null ? Math.max(0, (r.rssBytes - this.baselineRssBytes) / held) : null
    if (bytesPerHeld !== null && held >= this.maxHeld) this.lastBytesPerHeld = Math.round(bytesPerHeld)
    this.maxHeld = Math.max(this.maxHeld, held)
    return {
      subscribers: this.subscribers,
      held,
      deliveriesPerS: round2(sum(buckets.map((b) => b.delivered)) / spanS),
      deliveryMs: delivery ? stats(delivery, null) : null,
      timeoutsPerS: round2(sum(buckets.map((b) => b.timeouts)) / spanS),
      published: r?.published ?? 0,
      bytesPerHeld: bytesPerHeld === null ? null : Math.round(bytesPerHeld),
      limitNote: this.limitNote
    }
  }

  /**
   * `durationMs` is the crowd's own: first send → last answer (ab's "time taken"), or → the end of the run;
   * `unanswered`, what the crowd left unanswered at the end (null: it could not say).
   */
  summary(reason: EndReason, durationMs: number, unanswered: Unanswered | null = null): Summary {
    const h = this.totalLatency
    const errors = sum(ERROR_KINDS.map((k) => this.errorsByKind[k]))
    const sorted = [...this.loopP99s].sort((a, b) => a - b)
    const durationS = Math.max(durationMs, 1) / 1000
    const all = stats(h, this.maxLatencyMs)
    return {
      settings: this.settings,
      reason,
      completed: this.completed,
      errors,
      errorsByKind: { ...this.errorsByKind },
      durationMs: Math.round(durationMs),
      rps: round2(this.completed / durationS),
      theoryRps: theory(this.settings, this.cpuCount),
      latencyMs: h.totalCount === 0 ? null : { min: round2(this.minLatencyMs ?? usToMs(h.minNonZeroValue)), mean: round2(h.mean / 1000), ...all },
      percentilesMs:
        h.totalCount === 0
          ? []
          : AB_PERCENTILES.map((p) => ({ percentile: p, ms: p === 100 ? all.max : Math.min(percentileMs(h, p), all.max) })),
      loop: {
        delayP99Ms: sorted.length ? round2(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!) : 0,
        maxStallMs: Math.round(this.maxStallMs),
        utilization: this.reportedMs > 0 ? round3(this.busyMs / this.reportedMs) : 0
      },
      maxInFlight: this.maxInFlight,
      maxQueued: this.maxQueued,
      unanswered,
      marks: this.marks,
      longPoll:
        this.maxHeld === 0 && this.delivered === 0 && this.subscribers === 0
          ? null
          : {
              subscribers: this.subscribers,
              held: this.maxHeld,
              published: this.report?.published ?? 0,
              delivered: this.delivered,
              deliveryP50Ms: this.totalDelivery.totalCount ? percentileMs(this.totalDelivery, 50) : null,
              deliveryP99Ms: this.totalDelivery.totalCount ? percentileMs(this.totalDelivery, 99) : null,
              timeouts: this.timeouts,
              bytesPerHeld: this.lastBytesPerHeld
            }
    }
  }
}

function theory(s: Settings, cpuCount: number): number | null {
  const t = theoryRps(s, cpuCount)
  return t === null ? null : round2(t)
}

function mergeAll(hs: (Histogram | null)[]): Histogram | null {
  const present = hs.filter((h): h is Histogram => h !== null)
  if (present.length === 0) return null
  const merged = buildHistogram()
  for (const h of present) merged.add(h)
  return merged
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const round3 = (x: number): number => Math.round(x * 1000) / 1000
