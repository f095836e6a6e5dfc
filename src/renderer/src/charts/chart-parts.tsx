/**
 * What every chart shares: the rolling time axis, the settings-change markers, the legend with line styles, and
 * projector-sized type. Helpers return Recharts elements (not components) so each chart's children stay plain.
 */
import { memo, useMemo, useRef, type ReactElement, type ReactNode } from 'react'
import { Curve, ReferenceLine, XAxis, YAxis, type LineDrawShapeProps } from 'recharts'
import type { Mark } from '../../../shared/frame'
import { DASH, type Palette } from '../palette'
import { WINDOW_S } from '../hooks/frame-window'

export const TICK_PX = 16
export const CHART_MARGIN = { top: 12, right: 16, bottom: 4, left: 4 }

export interface ChartProps<Extra = unknown> {
  rows: readonly import('../hooks/frame-window').Row[]
  marks: readonly Mark[]
  palette: Palette
  /** [from, to] seconds since the run started */
  domain: readonly [number, number]
  /** ticks of the time axis */
  ticks: readonly number[]
  extra?: Extra
}

/** The last 60 s, in whole seconds; before the first minute, 0–60. */
export function timeDomain(lastT: number | undefined): [number, number] {
  const to = Math.max(WINDOW_S, Math.ceil(lastT ?? 0))
  return [to - WINDOW_S, to]
}

export function timeTicks([from, to]: readonly [number, number]): number[] {
  const ticks: number[] = []
  for (let t = Math.ceil(from / 10) * 10; t <= to; t += 10) ticks.push(t)
  return ticks
}

/*
 * Performance: Recharts 3 keeps each axis's and reference's props in a store, and a prop that is a new object or
 * function on every render (an inline `tick={{…}}`, `domain={[…]}`, an arrow formatter) makes it update that store
 * and recompute every selector of the chart again. Ten frames a second, that cost several times the drawing itself,
 * so everything below is a constant, cached per palette, or kept while its values are unchanged.
 *
 * Every axis also gets its domain and ticks from us, with `allowDataOverflow` and `niceTicks="none"`: the domains
 * we compute always cover the data, and so Recharts takes them as given instead of merging each frame's data into a
 * new domain and re-deriving "nice" ticks (decimal.js) we never draw — a fifth of a frame.
 */
const tickStyles = new WeakMap<Palette, { fontSize: number; fill: string }>()
export function tickStyle(p: Palette): { fontSize: number; fill: string } {
  let style = tickStyles.get(p)
  if (!style) tickStyles.set(p, (style = { fontSize: TICK_PX, fill: p.muted }))
  return style
}

export const formatSecondsTick = (s: number): string => `${s}s`
export const formatPercentTick = (v: number): string => `${v}%`

/** The same object as last time while its arrays hold the same numbers. */
export function useStable<T extends object>(value: T): T {
  const ref = useRef(value)
  const prev = ref.current as Record<string, unknown>
  const next = value as Record<string, unknown>
  const same = Object.keys(next).every((k) => {
    const a = next[k]
    const b = prev[k]
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i])
    return Object.is(a, b)
  })
  if (!same) ref.current = value
  return ref.current
}

/**
 * Every Line's shape: Recharts' default one hands the path a ref, and Line reads that path's getTotalLength() on
 * every render (for its draw-in animation, which is off here), a forced layout of the whole path each frame. The
 * same curve without the ref has nothing to measure.
 */
export function staticLine(props: LineDrawShapeProps): ReactElement {
  const { pathRef: _pathRef, animationElapsedTime: _t, isAnimating: _a, isEntrance: _e, visibleLength: _v, connectNulls, ...curve } = props
  return <Curve {...curve} connectNulls={connectNulls ?? false} />
}

/** x-axis height, px */
export const X_AXIS_PX = 28

export interface Gridlines {
  /** 0 (bottom of the plot) … 1 (top), one per y tick */
  fracs: readonly number[]
  /** px from the chart's left and right edges to the plot area (margins + axis widths) */
  left: number
  right: number
}

/** Where a y tick sits on its axis, 0..1. */
export function tickFraction(v: number, domain: readonly [number, number], scale: 'linear' | 'log' = 'linear'): number {
  const [lo, hi] = domain
  if (scale === 'log') return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
  return (v - lo) / (hi - lo)
}

/** The HTML gridlines for a chart's y axis; they change only when its ticks do. */
export function useGridlines(
  axis: { ticks?: readonly number[]; domain: readonly [number, number]; scale?: 'linear' | 'log' },
  leftAxisPx: number,
  rightAxisPx = 0
): Gridlines {
  return useMemo(
    () => ({
      fracs: (axis.ticks ?? []).map((v) => tickFraction(v, axis.domain, axis.scale ?? 'linear')),
      left: CHART_MARGIN.left + leftAxisPx,
      right: CHART_MARGIN.right + rightAxisPx
    }),
    [axis, leftAxisPx, rightAxisPx]
  )
}

/**
 * Horizontal gridlines in HTML under the chart's SVG, at the y ticks. Recharts' own CartesianGrid re-evaluates on
 * every data change and cost a quarter of a frame; these only move when the ticks do.
 */
