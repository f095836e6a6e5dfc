/**
 * The live series as SVG geometry: rows → path strings in the plot area's pixels. Pure, no React, no DOM, so it is
 * unit-tested and costs a fraction of a millisecond per frame (a few hundred points per chart).
 *
 * Why not Recharts' own Line and Area: each data change runs Recharts' whole store (every selector, twice) for every
 * chart, ~12 ms a frame for four charts before anything is drawn. Recharts still draws what changes at most once a
 * second — the axes, their ticks, the settings-change markers — and these paths are laid under it, on the same plot
 * area (see LivePlot.tsx).
 */

export type ScaleKind = 'linear' | 'log'

export interface AxisSpec {
  domain: readonly [number, number]
  scale?: ScaleKind
}

/** A value → pixel map: domain[0] at `from`, domain[1] at `to` (for a y axis, from = bottom, to = top). */
export type Scale = (v: number) => number

export function scaleOf(axis: AxisSpec, from: number, to: number): Scale {
  const [lo, hi] = axis.domain
  if (axis.scale === 'log') {
    const l0 = Math.log10(lo)
    const span = Math.log10(hi) - l0 || 1
    // a log axis cannot show 0 or less: such a value sits on the bottom edge
    return (v) => from + (((v > 0 ? Math.log10(v) : l0) - l0) / span) * (to - from)
  }
  const span = hi - lo || 1
  return (v) => from + ((v - lo) / span) * (to - from)
}

/** one decimal of a pixel: finer than a screen shows, and short strings */
const px = (v: number): number => Math.round(v * 10) / 10

export interface SeriesShape {
  /** a step after each point (the value holds until the next one), not a straight line between points */
  step?: boolean
  /** skip missing values and join their neighbours, instead of leaving a gap */
  connectNulls?: boolean
}

/** Runs of consecutive rows with a drawable value (their indices); a null ends a run unless nulls are connected. */
function runs<R>(rows: readonly R[], value: (r: R) => number | null, connectNulls: boolean): number[][] {
  const out: number[][] = []
  let run: number[] | null = null
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]!)
    if (v === null || !Number.isFinite(v)) {
      if (!connectNulls) run = null
      continue
    }
    if (!run) out.push((run = []))
    run.push(i)
  }
  return out
}

function trace(points: ReadonlyArray<readonly [number, number]>, step: boolean, start: 'M' | 'L'): string {
  let d = ''
  let prevY = 0
  points.forEach(([x, y], i) => {
    if (i === 0) d += `${start}${px(x)},${px(y)}`
    else if (step) d += `H${px(x)}${y === prevY ? '' : `V${px(y)}`}`
    else d += `L${px(x)},${px(y)}`
    prevY = y
  })
  return d
}

/** A line through `value` of every row, in pixels; '' when nothing is drawable. */
export function linePath<R>(
  rows: readonly R[],
  x: (r: R) => number,
  value: (r: R) => number | null,
  y: Scale,
  shape: SeriesShape = {}
): string {
  let d = ''
  for (const run of runs(rows, value, shape.connectNulls ?? false)) {
    d += trace(
      run.map((i) => [x(rows[i]!), y(value(rows[i]!)!)] as const),
      shape.step ?? false,
      'M'
    )
  }
  return d
}

/**
 * A filled band from `base` up to `top` (stacked areas: the lower series' top is the upper one's base), closed
 * along the base; a row whose top is missing ends the band.
 */
export function areaPath<R>(
  rows: readonly R[],
  x: (r: R) => number,
  top: (r: R) => number | null,
  base: (r: R) => number,
  y: Scale,
  shape: SeriesShape = {}
): string {
  const step = shape.step ?? false
  let d = ''
  for (const run of runs(rows, top, shape.connectNulls ?? false)) {
    const upper = run.map((i) => [x(rows[i]!), y(top(rows[i]!)!)] as const)
    // the base, walked backwards; in a step band each base value also holds until the next point
    const lower: Array<readonly [number, number]> = []
    for (let k = run.length - 1; k >= 0; k--) {
      const r = rows[run[k]!]!
      const by = y(base(r))
      if (step && k < run.length - 1) lower.push([x(rows[run[k + 1]!]!), by])
      lower.push([x(r), by])
    }
    d += trace(upper, step, 'M') + trace(lower, false, 'L') + 'Z'
  }
  return d
}
