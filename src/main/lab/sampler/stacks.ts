/**
 * What held the subject's loop: the stall watch's events (a stack captured while stalled, a stall's end: see
 * subject/stall-watch.js) as a frame sees them — the stack of the stall going on now — and as the summary does:
 * the stacks that held the loop longest over the run.
 *
 * A stall with several captures (one every 250 ms) is shared out among them: each capture stands for the stall
 * from its own time to the next capture's (the first from the stall's start), so a stall that moved from one
 * function to another is counted in both. Stacks are the same when their functions and files are
 * (blocked-stack.ts stackKey): a busy loop caught on two of its lines is one stack.
 */
import { stackKey, TOP_STACKS, type BlockedStack, type BlockedStackTotal } from '../../../shared/blocked-stack'
import type { StallEvent } from '../protocol'

interface Capture {
  atStallMs: number
  stack: BlockedStack
}

export class StackFigures {
  private open: { stallId: number; captures: Capture[] } | null = null
  private readonly totals = new Map<string, BlockedStackTotal>()

  event(event: StallEvent): void {
    if (event.type === 'stack') {
      if (this.open?.stallId !== event.stallId) this.open = { stallId: event.stallId, captures: [] }
      this.open.captures.push({ atStallMs: event.atStallMs, stack: event.stack })
    } else if (this.open?.stallId === event.stallId) {
      this.count(this.open.captures, event.stallMs)
      this.open = null
    }
  }

  /** The stack the loop is stuck in now: the latest capture of the open stall; null unless `stalled`. */
  frame(stalled: boolean): BlockedStack | null {
    return stalled ? (this.open?.captures.at(-1)?.stack ?? null) : null
  }

  /** Top stacks by stalled time; a stall still open at the end counts up to `openStallMs` (the host's stall now). */
  summary(openStallMs: number): BlockedStackTotal[] {
    const totals = new Map([...this.totals].map(([key, t]) => [key, { ...t }]))
    if (this.open) this.count(this.open.captures, openStallMs, totals)
    return [...totals.values()].sort((a, b) => b.stalledMs - a.stalledMs).slice(0, TOP_STACKS)
  }

  private count(captures: readonly Capture[], stallMs: number, totals = this.totals): void {
    const seen = new Set<string>()
    captures.forEach((capture, i) => {
      const fromMs = i === 0 ? 0 : capture.atStallMs
      const toMs = Math.max(fromMs, captures[i + 1]?.atStallMs ?? stallMs)
      const key = stackKey(capture.stack)
      const total = totals.get(key) ?? { stack: capture.stack, stalledMs: 0, stalls: 0 }
      total.stalledMs += Math.round(toMs - fromMs)
      if (!seen.has(key)) total.stalls += 1
      seen.add(key)
      totals.set(key, total)
    })
  }
}
