/**
 * Frames → the rows the charts draw: a rolling window of the last 60 s (600 rows at 10 Hz, never more), flat fields
 * with stable names and units in them, and the run's settings changes (marks) that fall inside the window. Pure
 * functions, no React.
 *
 * A row only renames and flattens what the host computed: the renderer derives no figure of its own (no threshold,
 * no maximum, no theory), so a tile and a chart can never disagree with the frame they were drawn from.
 */
import type { BlockedStack } from '../../../shared/blocked-stack'
import type { Frame, Mark, ProcessFrame } from '../../../shared/frame'
import { keepBars, type TimelineBar } from '../../../shared/timeline'

/** the span of time the charts show, s */
export const CHART_WINDOW_S = 60
export const MAX_ROWS = 600

export interface Row {
  /** seconds since the run started */
  tS: number
  active: number
  queued: number
  inFlight: number
  /** completions a second over the frame's rate window; null while it settles (the chart leaves a gap) */
  rps: number | null
  theoryRps: number | null
  p50Ms: number | null
  p99Ms: number | null
  maxMs: number | null
  loopP99Ms: number
  /** 0..100 */
  utilizationPct: number
  stallMs: number
  /** the host's verdict: stallMs over STALL_THRESHOLD_MS, the loop blocked now */
  stalled: boolean
  held: number | null
  subscribers: number | null
  deliveryP99Ms: number | null
  /** while stalled: what the loop is stuck in, as the host caught it */
  blockedStack: BlockedStack | null
  loopTurnsPerS: number | null
  eventsPerTurn: number | null
  /** the subscribers' requests a second (long polling's re-polls) on the transport named */
  requestsPerS: number | null
  /** the subject's CPU time per delivered message, µs */
  cpuPerDeliveryUs: number | null
  /** bytes the subscribers read per delivered message */
  bytesInPerDelivery: number | null
  /** with several processes: each one's loop (frame.processes); null with one */
  processes: ProcessFrame[] | null
}

export interface FrameWindow {
  rows: Row[]
  marks: Mark[]
  last: Frame | null
  /** frames applied since the window was cleared */
  drawn: number
  /** each request's timeline: the bars answered in the last few seconds (keepBars), as the frames brought them */
  bars: readonly TimelineBar[]
}

export const EMPTY_WINDOW: FrameWindow = { rows: [], marks: [], last: null, drawn: 0, bars: [] }

export function toRow(f: Frame): Row {
  const lp = f.push
  return {
    tS: f.t / 1000,
    active: f.active,
    queued: f.queued,
    inFlight: f.inFlight,
    rps: f.rps,
    theoryRps: f.theoryRps,
    p50Ms: f.latencyMs?.p50 ?? null,
    p99Ms: f.latencyMs?.p99 ?? null,
    maxMs: f.latencyMs?.max ?? null,
    loopP99Ms: f.loopDelayP99Ms,
    utilizationPct: f.loopUtilization * 100,
    stallMs: f.stallMs,
    stalled: f.stalled,
    held: lp ? lp.held : null,
    subscribers: lp ? lp.subscribers : null,
    deliveryP99Ms: lp?.deliveryMs?.p99 ?? null,
    blockedStack: f.blockedStack,
    loopTurnsPerS: f.loopTurnsPerS,
    eventsPerTurn: f.eventsPerTurn,
    requestsPerS: lp?.requestsPerS ?? null,
    cpuPerDeliveryUs: lp?.cpuPerDeliveryUs ?? null,
    bytesInPerDelivery: lp?.bytesInPerDelivery ?? null,
    processes: f.processes ?? null
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
  const rows =
    base.rows.length >= MAX_ROWS ? [...base.rows.slice(base.rows.length - MAX_ROWS + 1), row] : [...base.rows, row]
  const fromMs = (row.tS - CHART_WINDOW_S) * 1000
  const bars = keepBars(base.bars, f.timeline?.bars ?? [], f.t)
  return { rows, marks: mergeMarks(base.marks, f.marks, fromMs), last: f, drawn: base.drawn + 1, bars }
}
