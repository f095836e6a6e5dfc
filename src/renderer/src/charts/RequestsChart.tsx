/** Requests in flight, split into active (being served) and queued (waiting): the event loop's concurrency. */
import { memo, useMemo, type ReactNode } from 'react'
import { linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import type { Series } from './LivePlot'
import { ChartFrame, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep the queue's growth and drain */
const SALIENCE: Salience = { high: (r) => r.queued, low: (r) => r.queued }

export const RequestsChart = memo(function RequestsChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const y = useStable(useMemo(() => linearAxis(rows, (r) => r.active + r.queued), [rows]))
  // Recharts' part is kept while the axes and marks are unchanged: see chart-parts.tsx on why.
  const axes = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, y, { width: 64, integers: true })}
        {markLines(marks, p, domain)}
      </>
    ),
    [p, domain, ticks, marks, y]
  )
  // stacked: queued is the band above active
  const series = useMemo(
    (): Series[] => [
      { kind: 'area', name: 'active', axis: y, top: (r) => r.active, step: true, color: p.blue, width: 2.5, fillOpacity: 0.45 },
      { kind: 'area', name: 'queued', axis: y, top: (r) => r.active + r.queued, base: (r) => r.active, step: true, color: p.vermillion, width: 2.5, fillOpacity: 0.4 }
    ],
    [p, y]
  )
  const grid = useGridlines(y, 64)
  return (
    <ChartFrame
      grid={grid}
      rows={data}
      x={domain}
      series={series}
      axes={axes}
      marks={marks}
      title="Requests in flight"
      testId="requests"
      legend={[
        { label: 'active (being served)', color: p.blue, area: true },
        { label: 'queued (waiting)', color: p.vermillion, area: true }
      ]}
    />
  )
})
