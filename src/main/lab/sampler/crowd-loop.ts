/**
 * The crowd's own loop: how busy the crowd's thread is, as its event-loop utilization (read by the host from the
 * worker, performance.eventLoopUtilization), over the last second for a frame and over the run for the summary. A
 * crowd near 100% busy cannot send faster: what is measured is then the crowd's limit, not the server's (hello world
 * on this 2-core machine). The host samples it at every frame; the figures here are the deltas of its totals.
 */
import { RollingWindow } from './window'

/** performance.eventLoopUtilization()'s totals: ms idle and ms active since the thread started */
export interface LoopTotals {
  idle: number
  active: number
}

const LAST_MS = 1000

export class CrowdLoopFigures {
  private prev: LoopTotals | null = null
  /** the run's valid deltas, summed */
  private idle = 0
  private active = 0
  private readonly recent = new RollingWindow<LoopTotals>(LAST_MS)

  sample(now: number, totals: LoopTotals): void {
    const prev = this.prev
    this.prev = totals
    if (!prev) return
    const d = { idle: totals.idle - prev.idle, active: totals.active - prev.active }
    // Before the thread's loop first turns, and after the thread has ended, its totals are not yet (or no longer)
    // those of a running loop (zeros once ended; the start counted as active until the loop runs): a step backwards
    // in either is not a measurement
    if (d.idle < 0 || d.active < 0) return
    this.idle += d.idle
    this.active += d.active
    this.recent.push(now, d)
  }

  /** busy share over the last second, 0..1; null before two samples */
  frame(now: number): number | null {
    this.recent.trim(now)
    let idle = 0
    let active = 0
    for (const d of this.recent.values()) {
      idle += d.idle
      active += d.active
    }
    return share(idle, active)
  }

  /** busy share over the run, 0..1; null before two samples */
  summary(): number | null {
    return share(this.idle, this.active)
  }
}

const share = (idle: number, active: number): number | null =>
  idle + active > 0 ? Math.round((active / (idle + active)) * 1000) / 1000 : null
