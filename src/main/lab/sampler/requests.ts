/**
 * The requests' part of a frame and of the summary: in flight, active and queued at one instant; throughput and
 * errors over the fitted window; latency over the same window and over the whole run.
 *
 * One instant: the subject's heartbeat (every 10 ms) carries its active count and the host reads the crowd's
 * in-flight gauge (shared memory) as the heartbeat arrives, so each beat is a pair taken at one moment. A frame uses
 * the beat whose queued count is the median of the frame's ~10 beats: a closed loop's wave puts the crowd's next
 * requests in the subject's socket buffers a millisecond before its loop reads them, and a beat that falls in that
 * millisecond saw "34 queued" in an evented run where nothing waits; the median of ten does not. A queue that lasts
 * half a frame or more shows. While the loop is stalled by blocking work there are no beats: it is running one
 * request, and everything else in flight is waiting behind it, from the first frame of the stall.
 */
import { emptyErrorCounts, ERROR_KINDS, type ErrorCounts, type LatencyStats } from '../../../shared/frame'
import type { CrowdTick } from '../protocol'
import { buildHistogram, decodeHistogram, mergeAll, percentileMs, usToMs, type Histogram } from '../histogram'
import { hannRate, inSpan, MAX_WINDOW_MS, type Span } from './rate-window'
import { RollingWindow } from './window'

const AB_PERCENTILES = [50, 66, 75, 80, 90, 95, 98, 99, 100]

interface Bucket {
  at: number
  completed: number
  errors: number
  latency: Histogram | null
  /** exact latency maximum, ms */
  maxMs: number | null
}

interface Beat {
  inFlight: number
  active: number
}

export interface RequestsFrame {
  inFlight: number
  active: number
  queued: number
  rps: number | null
  errorsPerS: number | null
  latencyMs: LatencyStats | null
  completed: number
  errors: number
  maxInFlight: number
  maxQueued: number
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0)
const round2 = (x: number): number => Math.round(x * 100) / 100

export function latencyStats(h: Histogram, exactMaxMs: number | null): LatencyStats {
  const max = exactMaxMs === null ? usToMs(h.maxValue) : round2(exactMaxMs)
  // A histogram percentile is its bucket's upper edge; no percentile may read above the exact maximum.
  const at = (p: number): number => Math.min(percentileMs(h, p), max)
  return { p50: at(50), p90: at(90), p99: at(99), max }
}

export class RequestFigures {
  private pending: Omit<Bucket, 'at'> = RequestFigures.emptyBucket()
  private readonly buckets = new RollingWindow<Bucket>(MAX_WINDOW_MS + 1000)
  private beats: Beat[] = []
  private lastBeat: Beat | null = null
  private gauge: Int32Array | null = null
  /** the crowd's in flight from its last tick, for a crowd without a gauge */
  private tickInFlight = 0
  private readonly total = buildHistogram()
  readonly errorsByKind: ErrorCounts = emptyErrorCounts()
  private completed = 0
  private minMs: number | null = null
  private maxMs: number | null = null
  private maxInFlight = 0
  private maxQueued = 0
  private lastClosedAt = -Infinity

  private static emptyBucket(): Omit<Bucket, 'at'> {
    return { completed: 0, errors: 0, latency: null, maxMs: null }
  }

  /** The crowd's live in-flight gauge (shared memory). */
  useGauge(gauge: Int32Array): void {
    this.gauge = gauge
  }

  /** In flight now, as the crowd counts it. */
  inFlightNow(): number {
    return this.gauge ? Atomics.load(this.gauge, 0) : this.tickInFlight
  }

  /** A heartbeat: the subject's active count, paired with the crowd's in flight at the moment it arrived. */
  beat(active: number): void {
    const beat = { inFlight: this.inFlightNow(), active }
    this.beats.push(beat)
    this.lastBeat = beat
  }

  /**
   * A crowd tick; returns its answers (completions and errors). `takenAt`: when the crowd took it, on the host's
   * clock. A tick that waited in a busy thread's queue past a frame belongs to the frame it was taken in, not the
   * one it arrived in: near the window's edge, a wave counted a frame or two late moves the throughput by 10%.
   */
  tick(tick: CrowdTick, takenAt = Infinity): number {
    const b = this.bucketFor(takenAt)
    const errors = sum(ERROR_KINDS.map((k) => tick.errors[k]))
    for (const k of ERROR_KINDS) this.errorsByKind[k] += tick.errors[k]
    b.completed += tick.completed
    b.errors += errors
    this.completed += tick.completed
    this.tickInFlight = tick.inFlight
    if (tick.latencyMaxMs !== null) {
      b.maxMs = Math.max(b.maxMs ?? 0, tick.latencyMaxMs)
      this.maxMs = Math.max(this.maxMs ?? 0, tick.latencyMaxMs)
    }
    if (tick.latencyMinMs !== null) this.minMs = Math.min(this.minMs ?? Infinity, tick.latencyMinMs)
    const latency = decodeHistogram(tick.latencyHistogram)
    if (latency) {
      this.total.add(latency)
      if (b.latency) b.latency.add(latency)
      else b.latency = latency
    }
    return tick.completed + errors
  }

