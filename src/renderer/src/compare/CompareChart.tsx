/**
 * One chart of the comparison: every run's series on one time axis (0 s … the longest run), in the run's colour,
 * its main line carrying the run's marker, and each run's settings changes marked in its colour. The same layers
 * as a live chart: Recharts draws the axes, the series are plain SVG paths from plot-geometry.ts on the same plot
 * area (chart-layout.ts), and the change labels are laid out by mark-labels.ts so none collides — across runs too.
 * Each run's rows are reduced to the plot's width first (compare-series.ts).
 */
import { memo, useMemo, useRef, type ReactNode } from 'react'
import { ComposedChart, ResponsiveContainer } from 'recharts'
import { markShortLabel } from '../../../shared/marks'
import type { Salience } from '../frames/downsample'
import type { Row } from '../frames/frame-window'
import type { Span } from '../frames/stall-spans'
import { DASH, type Palette } from '../palette'
import { CHART_MARGIN, useGridlines, type ChartType, type Gridlines } from '../charts/chart-layout'
import { ChartLegend, timeAxis, valueAxis, type ValueAxisSpec } from '../charts/chart-parts'
import { labelTexts, layoutMarkLabels } from '../charts/mark-labels'
import { areaPath, linePath, scaleOf } from '../charts/plot-geometry'
import { useSize } from '../charts/use-size'
import { markerPath, markerSpots } from './compare-markers'
import { compareTicks, downsampleToWidth, takingTurns, type CompareRun } from './compare-series'
import { pageFontFamily, textWidth } from './text-width'

export interface CompareLine {
  key: string
  value: (r: Row) => number | null
  width: number
  dash?: string
  step?: boolean
  connectNulls?: boolean
  /** a filled band from 0 up to the value (the stall), under the lines */
  fillOpacity?: number
  /** the run's marker along this line (its main one) */
  markers?: boolean
}

export interface LineKey {
  label: string
  dash?: string
  area?: boolean
}

const MARKER_SPACING_PX = 120
const MARKER_R_PX = 5
const MAX_LABEL_ROWS = 3
const HALO_PX = 4
const MARK_WEIGHT = 600
const NO_DATA: never[] = []

/** room right of the plot for half the last time label ("600s" centred on the plot's right edge) */
const endRoomPx = (type: ChartType): number => Math.ceil(type.tickPx * 1.3)

const margins = new Map<number, typeof CHART_MARGIN>()
function marginFor(type: ChartType): typeof CHART_MARGIN {
  const room = endRoomPx(type)
  let m = margins.get(room)
  if (!m) margins.set(room, (m = { ...CHART_MARGIN, right: CHART_MARGIN.right + room }))
  return m
}

const Axes = memo(function Axes({ children, type }: { children: ReactNode; type: ChartType }): ReactNode {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={NO_DATA} margin={marginFor(type)} accessibilityLayer={false}>
        {children}
      </ComposedChart>
    </ResponsiveContainer>
  )
})

function describe(title: string, runs: readonly CompareRun[], domain: readonly [number, number]): string {
  const changes = runs.flatMap((r) => r.marks.map((m) => `${r.letter}: ${m.label} at ${Math.round(m.t / 1000)} s`))
  return `${title}, runs ${runs.map((r) => r.letter).join(', ')} from 0 to ${domain[1]} s${changes.length ? `; settings changes: ${changes.join(', ')}` : ''}`
}

