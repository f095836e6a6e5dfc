/**
 * Completions a second over each frame's rate window, beside the bound Little's law predicts for the current
 * settings (dashed). While the window settles after a change the host sends no rate, and the line has a gap there.
 */
import { memo, useMemo, type ReactNode } from 'react'
import { DASH, STROKE } from '../palette'
import { formatCount, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { throughputNote } from '../frames/tiles'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep throughput's peaks and dips, and every step of the theory line */
const SALIENCE: Salience = { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theoryRps }

export const ThroughputChart = memo(function ThroughputChart(
  props: ChartProps & { windowMs: number | null }
): ReactNode {
  const { rows, palette: p, windowMs } = props
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(r.rps ?? 0, r.theoryRps ?? 0) * 1.05), [rows]))
  const yAxes = useMemo((): ValueAxisSpec[] => [{ axis: y, width: 72, format: formatCount }], [y])
  const series = useMemo(
    (): Series[] => [
      // no connectNulls: a settling window is a gap, not a line drawn through it
      { kind: 'line', name: 'rps', axis: y, value: (r) => r.rps, color: p.blue, width: STROKE.main },
      {
        kind: 'line',
        name: 'theory',
        axis: y,
        value: (r) => r.theoryRps,
        step: true,
        color: p.orange,
        width: STROKE.main,
        dash: DASH.theory
      }
    ],
    [p, y]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      title="Throughput (req/s)"
      testId="throughput"
      note={throughputNote(windowMs)}
      legend={[
        { label: 'measured', color: p.blue },
        { label: 'theory (Little’s law)', color: p.orange, dash: DASH.theory }
      ]}
    />
  )
})
