/**
 * The window every rate of a frame is measured over (throughput, errors, deliveries, timeouts), and its latency
 * figures too. One per run, shared by the parts of the sampler, so all of a frame's rates cover the same span.
 *
 * Why not the last second: a closed loop with a 2-s delay answers in waves, 100 answers every 2 s, so a 1-s window
 * reads 0 and 100 by turns around a truth of 50. The window is fitted to the workload — 3 round trips, rounded up
 * to a readable 3, 4, 5, 6, 8 or 10 s — and its buckets are weighted by a Hann window (0 at both ends, 1 in
 * the middle), so a wave entering or leaving it moves the figure by a few percent instead of half. Simulated on
 * 100-ms buckets against waves of every period from 0.5 to 3 s: the worst error of a plain window of 2–4 round
 * trips is 15–49%, of the Hann window 2–8% (2.5–4.7% at 3).
 *
 * The round trip is the work's delay: it is the period of the answers in every mode — a closed loop's waves come
 * once a delay, blocking work answers once a delay, N threads answer N once a delay — where the latency is not (a
 * blocked request's latency is c delays). Hello world has no delay: its round trip is its median latency.
 *
 * A settings change starts the window again, from the moment the requests sent before it have all been answered
 * (or 10 s after the change, whichever comes first): their answers belong to the old settings. Until two round
 * trips of the new settings have passed, the rates are null ('settling') — fewer than that, any window sees either
 * no wave yet or one wave over too short a time, and would read 0 or several times the truth.
 */
import { FRAME_INTERVAL_MS, type RateWindow } from '../../../shared/frame'

/**
 * Never under 3 s: at a 500-ms delay a 2-s window (4 round trips) read up to 12% off in one bench run in four, a
 * single late wave weighing more in a short window; hello world loses nothing by a longer one.
 */
const NICE_WINDOWS_MS = [3000, 4000, 5000, 6000, 8000, 10_000]
export const MAX_WINDOW_MS = NICE_WINDOWS_MS[NICE_WINDOWS_MS.length - 1]!
const ROUND_TRIPS_PER_WINDOW = 3
const SETTLE_ROUND_TRIPS = 2
/** hello world's round trip is under a millisecond; a figure still needs a few frames behind it */
const MIN_SETTLE_MS = 5 * FRAME_INTERVAL_MS
/** how long a change waits for the old requests' answers before it counts whatever comes */
const OLD_ANSWERS_WAIT_MS = 10_000

function fittedWindowMs(roundTripMs: number): number {
  const wanted = ROUND_TRIPS_PER_WINDOW * roundTripMs
  return NICE_WINDOWS_MS.find((w) => w >= wanted) ?? MAX_WINDOW_MS
}

export interface Span extends RateWindow {
  /** host time the span starts at (exclusive) */
  fromAt: number
}

export class FittedWindow {
  private changedAt: number
  /** when the current settings' own answers began: null while answers owed to the old settings are still due */
  private regimeAt: number | null
  private oldAnswersDue: number
  /** the settings' own round trip: the work's delay (0 for hello world) */
  private delayMs: number
  /** the longest median latency seen since the regime began: hello world's round trip */
  private latencyMs = 0
  private windowMs: number

  /** null until the crowd's first request: its warm-up is not part of any rate */
  private startedAt: number | null = null

  constructor(now: number, delayMs: number) {
    this.changedAt = now
    this.regimeAt = null
    this.oldAnswersDue = 0
    this.delayMs = delayMs
    this.windowMs = fittedWindowMs(delayMs)
  }

  /** The crowd sent its first request: the first regime begins. */
  start(now: number): void {
    if (this.startedAt !== null) return
    this.startedAt = now
    if (this.oldAnswersDue === 0) this.regimeAt = now
  }

  /** A settings change: `inFlight` requests were sent under the old settings and are still to be answered. */
  change(now: number, inFlight: number, delayMs: number): void {
    this.changedAt = now
    this.oldAnswersDue = inFlight
    this.regimeAt = inFlight > 0 || this.startedAt === null ? null : now
    this.delayMs = delayMs
    this.latencyMs = 0
    this.windowMs = fittedWindowMs(delayMs)
  }

  /** Answers (completions and errors) that arrived: the first ones after a change are the old settings'. */
  answered(count: number): void {
    if (this.regimeAt !== null || this.startedAt === null || count === 0) return
    this.oldAnswersDue -= count
  }

  /**
   * A frame's bucket closed at `now`. The regime begins at the close of the bucket that held the last old answer,
   * so that bucket — old answers, and their latencies — stays out of the new span.
   */
  closed(now: number): void {
    if (this.regimeAt === null && this.startedAt !== null && this.oldAnswersDue <= 0) this.regimeAt = now
  }

  /** The median latency of the answers in the current span: the round trip of work without a delay. */
  observeLatency(p50Ms: number): void {
    this.latencyMs = Math.max(this.latencyMs, p50Ms)
    // Only ever widened within one regime, so the label does not flicker between two sizes.
    this.windowMs = Math.max(this.windowMs, fittedWindowMs(this.roundTripMs()))
  }

  private roundTripMs(): number {
    return this.delayMs > 0 ? this.delayMs : this.latencyMs
  }

  span(now: number): Span {
    if (this.regimeAt === null && this.startedAt !== null && now - this.changedAt >= OLD_ANSWERS_WAIT_MS)
      this.regimeAt = now
    const windowMs = this.windowMs
    if (this.regimeAt === null) return { windowMs, spanMs: 0, state: 'settling', fromAt: now }
    const sinceMs = now - this.regimeAt
    const settleMs = Math.max(MIN_SETTLE_MS, SETTLE_ROUND_TRIPS * this.roundTripMs())
    if (sinceMs < Math.min(settleMs, windowMs))
      return { windowMs, spanMs: Math.round(sinceMs), state: 'settling', fromAt: this.regimeAt }
    if (sinceMs < windowMs)
      return { windowMs, spanMs: Math.round(sinceMs), state: 'since-change', fromAt: this.regimeAt }
    return { windowMs, spanMs: windowMs, state: 'full', fromAt: now - windowMs }
  }
}

/** A frame's worth of counts, stamped with the host time the frame closed. */
export interface Stamped {
  at: number
}

/**
 * Σ weight × count / Σ weight × bucket length, over the buckets inside the span, a Hann weight each by where its
 * middle falls in the span. `count` reads one bucket. Null while the span settles.
 */
export function hannRate<T extends Stamped>(
  buckets: readonly T[],
  span: Span,
  now: number,
  count: (b: T) => number
): number | null {
  if (span.state === 'settling') return null
  const lengthMs = now - span.fromAt
  let weighted = 0
  let weightMs = 0
  let prevAt = span.fromAt
  for (const b of buckets) {
    if (b.at <= span.fromAt) continue
    const fromAt = Math.max(prevAt, span.fromAt)
    const middle = ((fromAt + b.at) / 2 - span.fromAt) / lengthMs
    const w = 0.5 - 0.5 * Math.cos(2 * Math.PI * middle)
    weighted += w * count(b)
    weightMs += w * (b.at - fromAt)
    prevAt = b.at
  }
  return weightMs > 0 ? Math.round((weighted / (weightMs / 1000)) * 100) / 100 : 0
}

/** The buckets inside the span (for figures that are not rates: latency percentiles over the same span). */
export function inSpan<T extends Stamped>(buckets: readonly T[], span: Span): T[] {
  return buckets.filter((b) => b.at > span.fromAt)
}