export const CompareChart = memo(function CompareChart(props: {
  kind: string
  title: string
  runs: readonly CompareRun[]
  domain: readonly [number, number]
  axis: ValueAxisSpec
  lines: readonly CompareLine[]
  salience: Salience
  /** a run's shaded spans (its stalls) */
  shading?: (run: CompareRun) => readonly Span[]
  keys: readonly LineKey[]
  palette: Palette
  type: ChartType
}): ReactNode {
  const { runs, domain, palette: p, type } = props
  const ref = useRef<HTMLDivElement>(null)
  const size = useSize(ref)
  const axisSpec = useMemo(
    () => ({ ...props.axis, width: Math.round(props.axis.width * type.axisScale) }),
    [props.axis, type]
  )
  const grid = useGridlines(axisSpec.axis, axisSpec.width, endRoomPx(type), type.xAxisPx)
  const plotW = size ? Math.max(1, size.w - grid.left - grid.right) : 0
  const ticks = useMemo(() => compareTicks(domain, plotW || 600, type.tickPx * 4.5), [domain, plotW, type])
  const axes = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks, type)}
        {valueAxis(p, axisSpec, type)}
      </>
    ),
    [p, domain, ticks, type, axisSpec]
  )
  const drawn = useMemo(
    () => (size && plotW > 1 ? runs.map((run) => downsampleToWidth(run.rows, props.salience, domain, plotW)) : null),
    [size, plotW, runs, props.salience, domain]
  )
  return (
    <figure
      className="chart compare-chart"
      data-testid={`compare-chart-${props.kind}`}
      data-points={drawn?.reduce((n, d) => n + d.length, 0) ?? 0}
    >
      <figcaption>
        <h3>{props.title}</h3>
        <ChartLegend items={props.keys.map((k) => ({ ...k, color: p.muted }))} lineWidth={3} fillOpacity={0.4} />
      </figcaption>
      <div ref={ref} className="chart-body" role="img" aria-label={describe(props.title, runs, domain)}>
        <svg className="live-plot" aria-hidden="true">
          {size && drawn && <Plot {...props} grid={grid} size={size} drawn={drawn} />}
        </svg>
        {/* after the first measure: the ticks depend on the plot's width, and Recharts is costly to lay out twice */}
        {size && <Axes type={type}>{axes}</Axes>}
        <svg className="mark-layer" aria-hidden="true">
          {size && <Marks runs={runs} domain={domain} grid={grid} size={size} palette={p} type={type} />}
        </svg>
      </div>
    </figure>
  )
})

function Plot(props: {
  runs: readonly CompareRun[]
  drawn: readonly Row[][]
  domain: readonly [number, number]
  axis: ValueAxisSpec
  lines: readonly CompareLine[]
  shading?: (run: CompareRun) => readonly Span[]
  grid: Gridlines
  size: { w: number; h: number }
  palette: Palette
}): ReactNode {
  const { grid, size, palette: p } = props
  const left = grid.left
  const right = size.w - grid.right
  const top = CHART_MARGIN.top
  const bottom = size.h - grid.bottom
  if (right <= left || bottom <= top) return null
  const xs = scaleOf({ domain: props.domain }, left, right)
  const ys = scaleOf(props.axis.axis, bottom, top)
  const x = (r: Row): number => xs(r.tS)
  const zero = (): number => (props.axis.axis.scale === 'log' ? props.axis.axis.domain[0] : 0)
  return (
    <>
      {grid.fracs.map((f) => (
        <line
          key={f}
          x1={left}
          x2={right}
          y1={bottom - f * (bottom - top)}
          y2={bottom - f * (bottom - top)}
          stroke={p.grid}
          strokeDasharray="3 3"
        />
      ))}
      {props.runs.map((run, i) => {
        const colour = p[run.colour]
        const rows = props.drawn[i]!
        return (
          <g key={run.id} data-run={run.id}>
            {props.shading?.(run).map((s) => (
              <rect
                key={s.x1S}
                data-shade=""
                x={xs(s.x1S)}
                y={top}
                width={Math.max(1, xs(s.x2S) - xs(s.x1S))}
                height={bottom - top}
                fill={colour}
                fillOpacity={0.1}
              />
            ))}
            {props.lines.map((line) => {
              const shape = { step: line.step, connectNulls: line.connectNulls }
              const common = { 'data-testid': 'compare-series', 'data-run': run.id, 'data-line': line.key }
              if (line.fillOpacity !== undefined) {
                return (
                  <path
                    key={line.key}
                    {...common}
                    d={areaPath(rows, x, line.value, zero, ys, shape)}
                    fill={colour}
                    fillOpacity={line.fillOpacity}
                    stroke={colour}
                    strokeWidth={line.width}
                  />
                )
              }
              return (
                <g key={line.key}>
                  <path
                    {...common}
                    d={linePath(rows, x, line.value, ys, shape)}
                    fill="none"
                    stroke={colour}
                    strokeWidth={line.width}
                    strokeDasharray={line.dash}
                    strokeLinejoin="round"
                  />
                  {line.markers && (
                    <path
                      data-markers={run.marker}
                      d={markerSpots(rows, x, line.value, ys, {
                        leftPx: left,
                        rightPx: right,
                        spacingPx: MARKER_SPACING_PX,
                        phasePx: 24 + i * (MARKER_SPACING_PX / 4)
                      })
                        .map(([mx, my]) => markerPath(run.marker, mx, my, MARKER_R_PX))
                        .join('')}
                      fill={colour}
                      stroke={p.bg}
                      strokeWidth={1.5}
                    />
                  )}
                </g>
              )
            })}
          </g>
        )
      })}
    </>
  )
}

