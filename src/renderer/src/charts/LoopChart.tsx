/**
 * The subject's event loop: delay p99 and utilization, and the stall (time since its last heartbeat) as a shaded
 * area that grows while the loop is blocked, not after. Only frames the host calls stalled (over the shared
 * threshold) draw a stall: a healthy loop's 0–10 ms between heartbeats is not one, and drawn it looked like blocking.
 * Each stall span keeps the stack the loop was stuck in: hover or focus it (StallStackLayer).
 */
import { memo, useCallback, useMemo, type ReactNode } from 'react'
import { STALL_THRESHOLD_MS } from '../../../shared/frame'
import type { Row } from '../frames/frame-window'
import { stallSpans } from '../frames/stall-spans'
import { STROKE } from '../palette'
import { formatMsTick, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Gridlines } from './chart-layout'
import type { Series } from './LivePlot'
import { StallStackLayer } from './StallStackLayer'
import { TimeChart, formatPercentTick, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** the stall as drawn: a stalled frame's stall, nothing (a gap) elsewhere */
const stallOf = (r: Row): number | null => (r.stalled ? r.stallMs : null)

/** older seconds keep each second's longest stall (or delay) and the loop at rest */
const SALIENCE: Salience = {
  high: (r) => Math.max(stallOf(r) ?? 0, r.loopP99Ms),
  low: (r) => (r.stalled ? null : r.loopP99Ms)
}

const PERCENT_AXIS = { domain: [0, 100] as const, ticks: [0, 50, 100] }

export const LoopChart = memo(function LoopChart(props: ChartProps): ReactNode {
  const { rows, palette: p } = props
  // from every row, not the reduced ones: a stall's start and end are exact
  const spans = useMemo(() => stallSpans(rows), [rows])
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(stallOf(r) ?? 0, r.loopP99Ms), 10), [rows]))
  const yAxes = useMemo(
    (): ValueAxisSpec[] => [
      { axis: y, width: 80, id: 'ms', format: formatMsTick },
      { axis: PERCENT_AXIS, width: 56, id: 'pct', right: true, format: formatPercentTick }
    ],
    [y]
  )
  const series = useMemo(
    (): Series[] => [
      { kind: 'area', name: 'stall', axis: y, top: stallOf, color: p.vermillion, width: 2, fillOpacity: 0.35 },
      { kind: 'line', name: 'loopP99', axis: y, value: (r) => r.loopP99Ms, color: p.blue, width: STROKE.main },
      {
        kind: 'line',
        name: 'utilization',
        axis: PERCENT_AXIS,
        value: (r) => r.utilizationPct,
        color: p.green,
        width: STROKE.secondary
      }
    ],
    [p, y]
  )
  const shading = useMemo(() => ({ spans, color: p.vermillion, opacity: 0.12 }), [spans, p])
  const overlay = useCallback(
    (plot: { x: readonly [number, number]; grid: Gridlines }) => (
      <StallStackLayer spans={spans} x={plot.x} grid={plot.grid} />
    ),
    [spans]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      shading={shading}
      overlay={overlay}
      title="Event loop"
      testId="loop"
      attrs={{ 'data-stall-spans': String(spans.length) }}
      legend={[
        { label: `blocked (stall > ${STALL_THRESHOLD_MS} ms)`, color: p.vermillion, area: true },
        { label: 'delay p99', color: p.blue },
        { label: 'utilization %', color: p.green, dash: '1 0' }
      ]}
    />
  )
})