  private bucketFor(takenAt: number): Omit<Bucket, 'at'> {
    if (takenAt > this.lastClosedAt) return this.pending
    return this.buckets.values().find((b) => b.at >= takenAt) ?? this.pending
  }

  /** Closes this frame's bucket; the latency median of the span, for the window to fit itself to. */
  close(now: number): void {
    this.lastClosedAt = now
    this.buckets.push(now, { at: now, ...this.pending })
    this.pending = RequestFigures.emptyBucket()
  }

  /** The median latency over the span (null when nothing was answered in it). */
  medianLatencyMs(span: Span): number | null {
    const h = this.latencyOver(span)
    return h ? percentileMs(h, 50) : null
  }

  /**
   * The span's latencies in one histogram. Merged once per frame and span (up to 100 buckets at a 10-s window): the
   * window asks for the median, then the frame for the percentiles of the same span.
   */
  private merged: { closedAt: number; fromAt: number; histogram: Histogram | null } | null = null
  private latencyOver(span: Span): Histogram | null {
    const m = this.merged
    if (m && m.closedAt === this.lastClosedAt && m.fromAt === span.fromAt) return m.histogram
    const histogram = mergeAll(inSpan(this.buckets.values(), span).map((b) => b.latency))
    this.merged = { closedAt: this.lastClosedAt, fromAt: span.fromAt, histogram }
    return histogram
  }

  /** `blockedLoops`: loops stalled running a request's work, one each (see the file's opening comment); 0 if none */
  frame(now: number, span: Span, blockedLoops: number): RequestsFrame {
    const { inFlight, active } = this.instant(blockedLoops)
    const queued = inFlight - active
    this.maxInFlight = Math.max(this.maxInFlight, inFlight)
    this.maxQueued = Math.max(this.maxQueued, queued)
    const buckets = this.buckets.values()
    const inside = inSpan(buckets, span)
    const latency = this.latencyOver(span)
    return {
      inFlight,
      active,
      queued,
      rps: hannRate(buckets, span, now, (b) => b.completed),
      errorsPerS: hannRate(buckets, span, now, (b) => b.errors),
      latencyMs: latency ? latencyStats(latency, Math.max(0, ...inside.map((b) => b.maxMs ?? 0))) : null,
      completed: this.completed,
      errors: sum(ERROR_KINDS.map((k) => this.errorsByKind[k])),
      maxInFlight: this.maxInFlight,
      maxQueued: this.maxQueued
    }
  }

  /** in flight and active at one instant, active ≤ in flight (see the file's opening comment) */
  private instant(blockedLoops: number): Beat {
    const beats = this.beats
    this.beats = []
    if (blockedLoops > 0) {
      // One request is running on each blocked loop; the rest wait behind them, wherever they are.
      const inFlight = this.inFlightNow()
      return { inFlight, active: Math.min(blockedLoops, inFlight) }
    }
    const pick =
      beats.length > 0 ? medianByQueued(beats) : (this.lastBeat ?? { inFlight: this.inFlightNow(), active: 0 })
    return { inFlight: pick.inFlight, active: Math.min(pick.active, pick.inFlight) }
  }

  summary(): {
    completed: number
    errors: number
    errorsByKind: ErrorCounts
    latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number } | null
    percentilesMs: { percentile: number; ms: number }[]
    maxInFlight: number
    maxQueued: number
  } {
    const h = this.total
    const all = latencyStats(h, this.maxMs)
    return {
      completed: this.completed,
      errors: sum(ERROR_KINDS.map((k) => this.errorsByKind[k])),
      errorsByKind: { ...this.errorsByKind },
      latencyMs:
        h.totalCount === 0
          ? null
          : { min: round2(this.minMs ?? usToMs(h.minNonZeroValue)), mean: round2(h.mean / 1000), ...all },
      percentilesMs:
        h.totalCount === 0
          ? []
          : AB_PERCENTILES.map((p) => ({
              percentile: p,
              ms: p === 100 ? all.max : Math.min(percentileMs(h, p), all.max)
            })),
      maxInFlight: this.maxInFlight,
      maxQueued: this.maxQueued
    }
  }
}

function medianByQueued(beats: readonly Beat[]): Beat {
  const sorted = [...beats].sort((a, b) => Math.max(0, a.inFlight - a.active) - Math.max(0, b.inFlight - b.active))
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}
