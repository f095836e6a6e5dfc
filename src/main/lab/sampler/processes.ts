/**
 * The subject's loops, one per process: with one process (no cluster) it is that loop's figures as they are; with
 * several, each worker's loop is its own LoopFigures (its heartbeats, its reports) and the tiles read them together:
 * the server is stalled only while every worker is silent (stallMs, the shortest silence), the loop delay p99 is the
 * worst worker's, the utilization the workers' mean (each is one core's worth), loop turns add up, and max stall is
 * the longest any one loop was held. Active requests are the sum of each worker's latest heartbeat. The rows (one
 * per worker) are the same figures each loop gives on its own: computed here, once, for the frame and the summary.
 */
import type { ProcessFrame, ProcessSummary } from '../../../shared/frame'
import type { SubjectReport } from '../protocol'
import { LoopFigures, type LoopFrame } from './loop'

interface ProcessLoop {
  loop: LoopFigures
  /** requests this worker is serving, as of its latest heartbeat */
  active: number
  last: SubjectReport | null
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const round3 = (x: number): number => Math.round(x * 1000) / 1000

export class ProcessLoops {
  private readonly byWorker = new Map<number, ProcessLoop>()
  private readonly startedAt: number
  private clockAt: number | null = null

  /** `processes`: the workers the run starts with, each a row from the first frame */
  constructor(now: number, processes = 1) {
    this.startedAt = now
    for (let worker = 1; worker <= processes; worker++) this.get(worker)
  }

  private get(worker: number): ProcessLoop {
    let p = this.byWorker.get(worker)
    if (!p) {
      p = { loop: new LoopFigures(this.startedAt), active: 0, last: null }
      if (this.clockAt !== null) p.loop.startClock(this.clockAt)
      this.byWorker.set(worker, p)
    }
    return p
  }

  private loops(): LoopFigures[] {
    return [...this.byWorker.values()].map((p) => p.loop)
  }

  startClock(now: number): void {
    this.clockAt ??= now
    for (const loop of this.loops()) loop.startClock(now)
  }

  /**
   * Returns the requests active on every worker together, as of their latest heartbeats. `holdsLoop`: the work holds
   * the loop, so a worker stalled now is running one request (its last heartbeat came before that one reached it).
   */
  heartbeat(now: number, active: number, worker = 1, holdsLoop = false): number {
    const p = this.get(worker)
    p.loop.heartbeat(now)
    p.active = active
    let sum = 0
    for (const q of this.byWorker.values()) sum += activeOf(q, now, holdsLoop)
    return sum
  }

  /** Returns the loop's busy time the report covers, ms (LoopFigures.report). */
  report(report: SubjectReport, now: number): number {
    const p = this.get(report.worker ?? 1)
    p.last = report
    return p.loop.report(report, now)
  }

  /** A new process under this worker's number (the old one died): a loop of its own, as at the start. */
  replace(worker: number): void {
    this.byWorker.delete(worker)
    this.get(worker)
  }

  /** A new app process (a restart behind the front door): every worker's silence so far is no stall. */
  newSubject(): void {
    for (const loop of this.loops()) loop.newSubject()
  }

  /** the whole server's silence: the shortest of the workers' */
  stallMs(now: number): number {
    return Math.min(...this.loops().map((loop) => loop.stallMs(now)))
  }

  /** resident memory of every process together, as of their latest reports */
  rssBytes(): number {
    let sum = 0
    for (const p of this.byWorker.values()) sum += p.last?.rssBytes ?? 0
    return sum
  }

  /** The tiles' loop figures and, with several processes, a row per process (null with one). */
  frame(now: number, holdsLoop = false): { loop: LoopFrame; rows: ProcessFrame[] | null } {
    const entries = [...this.byWorker.entries()].sort(([a], [b]) => a - b)
    const frames = entries.map(([, p]) => p.loop.frame(now))
    if (frames.length === 1) return { loop: frames[0]!, rows: null }
    const rows = entries.map(([process, p], i): ProcessFrame => {
      const f = frames[i]!
      return {
        process,
        loopDelayP99Ms: f.loopDelayP99Ms,
        loopUtilization: f.loopUtilization,
        stallMs: f.stallMs,
        stalled: f.stalled,
        active: activeOf(p, now, holdsLoop)
      }
    })
    return { loop: combineFrames(frames), rows }
  }

  summary(now: number): {
    loop: { delayP99Ms: number; maxStallMs: number; utilization: number }
    rows: ProcessSummary[] | null
  } {
    const entries = [...this.byWorker.entries()].sort(([a], [b]) => a - b)
    const all = entries.map(([, p]) => p.loop.summary(now))
    if (all.length === 1) return { loop: all[0]!, rows: null }
    return {
      loop: {
        delayP99Ms: Math.max(...all.map((s) => s.delayP99Ms)),
        maxStallMs: Math.max(...all.map((s) => s.maxStallMs)),
        utilization: round3(all.reduce((a, s) => a + s.utilization, 0) / all.length)
      },
      rows: entries.map(([process], i) => ({ process, ...all[i]! }))
    }
  }
}

function activeOf(p: ProcessLoop, now: number, holdsLoop: boolean): number {
  return holdsLoop && p.loop.stalled(now) ? 1 : p.active
}

function combineFrames(frames: LoopFrame[]): LoopFrame {
  const counted = frames.filter((f) => f.loopTurnsPerS !== null)
  const turnsPerS = counted.length > 0 ? counted.reduce((a, f) => a + f.loopTurnsPerS!, 0) : null
  const withEvents = frames.filter((f) => f.eventsPerTurn !== null && f.loopTurnsPerS)
  const turnsWithEvents = withEvents.reduce((a, f) => a + f.loopTurnsPerS!, 0)
  return {
    loopDelayP99Ms: Math.max(...frames.map((f) => f.loopDelayP99Ms)),
    loopUtilization: round3(frames.reduce((a, f) => a + f.loopUtilization, 0) / frames.length),
    stallMs: Math.min(...frames.map((f) => f.stallMs)),
    stalled: frames.every((f) => f.stalled),
    maxStallMs: Math.max(...frames.map((f) => f.maxStallMs)),
    loopTurnsPerS: turnsPerS,
    eventsPerTurn:
      turnsWithEvents > 0
        ? round2(withEvents.reduce((a, f) => a + f.eventsPerTurn! * f.loopTurnsPerS!, 0) / turnsWithEvents)
        : null
  }
}