const Grid = memo(function Grid({ grid }: { grid: Gridlines }): ReactNode {
  const plotPx = CHART_MARGIN.top + CHART_MARGIN.bottom + X_AXIS_PX
  return (
    <div className="gridlines" aria-hidden="true">
      {grid.fracs.map((f) => (
        <div
          key={f}
          className="gridline"
          style={{ top: `calc(${CHART_MARGIN.top}px + (100% - ${plotPx}px) * ${1 - f})`, left: grid.left, right: grid.right }}
        />
      ))}
    </div>
  )
})

export function timeAxis(p: Palette, domain: readonly [number, number], ticks: readonly number[]): ReactElement {
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={domain as [number, number]}
      ticks={ticks as number[]}
      allowDataOverflow
      niceTicks="none"
      interval={0}
      tick={tickStyle(p)}
      stroke={p.muted}
      tickFormatter={formatSecondsTick}
      height={X_AXIS_PX}
    />
  )
}

/**
 * A y axis that takes our domain and ticks as given (Recharts would otherwise re-derive both from every frame's
 * data), with the project's tick style.
 */
export function valueAxis(
  p: Palette,
  axis: { domain: readonly [number, number]; ticks?: readonly number[]; scale?: 'linear' | 'log' },
  opts: { width: number; id?: string; right?: boolean; format?: (v: number) => string; integers?: boolean }
): ReactElement {
  return (
    <YAxis
      niceTicks="none"
      allowDataOverflow
      interval={0}
      {...(opts.id ? { yAxisId: opts.id } : {})}
      {...(opts.right ? { orientation: 'right' as const } : {})}
      {...(axis.scale ? { scale: axis.scale } : {})}
      {...(opts.integers ? { allowDecimals: false } : {})}
      domain={axis.domain as [number, number]}
      ticks={axis.ticks as number[] | undefined}
      tick={tickStyle(p)}
      stroke={p.muted}
      width={opts.width}
      tickFormatter={opts.format}
    />
  )
}

type MarkLabel = { value: string; position: 'insideTopLeft'; fill: string; fontSize: number; fontWeight: number; dy: number }
const markLabels = new WeakMap<Palette, Map<string, MarkLabel>>()
function markLabel(m: Mark, i: number, p: Palette): MarkLabel {
  let byKey = markLabels.get(p)
  if (!byKey) markLabels.set(p, (byKey = new Map()))
  const key = `${m.t}|${m.label}|${i % 3}`
  let label = byKey.get(key)
  if (!label) {
    if (byKey.size > 200) byKey.clear()
    byKey.set(key, (label = { value: m.label, position: 'insideTopLeft', fill: p.fg, fontSize: 15, fontWeight: 600, dy: (i % 3) * 18 }))
  }
  return label
}

/*
 * The same element for the same mark, every time: a chart rebuilds its children when an axis moves (once a second),
 * and a new ReferenceLine element makes Recharts unregister and register the line again (two store updates each, all
 * selectors re-run); the same element object is skipped by React.
 */
const markElements = new WeakMap<Palette, Map<string, ReactElement>>()

/** One labelled vertical line per settings change inside the window; labels staggered so neighbours stay legible. */
export function markLines(marks: readonly Mark[], p: Palette, yAxisId?: string): ReactElement[] {
  let byKey = markElements.get(p)
  if (!byKey) markElements.set(p, (byKey = new Map()))
  return marks.map((m, i) => {
    const key = `${yAxisId}|${m.t}|${m.label}|${i % 3}`
    let el = byKey.get(key)
    if (!el) {
      if (byKey.size > 200) byKey.clear()
      el = (
        <ReferenceLine
          key={`${m.t}|${m.label}`}
          x={m.t / 1000}
          yAxisId={yAxisId}
          stroke={p.mark}
          strokeWidth={2}
          strokeDasharray={DASH.mark}
          ifOverflow="discard"
          label={markLabel(m, i, p)}
        />
      )
      byKey.set(key, el)
    }
    return el
  })
}

export interface LegendItem {
  label: string
  color: string
  dash?: string
  area?: boolean
}

export function ChartFrame(props: {
  title: string
  testId: string
  legend: LegendItem[]
  grid?: Gridlines
  children: ReactNode
  attrs?: Record<string, string>
}): ReactNode {
  return (
    <figure className="chart" data-testid={`chart-${props.testId}`} {...props.attrs}>
      <figcaption>
        <h3>{props.title}</h3>
        <ul className="legend">
          {props.legend.map((item) => (
            <li key={item.label}>
              <svg width="34" height="14" aria-hidden="true">
                {item.area ? (
                  <rect x="1" y="2" width="32" height="10" fill={item.color} fillOpacity={0.45} stroke={item.color} strokeWidth={2} />
                ) : (
                  <line x1="1" y1="7" x2="33" y2="7" stroke={item.color} strokeWidth={4} strokeDasharray={item.dash} />
                )}
              </svg>
              {item.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="chart-body">
        {props.grid && <Grid grid={props.grid} />}
        {props.children}
      </div>
    </figure>
  )
}
