/**
 * Slider stops: log-ish, so that 0, 10, 100, 1000, 2000 and 10 000 ms are each one arrow-key press apart from their
 * neighbours and reachable exactly. A number input beside each slider takes any exact value the schema accepts.
 */
export const DELAY_STOPS_MS = [
  0, 1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10_000
]
export const CONCURRENCY_STOPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]
export const RATE_STOPS = [1, 2, 5, 10, 20, 25, 50, 75, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000]
export const THREAD_STOPS = [0, 1, 2, 4, 8, 10, 16, 32, 64]
export const UPSTREAM_CONNECTION_STOPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
export const JITTER_STOPS_MS = [0, 10, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]
export const SUBSCRIBER_STOPS = [0, 10, 100, 500, 1000, 2000, 5000, 10_000, 15_000, 19_500]
export const PUBLISH_STOPS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

/** The index of the stop nearest to `value` (on a log-ish axis, so 1800 → 2000, not 1500). */
export function nearestStop(stops: readonly number[], value: number): number {
  let best = 0
  let bestDist = Infinity
  const f = (x: number): number => Math.log10(x + 1)
  for (let i = 0; i < stops.length; i++) {
    const d = Math.abs(f(stops[i]!) - f(value))
    if (d < bestDist) {
      bestDist = d
      best = i
    }
  }
  return best
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  if (ms === 0) return '0 ms'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 100) return `${Math.round(ms)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}

// one formatter: toLocaleString builds a new one on every call, several times per frame for the KPI tiles
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–'
  if (Number.isInteger(n) || Math.abs(n) >= 100) return INTEGER.format(Math.round(n))
  if (Math.abs(n) >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

/** Axis ticks: no needless decimals ("50 ms", "1.5 s"). */
export function formatMsTick(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toFixed(2)} s`
  return `${+ms.toFixed(2)} ms`
}

/** [0, top] with 3–5 round steps covering `max` (few enough to stay legible on a short chart). */
export function niceTicks(max: number): number[] {
  const step = niceCeil(Math.max(max, 1e-9) / 4)
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step)
  const ticks: number[] = []
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(+v.toPrecision(12))
  return ticks
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–'
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${Math.round(bytes)} B`
}

export interface AxisScale {
  scale: 'linear' | 'log'
  domain: [number, number]
  ticks?: number[]
}

/** Latency axis: linear while values stay within two decades, log (powers of ten) once they span more. */
export function latencyScale(values: Iterable<number | null>): AxisScale {
  let lo = Infinity
  let hi = 0
  for (const v of values) {
    if (v === null || !(v > 0)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (hi === 0) return { scale: 'linear', domain: [0, 10] }
  if (hi / lo < 100) {
    const ticks = niceTicks(hi)
    return { scale: 'linear', domain: [0, ticks.at(-1)!], ticks }
  }
  const from = Math.floor(Math.log10(lo))
  const to = Math.ceil(Math.log10(hi))
  const ticks: number[] = []
  for (let e = from; e <= to; e++) ticks.push(10 ** e)
  return { scale: 'log', domain: [10 ** from, 10 ** to], ticks }
}

/** 1, 2, 2.5, 5 × 10^n at or above x */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p
  return 10 * p
}

/** A linear axis from 0 with round ticks, covering the largest of `value(row)` (at least `floor`). */
export function linearAxis<R>(
  rows: readonly R[],
  value: (row: R) => number | null,
  floor = 1
): { domain: [number, number]; ticks: number[] } {
  let max = floor
  for (const r of rows) {
    const v = value(r)
    if (v !== null && v > max) max = v
  }
  const ticks = niceTicks(max)
  return { domain: [0, ticks.at(-1)!], ticks }
}
