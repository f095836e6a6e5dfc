/**
 * The points a chart draws, from the window's rows: every frame of the last 10 s, and for the older 50 s two frames a
 * second — the one where the chart's "low" value is lowest and the one where its "high" value is highest, in time
 * order. So a chart holds about 200 points instead of 600 (a Recharts update costs roughly in proportion), and what
 * matters is never smoothed away: a stall's peak, a latency spike or dip is a real frame, drawn at its real time.
 *
 * Buckets are whole seconds of run time, so a bucket's choice does not change as the window scrolls. Pure, no React.
 */
import type { Row } from './frame-window'

/** newer than this (seconds before the last row), every frame is drawn */
export const FULL_RESOLUTION_S = 10
/** older frames are reduced to at most two per bucket of this many seconds */
export const BUCKET_S = 1

export interface Salience {
  /** the frame of each bucket where this is highest is kept (null: not a candidate) */
  high: (r: Row) => number | null
  /** the frame of each bucket where this is lowest is kept (null: not a candidate) */
  low: (r: Row) => number | null
  /** a frame where this differs from the frame before is kept too (a step line's step, e.g. theory) */
  step?: (r: Row) => number | null
}

export function downsample(rows: readonly Row[], s: Salience): Row[] {
  const n = rows.length
  if (n === 0) return []
  const fullFrom = rows[n - 1]!.tS - FULL_RESOLUTION_S
  const out: Row[] = []
  let i = 0
  // always the window's first frame, so the lines reach the left edge
  out.push(rows[0]!)
  i = 1
  while (i < n && rows[i]!.tS < fullFrom) {
    const bucket = Math.floor(rows[i]!.tS / BUCKET_S)
    let hiAt = -1
    let loAt = -1
    let hi = -Infinity
    let lo = Infinity
    const start = i
    for (; i < n && rows[i]!.tS < fullFrom && Math.floor(rows[i]!.tS / BUCKET_S) === bucket; i++) {
      const r = rows[i]!
      const h = s.high(r)
      const l = s.low(r)
      if (h !== null && h >= hi) {
        hi = h
        hiAt = i
      }
      if (l !== null && l < lo) {
        lo = l
        loAt = i
      }
    }
    const keep = [hiAt, loAt]
    if (s.step) for (let k = start; k < i; k++) if (s.step(rows[k]!) !== s.step(rows[k - 1]!)) keep.push(k)
    keep.sort((a, b) => a - b)
    let last = -1
    for (const k of keep) {
      if (k > last && k >= start) out.push(rows[k]!)
      last = Math.max(last, k)
    }
    // a bucket with no candidate at all (every value null): keep its last frame, so gaps stay gaps
    if (hiAt < 0 && loAt < 0) out.push(rows[i - 1]!)
  }
  for (; i < n; i++) out.push(rows[i]!)
  return out
}
