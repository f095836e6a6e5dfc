/**
 * Where the event-loop chart shades a stall: only frames the host called stalled, never a healthy loop's jitter. Each
 * span keeps the stack its frames said the loop was stuck in (the latest one), for the chart's hover and focus.
 */
import type { BlockedStack } from '../../../shared/blocked-stack'
import type { Row } from './frame-window'

export interface Span {
  /** seconds since the run started */
  x1S: number
  x2S: number
  /** the last stack a frame of the span carried; null when none was caught (yet) */
  stack: BlockedStack | null
}

/** Contiguous stretches of stalled frames, in seconds, each from when the loop stopped answering. Pure. */
export function stallSpans(rows: readonly Row[]): Span[] {
  const spans: Span[] = []
  let open: Span | null = null
  for (const r of rows) {
    if (r.stalled) {
      // the loop has been blocked since (now − stall): shade from there
      const from = Math.max(r.tS - r.stallMs / 1000, rows[0]!.tS)
      if (open && from <= open.x2S + 0.15) open.x2S = r.tS
      else spans.push((open = { x1S: from, x2S: r.tS, stack: null }))
      if (r.blockedStack) open.stack = r.blockedStack
    } else open = null
  }
  return spans
}