/** Every run's changes: a dashed line in the run's colour, and "A c 10 → 100" where the layout finds room. */
function Marks(props: {
  runs: readonly CompareRun[]
  domain: readonly [number, number]
  grid: Gridlines
  size: { w: number; h: number }
  palette: Palette
  type: ChartType
}): ReactNode {
  const { grid, size, palette: p, type, domain } = props
  const left = grid.left
  const right = size.w - grid.right
  const top = CHART_MARGIN.top
  const bottom = size.h - grid.bottom
  const rowPx = Math.round(type.markPx * 1.25)
  const font = `${MARK_WEIGHT} ${type.markPx}px ${pageFontFamily()}`
  const marks = useMemo(() => {
    const xs = scaleOf({ domain }, left, right)
    const perRun = props.runs.map((run) =>
      run.marks
        .map((m) => ({
          key: `${run.id}|${m.t}|${m.label}`,
          run,
          xPx: xs(m.t / 1000),
          texts: labelTexts(`${run.letter} ${m.label}`, `${run.letter} ${markShortLabel(m.patch)}`)
        }))
        .filter((m) => m.xPx >= left && m.xPx <= right)
    )
    return takingTurns(perRun)
  }, [props.runs, domain, left, right])
  if (right <= left || bottom <= top) return null
  const rows = Math.max(1, Math.min(MAX_LABEL_ROWS, Math.floor((bottom - top) / 2 / rowPx)))
  const labels = layoutMarkLabels(marks, {
    leftPx: left,
    rightPx: right,
    rows,
    padPx: 6,
    gapPx: 10,
    measure: (t) => textWidth(t, font)
  })
  const byKey = new Map(marks.map((m) => [m.key, m]))
  return (
    <g data-marks-drawn={marks.length}>
      {marks.map((m) => (
        <line
          key={m.key}
          data-mark-line={m.run.id}
          x1={m.xPx}
          x2={m.xPx}
          y1={top}
          y2={bottom}
          stroke={p[m.run.colour]}
          strokeWidth={2}
          strokeDasharray={DASH.mark}
        />
      ))}
      {labels.map((l) => (
        <text
          key={l.key}
          data-mark-label={l.text}
          x={l.xPx}
          y={top + 2 + l.row * rowPx}
          textAnchor={l.anchor}
          dominantBaseline="hanging"
          style={{ font }}
          fill={p.fg}
          stroke={p.bg}
          strokeWidth={HALO_PX}
          strokeLinejoin="round"
          paintOrder="stroke"
        >
          <tspan fill={p[byKey.get(l.key)!.run.colour]}>{l.text.slice(0, 1)}</tspan>
          {l.text.slice(1)}
        </text>
      ))}
    </g>
  )
}
