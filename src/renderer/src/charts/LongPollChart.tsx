/** Long-poll subscribers: connections the subject holds open, and how long a published message takes to arrive. */
import { memo, useMemo, type ReactNode } from 'react'
import { STROKE } from '../palette'
import { formatCount, formatMsTick, linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import type { Series } from './LivePlot'
import { ChartFrame, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep delivery's worst and the fewest connections held */
const SALIENCE: Salience = { high: (r) => r.deliveryP99, low: (r) => r.held }

export const LongPollChart = memo(function LongPollChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const yn = useStable(useMemo(() => linearAxis(rows, (r) => r.held, 10), [rows]))
  const yms = useStable(useMemo(() => linearAxis(rows, (r) => r.deliveryP99), [rows]))
  // Recharts' part is kept while the axes and marks are unchanged: see chart-parts.tsx on why.
  const axes = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, yn, { width: 72, id: 'n', format: formatCount })}
        {valueAxis(p, yms, { width: 80, id: 'ms', right: true, format: formatMsTick })}
        {markLines(marks, p, domain, 'n')}
      </>
    ),
    [p, domain, ticks, marks, yn, yms]
  )
  const series = useMemo(
    (): Series[] => [
      { kind: 'area', name: 'held', axis: yn, top: (r) => r.held, step: true, color: p.sky, width: 2.5, fillOpacity: 0.35 },
      { kind: 'line', name: 'deliveryP99', axis: yms, value: (r) => r.deliveryP99, connectNulls: true, color: p.orange, width: STROKE.main }
    ],
    [p, yn, yms]
  )
  const grid = useGridlines(yn, 72, 80)
  return (
    <ChartFrame
      grid={grid}
      rows={data}
      x={domain}
      series={series}
      axes={axes}
      marks={marks}
      title="Long-poll subscribers"
      testId="longpoll"
      legend={[
        { label: 'held connections', color: p.sky, area: true },
        { label: 'delivery p99', color: p.orange }
      ]}
    />
  )
})
