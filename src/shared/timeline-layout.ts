/**
 * Where the swimlane's bars go: one lane per request, ordered by when its work started (so a blocking loop draws a
 * staircase, an evented one a block of parallel bars, ten threads a staircase of tens; by send time, a wave sent at
 * once would come out in any order), each phase a span of the window in fractions of the plot's width (0 = the
 * window's left edge). Phases before the window are cut at its edge. Pure: the dashboard's chart and the HTML
 * report draw the same layout.
 */
import { barPhases, TIMELINE_WINDOW_MS, type TimelineBar, type TimelinePhase } from './timeline'

export interface LaneSpan {
  phase: TimelinePhase
  /** 0..1 of the plot's width */
  x: number
  w: number
}

export interface Lane {
  bar: TimelineBar
  /** where the bar starts, 0..1 of the width (0 when it began before the window) */
  x: number
  spans: LaneSpan[]
}

const startOf = (b: TimelineBar): number => b.sentAt ?? b.readAt

/** The window shown at `nowMs`, ms since the run started: the last windowMs, or its first windowMs (never before 0). */
export function swimlaneWindow(nowMs: number, windowMs = TIMELINE_WINDOW_MS): { fromMs: number; toMs: number } {
  const toMs = Math.max(nowMs, windowMs)
  return { fromMs: toMs - windowMs, toMs }
}

export function swimlaneLanes(bars: readonly TimelineBar[], nowMs: number, windowMs = TIMELINE_WINDOW_MS): Lane[] {
  const { fromMs } = swimlaneWindow(nowMs, windowMs)
  const frac = (ms: number): number => Math.min(1, Math.max(0, (ms - fromMs) / windowMs))
  return [...bars]
    .sort((a, b) => a.workStartAt - b.workStartAt || startOf(a) - startOf(b) || a.writtenAt - b.writtenAt)
    .map((bar) => ({
      bar,
      x: frac(startOf(bar)),
      spans: barPhases(bar)
        .map((p) => ({ phase: p.phase, x: frac(p.fromMs), w: frac(p.toMs) - frac(p.fromMs) }))
        .filter((s) => s.w > 0)
    }))
}

/** A lane's height in px: the plot's height shared out, but never so thick that three bars fill a chart. */
export function laneHeightPx(lanes: number, plotHeightPx: number, maxPx = 18): number {
  return lanes === 0 ? 0 : Math.min(maxPx, plotHeightPx / lanes)
}
