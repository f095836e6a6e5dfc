/**
 * The crowd's own loop: how busy the crowd's thread is, over the last second for a frame and over the run for the
 * summary. The crowd reads its own event-loop utilization at each tick, on its thread, and sends the deltas: read
 * from the host's thread instead (worker.performance), it said ~100% at hello world where this says ~40%, and once
 * came out over 100%. A crowd near 100% busy cannot send faster: what is measured is then the crowd's limit, not the server's.
 */
import { RollingWindow } from './window'

/** ms idle and ms busy over some span */
export interface LoopSpan {
  idle: number
  active: number
}

const LAST_MS = 1000

export class CrowdLoopFigures {
  private idle = 0
  private active = 0
  private readonly recent = new RollingWindow<LoopSpan>(LAST_MS)

  /** one crowd tick's span (every 100 ms) */
  tick(now: number, span: LoopSpan): void {
    if (span.idle < 0 || span.active < 0) return
    this.idle += span.idle
    this.active += span.active
    this.recent.push(now, span)
  }

  /** busy share over the last second, 0..1; null with no tick in it */
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

  /** busy share over the run, 0..1; null with no tick */
  summary(): number | null {
    return share(this.idle, this.active)
  }
}

const share = (idle: number, active: number): number | null =>
  idle + active > 0 ? Math.round((active / (idle + active)) * 1000) / 1000 : null
