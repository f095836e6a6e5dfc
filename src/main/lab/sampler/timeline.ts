/**
 * Each request's timeline, as frames carry it: the subject's sampled bars (epoch ms of its clock) turned into ms
 * since the run started — the one place that conversion happens — and handed out once, in the next frame. A frame
 * holds at most TIMELINE_FRAME_MAX_BARS (the newest answered first kept); the renderer keeps the last few seconds.
 * The recorder (runs/record.ts) keeps the end of the run for the saved run.
 */
import { TIMELINE_FRAME_MAX_BARS, type TimelineBar, type TimelineDelta } from '../../../shared/timeline'
import type { SubjectTimelineReport } from '../protocol'

const round1 = (x: number): number => Math.round(x * 10) / 10

export class TimelineFigures {
  /** epoch ms of the run's t = 0 */
  private readonly originMs: number
  private pending: TimelineBar[] = []
  private answered = 0
  private seen = false

  /** `startedAt`: performance.now() of the host at the run's start */
  constructor(startedAt: number) {
    this.originMs = performance.timeOrigin + startedAt
  }

  report(timeline: SubjectTimelineReport | undefined): void {
    if (!timeline) return
    this.seen = true
    this.answered += timeline.answered
    const at = (epochMs: number): number => round1(epochMs - this.originMs)
    for (const b of timeline.bars) {
      this.pending.push({
        sentAt: b.sentAt === null ? null : at(b.sentAt),
        readAt: at(b.readAt),
        handlerAt: at(b.handlerAt),
        workStartAt: at(b.workStartAt),
        workEndAt: at(b.workEndAt),
        where: b.where,
        writtenAt: at(b.writtenAt)
      })
    }
  }

  /** The bars since the last frame, oldest answer first; null while the subject sends no timeline (it is off). */
  frame(): TimelineDelta | null {
    if (!this.seen) return null
    const bars = this.pending.sort((a, b) => a.writtenAt - b.writtenAt).slice(-TIMELINE_FRAME_MAX_BARS)
    const delta = { bars, answered: this.answered }
    this.pending = []
    this.answered = 0
    return delta
  }
}
