/** Latency percentiles over each frame's rate window (the throughput's); a log axis once they span more than two decades. */
import { memo, useMemo, type ReactNode } from 'react'
import { DASH, STROKE } from '../palette'
import { formatMsTick, latencyScale } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep the highest max and the lowest p50 of each second */
const SALIENCE: Salience = { high: (r) => r.maxMs, low: (r) => r.p50Ms }

export const LatencyChart = memo(function LatencyChart(props: ChartProps): ReactNode {
  const { rows, palette: p } = props
  const axis = useStable(useMemo(() => latencyScale(rows.flatMap((r) => [r.p50Ms, r.maxMs])), [rows]))
  const yAxes = useMemo((): ValueAxisSpec[] => [{ axis, width: 80, format: formatMsTick }], [axis])
  // a window with no completion has no latency: its neighbours are joined
  const series = useMemo(
    (): Series[] => [
      {
        kind: 'line',
        name: 'p50',
        axis,
        value: (r) => r.p50Ms,
        connectNulls: true,
        color: p.green,
        width: STROKE.main
      },
      {
        kind: 'line',
        name: 'p99',
        axis,
        value: (r) => r.p99Ms,
        connectNulls: true,
        color: p.orange,
        width: STROKE.main
      },
      {
        kind: 'line',
        name: 'max',
        axis,
        value: (r) => r.maxMs,
        connectNulls: true,
        color: p.purple,
        width: STROKE.secondary,
        dash: DASH.max
      }
    ],
    [p, axis]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      title={`Latency${axis.scale === 'log' ? ' (log scale)' : ''}`}
      testId="latency"
      attrs={{ 'data-scale': axis.scale }}
      legend={[
        { label: 'p50', color: p.green },
        { label: 'p99', color: p.orange },
        { label: 'max', color: p.purple, dash: DASH.max }
      ]}
    />
  )
})
