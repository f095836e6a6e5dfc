/**
 * Frames → the rows the charts draw: a rolling window of the last 60 s (600 rows at 10 Hz, never more), flat fields
 * with stable names, and the run's settings changes (marks) that fall inside the window. Pure functions, no React.
 */
import type { Frame, Mark } from '../../../shared/frame'

export const WINDOW_S = 60
export const MAX_ROWS = 600
/** a frame whose stall exceeds this is drawn as a stall */
export const STALL_THRESHOLD_MS = 50

export interface Row {
  /** seconds since the run started */
  t: number
  active: number
  queued: number
  inFlight: number
  rps: number
  theory: number | null
  p50: number | null
  p99: number | null
  max: number | null
  loopP99: number
  /** percent, 0..100 */
  utilization: number
  stall: number
  held: number | null
  subscribers: number | null
  deliveryP99: number | null
}

export interface FrameWindow {
  rows: Row[]
  marks: Mark[]
  last: Frame | null
  /** frames applied since the window was cleared */
  drawn: number
  maxStallMs: number
  maxQueued: number
}

export const EMPTY_WINDOW: FrameWindow = { rows: [], marks: [], last: null, drawn: 0, maxStallMs: 0, maxQueued: 0 }

export function toRow(f: Frame): Row {
  const lp = f.longPoll
  return {
    t: f.t / 1000,
    active: f.active,
    queued: f.queued,
    inFlight: f.inFlight,
    rps: f.rps,
    theory: f.theoryRps,
    p50: f.latencyMs?.p50 ?? null,
    p99: f.latencyMs?.p99 ?? null,
    max: f.latencyMs?.max ?? null,
    loopP99: f.loopDelayP99Ms,
    utilization: f.loopUtilization * 100,
    stall: f.stallMs,
    held: lp ? lp.held : null,
    subscribers: lp ? lp.subscribers : null,
    deliveryP99: lp?.deliveryMs?.p99 ?? null
  }
}

const markKey = (m: Mark): string => `${m.t}|${m.label}`

/** Marks may arrive once or repeatedly (cumulative): keep each once, drop those that left the window. */
function mergeMarks(known: Mark[], incoming: Mark[], fromMs: number): Mark[] {
  const stale = known.length > 0 && known[0]!.t < fromMs
  if (!stale && incoming.length === 0) return known
  const byKey = new Map<string, Mark>()
  for (const m of known) if (m.t >= fromMs) byKey.set(markKey(m), m)
  const before = byKey.size
  for (const m of incoming) if (m.t >= fromMs && !byKey.has(markKey(m))) byKey.set(markKey(m), m)
  // nothing added or dropped: keep the same array so memoised charts skip work
  if (!stale && byKey.size === before) return known
  return [...byKey.values()].sort((a, b) => a.t - b.t)
}

export function pushFrame(w: FrameWindow, f: Frame): FrameWindow {
  const row = toRow(f)
  // A frame from before the last one means a new run: start a fresh window.
  const base = w.last && f.t < w.last.t ? EMPTY_WINDOW : w
  const rows = base.rows.length >= MAX_ROWS ? [...base.rows.slice(base.rows.length - MAX_ROWS + 1), row] : [...base.rows, row]
  const fromMs = (row.t - WINDOW_S) * 1000
  return {
    rows,
    marks: mergeMarks(base.marks, f.marks, fromMs),
    last: f,
    drawn: base.drawn + 1,
    maxStallMs: Math.max(base.maxStallMs, f.stallMs),
    maxQueued: Math.max(base.maxQueued, f.queued)
  }
}

export interface Span {
  x1: number
  x2: number
}

/** Contiguous stretches of frames stalled beyond the threshold, in seconds, for shading. */
export function stallSpans(rows: readonly Row[], thresholdMs = STALL_THRESHOLD_MS): Span[] {
  const spans: Span[] = []
  let open: Span | null = null
  for (const r of rows) {
    if (r.stall > thresholdMs) {
      // the loop has been blocked since (now − stall): shade from there
      const from = Math.max(r.t - r.stall / 1000, rows[0]!.t)
      if (open && from <= open.x2 + 0.15) open.x2 = r.t
      else spans.push((open = { x1: from, x2: r.t }))
    } else open = null
  }
  return spans
}
