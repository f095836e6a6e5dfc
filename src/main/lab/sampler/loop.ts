/**
 * The subject's event loop, as a frame and a summary see it: the stall (time since its last heartbeat, read on the
 * host's clock, so it grows while the loop is blocked), the loop delay p99 and the utilization.
 *
 * A blocked loop cannot report, but what it would say is known: its delay is at least the stall so far and all of
 * the time since its last report was busy. Frames and the summary both count that time, so a run blocked
 * throughout reads a utilization near 100% and a delay p99 of at least the block, as its charts do.
 *
 * Frame figures cover the last second of reports. The summary's delay p99 is weighted by time: each report's p99
 * counts for the time the report covers (a report after a 2-s block covers 2 s), so a loop blocked 95% of a run
 * has a p99 of the block, where a plain p99 of the reports (ten a second while idle, one per block) read 7 ms.
 * Summary figures start at the crowd's first request: the quiet time while the crowd warms its connections up is
 * not part of the experiment.
 *
 * Loop turns: each report carries libuv's cumulative loop count and events handled (uvMetricsInfo); a frame's
 * turns per second and events per turn are the differences over its last second of reports. While the loop is
 * stalled it reads 0 turns: it has not turned since its last heartbeat, whatever the second before it did.
 */
import { STALL_THRESHOLD_MS } from '../../../shared/frame'
import type { SubjectReport } from '../protocol'
import { RollingWindow } from './window'

const WINDOW_MS = 1000

interface Covered {
  p99Ms: number
  utilization: number
  spanMs: number
  /** loop turns and events handled in the span; null where the subject's Node does not count them */
  turns: number | null
  events: number | null
}

export interface LoopFrame {
  loopDelayP99Ms: number
  loopUtilization: number
  stallMs: number
  stalled: boolean
  maxStallMs: number
  /** loop iterations a second over the last second; 0 while stalled; null when the subject's Node cannot say */
  loopTurnsPerS: number | null
  /** events handled per turn over the last second; null while stalled or when nothing turned */
  eventsPerTurn: number | null
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const round3 = (x: number): number => Math.round(x * 1000) / 1000

export class LoopFigures {
  /** null until the first heartbeat: a subject just started has not been silent, it has not spoken yet */
  private lastHeartbeatAt: number | null = null
  private lastReportAt: number
  private maxStallMs = 0
  private readonly recent = new RollingWindow<Covered>(WINDOW_MS)
  /** the run's reports since the crowd's first request */
  private readonly run: Covered[] = []
  private clockAt: number | null = null
  last: SubjectReport | null = null

  constructor(now: number) {
    this.lastReportAt = now
  }

  /** The crowd sent its first request: the summary's figures start here. */
  startClock(now: number): void {
    if (this.clockAt === null) this.clockAt = now
  }

  stallMs(now: number): number {
    return this.lastHeartbeatAt === null ? 0 : Math.max(0, now - this.lastHeartbeatAt)
  }

  stalled(now: number): boolean {
    return this.stallMs(now) > STALL_THRESHOLD_MS
  }

  /**
   * The subject's process is being replaced (a restart behind the front door): the old one's silence is not a
   * stall, and the new one's libuv counts start again from its own start.
   */
  newSubject(): void {
    this.lastHeartbeatAt = null
    this.last = null
  }

  heartbeat(now: number): void {
    this.maxStallMs = Math.max(this.maxStallMs, this.stallMs(now))
    this.lastHeartbeatAt = now
  }

  /** Returns the loop's busy time the report covers, ms: its utilization × the time since the previous report. */
  report(report: SubjectReport, now: number): number {
    const before = this.last?.uv
    const uv = report.uv
    this.last = report
    const covered: Covered = {
      p99Ms: report.loopDelay.p99Ms,
      utilization: report.utilization,
      spanMs: Math.max(1, now - this.lastReportAt),
      // The first report's counts go back to the process's start: no difference to take yet.
      turns: uv && before ? uv.loopCount - before.loopCount : null,
      events: uv && before ? uv.events - before.events : null
    }
    this.lastReportAt = now
    this.recent.push(now, covered)
    if (this.clockAt !== null) this.run.push(covered)
    return covered.utilization * covered.spanMs
  }

  /** The time since the last report, while the loop is stalled: busy, and at least as late as the stall. */
  private open(now: number, capMs: number): Covered | null {
    const stallMs = this.stallMs(now)
    if (stallMs <= STALL_THRESHOLD_MS) return null
    return { p99Ms: stallMs, utilization: 1, spanMs: Math.min(capMs, now - this.lastReportAt), turns: 0, events: 0 }
  }

  frame(now: number): LoopFrame {
    this.recent.trim(now)
    const stallMs = this.stallMs(now)
    this.maxStallMs = Math.max(this.maxStallMs, stallMs)
    const open = this.open(now, WINDOW_MS)
    const covered = open ? [...this.recent.values(), open] : this.recent.values()
    return {
      loopDelayP99Ms: round2(Math.max(0, ...covered.map((c) => c.p99Ms))),
      loopUtilization: utilization(covered),
      stallMs: Math.round(stallMs),
      stalled: open !== null,
      maxStallMs: Math.round(this.maxStallMs),
      ...(open === null ? turns(this.recent.values()) : { loopTurnsPerS: 0, eventsPerTurn: null })
    }
  }

  summary(now: number): { delayP99Ms: number; maxStallMs: number; utilization: number } {
    this.maxStallMs = Math.max(this.maxStallMs, this.stallMs(now))
    const open = this.clockAt === null ? null : this.open(now, Infinity)
    const covered = open ? [...this.run, open] : this.run
    return {
      delayP99Ms: round2(timeWeightedP99(covered)),
      maxStallMs: Math.round(this.maxStallMs),
      utilization: utilization(covered)
    }
  }
}

/** Turns a second and events per turn over the reports that counted them; null when none did (yet). */
function turns(covered: readonly Covered[]): Pick<LoopFrame, 'loopTurnsPerS' | 'eventsPerTurn'> {
  const counted = covered.filter((c) => c.turns !== null)
  if (counted.length === 0) return { loopTurnsPerS: null, eventsPerTurn: null }
  let turnCount = 0
  let eventCount = 0
  let spanMs = 0
  for (const c of counted) {
    turnCount += c.turns!
    eventCount += c.events!
    spanMs += c.spanMs
  }
  return {
    loopTurnsPerS: Math.round((turnCount / spanMs) * 1000),
    eventsPerTurn: turnCount > 0 ? round2(eventCount / turnCount) : null
  }
}

function utilization(covered: readonly Covered[]): number {
  let busyMs = 0
  let spanMs = 0
  for (const c of covered) {
    busyMs += c.utilization * c.spanMs
    spanMs += c.spanMs
  }
  return spanMs > 0 ? round3(busyMs / spanMs) : 0
}

/** The delay that the loop was at or below for 99% of the time covered. */
function timeWeightedP99(covered: readonly Covered[]): number {
  if (covered.length === 0) return 0
  const sorted = [...covered].sort((a, b) => a.p99Ms - b.p99Ms)
  const totalMs = sorted.reduce((a, c) => a + c.spanMs, 0)
  let seenMs = 0
  for (const c of sorted) {
    seenMs += c.spanMs
    if (seenMs >= 0.99 * totalMs) return c.p99Ms
  }
  return sorted[sorted.length - 1]!.p99Ms
}
