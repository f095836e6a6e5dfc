/** Completions a second, beside the bound Little's law predicts for the current settings (dashed). */
import { memo, useMemo, type ReactNode } from 'react'
import { DASH, STROKE } from '../palette'
import { formatCount, linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import type { Series } from './LivePlot'
import { ChartFrame, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep throughput's peaks and dips, and every step of the theory line */
const SALIENCE: Salience = { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theory }

export const ThroughputChart = memo(function ThroughputChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(r.rps, r.theory ?? 0) * 1.05), [rows]))
  // Recharts' part is kept while the axes and marks are unchanged: see chart-parts.tsx on why.
  const axes = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, y, { width: 72, format: formatCount })}
        {markLines(marks, p, domain)}
      </>
    ),
    [p, domain, ticks, marks, y]
  )
  const series = useMemo(
    (): Series[] => [
      { kind: 'line', name: 'rps', axis: y, value: (r) => r.rps, color: p.blue, width: STROKE.main },
      { kind: 'line', name: 'theory', axis: y, value: (r) => r.theory, step: true, color: p.orange, width: STROKE.main, dash: DASH.theory }
    ],
    [p, y]
  )
  const grid = useGridlines(y, 72)
  return (
    <ChartFrame
      grid={grid}
      rows={data}
      x={domain}
      series={series}
      axes={axes}
      marks={marks}
      title="Throughput (req/s)"
      testId="throughput"
      legend={[
        { label: 'measured', color: p.blue },
        { label: 'theory (Little’s law)', color: p.orange, dash: DASH.theory }
      ]}
    />
  )
})
