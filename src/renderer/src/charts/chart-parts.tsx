/**
 * What every chart shares: the rolling time axis, the settings-change markers, the legend with line styles, and
 * projector-sized type.
 *
 * A chart has three layers. Recharts draws its frame — axes and ticks — which changes at most once a second (when
 * the time axis scrolls a second on); LivePlot draws the series under it, ten times a second, as plain SVG paths;
 * MarkLayer draws the settings-change marks and their labels on top, laid out so that none collides. Helpers here return Recharts elements (not components) so each chart's axes
 * stay plain and can be kept between frames.
 */
import { memo, useMemo, useRef, type ReactElement, type ReactNode } from 'react'
import { ComposedChart, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import type { Mark } from '../../../shared/frame'
import type { Palette } from '../palette'
import { CHART_WINDOW_S, type Row } from '../frames/frame-window'
import { CHART_MARGIN, useGridlines, type ChartType, type Gridlines } from './chart-layout'
import type { AxisSpec } from './plot-geometry'
import { downsample, type Salience } from '../frames/downsample'
import { LivePlot, type Series, type Shading } from './LivePlot'
import { MarkLayer } from './MarkLayer'

export interface ChartProps {
  rows: readonly Row[]
  marks: readonly Mark[]
  palette: Palette
  /** [from, to] seconds since the run started */
  domain: readonly [number, number]
  /** ticks of the time axis */
  ticks: readonly number[]
  /** the dashboard's type sizes, or presenter mode's */
  type: ChartType
}

/** The last 60 s, in whole seconds; before the first minute, 0–60. */
export function timeDomain(lastS: number | undefined): [number, number] {
  const to = Math.max(CHART_WINDOW_S, Math.ceil(lastS ?? 0))
  return [to - CHART_WINDOW_S, to]
}

/** A tick every `stepS` seconds (10; 20 where charts are narrow, so the labels keep projector size). */
export function timeTicks([from, to]: readonly [number, number], stepS = 10): number[] {
  const ticks: number[] = []
  for (let t = Math.ceil(from / stepS) * stepS; t <= to; t += stepS) ticks.push(t)
  return ticks
}

/*
 * Performance: Recharts 3 keeps each axis's and reference's props in a store, and any change to a chart (its data,
 * or a prop that is a new object or function: an inline `tick={{…}}`, `domain={[…]}`, an arrow formatter) makes it
 * recompute every selector of that chart, twice — ~3 ms a chart before anything is drawn. So Recharts gets no data
 * (the series are LivePlot's), and everything below is a constant, cached per palette, or kept while its values are
 * unchanged: most frames, no Recharts chart renders at all.
 *
 * Every axis gets its domain and ticks from us, with `allowDataOverflow` and `niceTicks="none"`, so Recharts takes
 * them as given (there is no data to derive them from) and draws exactly the ticks the gridlines and LivePlot use.
 */
const tickStyles = new WeakMap<Palette, Map<number, { fontSize: number; fill: string }>>()
export function tickStyle(p: Palette, fontPx: number): { fontSize: number; fill: string } {
  let byPx = tickStyles.get(p)
  if (!byPx) tickStyles.set(p, (byPx = new Map()))
  let style = byPx.get(fontPx)
  if (!style) byPx.set(fontPx, (style = { fontSize: fontPx, fill: p.muted }))
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
 * Horizontal gridlines in HTML under the chart's SVG, at the y ticks. Recharts' own CartesianGrid re-evaluates on
 * every data change and cost a quarter of a frame; these only move when the ticks do.
 */
const Grid = memo(function Grid({ grid }: { grid: Gridlines }): ReactNode {
  const plotPx = CHART_MARGIN.top + grid.bottom
  return (
    <div className="gridlines" aria-hidden="true">
      {grid.fracs.map((f) => (
        <div
          key={f}
          className="gridline"
          style={{
            top: `calc(${CHART_MARGIN.top}px + (100% - ${plotPx}px) * ${1 - f})`,
            left: grid.left,
            right: grid.right
          }}
        />
      ))}
    </div>
  )
})

export function timeAxis(
  p: Palette,
  domain: readonly [number, number],
  ticks: readonly number[],
  type: ChartType
): ReactElement {
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={domain as [number, number]}
      ticks={ticks as number[]}
      allowDataOverflow
      niceTicks="none"
      interval={0}
      tick={tickStyle(p, type.tickPx)}
      stroke={p.muted}
      tickFormatter={formatSecondsTick}
      height={type.xAxisPx}
    />
  )
}

/**
 * A y axis that takes our domain and ticks as given (Recharts would otherwise re-derive both from every frame's
 * data), with the project's tick style.
 */
/** A y axis of a chart: its scale, and how it is drawn (the first of a chart's axes is on the left). */
export interface ValueAxisSpec {
  axis: AxisSpec & { ticks?: readonly number[] }
  width: number
  /** Recharts' yAxisId, needed once a chart has two */
  id?: string
  right?: boolean
  format?: (v: number) => string
  integers?: boolean
}

export function valueAxis(p: Palette, spec: ValueAxisSpec, type: ChartType): ReactElement {
  const { axis } = spec
  return (
    <YAxis
      key={spec.id ?? 'y'}
      niceTicks="none"
      allowDataOverflow
      interval={0}
      {...(spec.id ? { yAxisId: spec.id } : {})}
      {...(spec.right ? { orientation: 'right' as const } : {})}
      {...(axis.scale ? { scale: axis.scale } : {})}
      {...(spec.integers ? { allowDecimals: false } : {})}
      domain={axis.domain as [number, number]}
      ticks={axis.ticks as number[] | undefined}
      tick={tickStyle(p, type.tickPx)}
      stroke={p.muted}
      width={spec.width}
      tickFormatter={spec.format}
    />
  )
}

export interface LegendItem {
  label: string
  color: string
  dash?: string
  area?: boolean
}

/**
 * A chart's key: a swatch (a band, or a line in its dash) and a label per item. The compare view's keys are drawn in
 * one neutral colour, its runs having their own legend, and thinner (`lineWidth`, `fillOpacity`).
 */
export function ChartLegend(props: {
  items: readonly LegendItem[]
  lineWidth?: number
  fillOpacity?: number
}): ReactNode {
  const { lineWidth = 4, fillOpacity = 0.45 } = props
  return (
    <ul className="legend">
      {props.items.map((item) => (
        <li key={item.label}>
          <svg width="34" height="14" aria-hidden="true">
            {item.area ? (
              <rect
                x="1"
                y="2"
                width="32"
                height="10"
                fill={item.color}
                fillOpacity={fillOpacity}
                stroke={item.color}
                strokeWidth={2}
              />
            ) : (
              <line
                x1="1"
                y1="7"
                x2="33"
                y2="7"
                stroke={item.color}
                strokeWidth={lineWidth}
                strokeDasharray={item.dash}
              />
            )}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  )
}

/** no rows for Recharts: it draws the axes and markers only, and its store stays still between them changing */
const NO_DATA: never[] = []

/**
 * Recharts' part of a chart: axes and ticks, over the live series. Memoised on its
 * children, which each chart keeps while its axes and marks are unchanged, so most frames skip Recharts entirely.
 */
const ChartAxes = memo(function ChartAxes({ children }: { children: ReactNode }): ReactNode {
  return (
    <ResponsiveContainer width="100%" height="100%">
      {/* no accessibility layer: it makes each chart a Tab stop (role "application") for a tooltip these charts do
          not have; the chart body is one image with a text alternative instead (TimeChart) */}
      <ComposedChart data={NO_DATA} margin={CHART_MARGIN} accessibilityLayer={false}>
        {children}
      </ComposedChart>
    </ResponsiveContainer>
  )
})

/** The chart's text alternative: what it shows, and the settings changes it marks (every one, in its long words). */
function chartLabel(title: string, marks: readonly Mark[]): string {
  const changes = marks.map((m) => `${m.label} at ${Math.round(m.t / 1000)} s`).join(', ')
  return `${title}, the last 60 seconds${changes ? `; settings changes: ${changes}` : ''}`
}

/**
 * One live chart: title, legend, gridlines, the series (LivePlot) drawn from the window's rows reduced by
 * `salience` (downsample.ts), and, on top, Recharts' axes and markers (so a marker's label stays readable over a
 * filled band). Each chart says only what is its own: its axes, series and legend — `yAxes` and `series` kept
 * (memoised) by the chart while their scales are unchanged, so Recharts' part is rebuilt only when an axis or the
 * marks change (see the note on performance above).
 */
export function TimeChart(
  props: ChartProps & {
    title: string
    testId: string
    legend: LegendItem[]
    salience: Salience
    /** the left axis first */
    yAxes: readonly ValueAxisSpec[]
    series: readonly Series[]
    shading?: Shading
    /** one line under the title that teaches how to read the chart, a shorter one for a narrow chart, and more on hover */
    note?: { long: string; short: string; help: string }
    attrs?: Record<string, string>
    /** interactive things over the plot (placed by the same axes), outside its image so they keep their roles */
    overlay?: (plot: { x: readonly [number, number]; grid: Gridlines }) => ReactNode
  }
): ReactNode {
  const { rows, marks, palette: p, domain, ticks, salience, type } = props
  const data = useMemo(() => downsample(rows, salience), [rows, salience])
  // each chart gives its axis widths for the dashboard's ticks; larger type needs wider axes
  const yAxes = useMemo(
    () => props.yAxes.map((a) => (type.axisScale === 1 ? a : { ...a, width: Math.round(a.width * type.axisScale) })),
    [props.yAxes, type]
  )
  const axes = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks, type)}
        {yAxes.map((a) => valueAxis(p, a, type))}
      </>
    ),
    [p, domain, ticks, yAxes, type]
  )
  const grid = useGridlines(yAxes[0]!.axis, yAxes[0]!.width, yAxes.find((a) => a.right)?.width ?? 0, type.xAxisPx)
  return (
    <figure className="chart" data-testid={`chart-${props.testId}`} data-points={data.length} {...props.attrs}>
      <figcaption>
        <h3>{props.title}</h3>
        <ChartLegend items={props.legend} />
        {props.note && (
          <p className="chart-note" data-testid={`note-${props.testId}`} title={props.note.help}>
            <span className="chart-note-long">{props.note.long}</span>
            {/* one of the two is shown (styles.css: by the chart's width); the hidden one is out of the a11y tree too */}
            <span className="chart-note-short">{props.note.short}</span>
          </p>
        )}
      </figcaption>
      <div className="chart-body">
        <div className="chart-image" role="img" aria-label={chartLabel(props.title, marks)}>
          <Grid grid={grid} />
          <LivePlot rows={data} x={domain} grid={grid} series={props.series} shading={props.shading} />
          <ChartAxes>{axes}</ChartAxes>
          <MarkLayer marks={marks} x={domain} grid={grid} palette={p} type={type} />
        </div>
        {props.overlay?.({ x: domain, grid })}
      </div>
    </figure>
  )
}
