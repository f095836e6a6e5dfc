/** Long-poll subscribers: connections the subject holds open, and how long a published message takes to arrive. */
import { memo, useMemo, type ReactNode } from 'react'
import { STROKE } from '../palette'
import { formatCount, formatMsTick, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep delivery's worst and the fewest connections held */
const SALIENCE: Salience = { high: (r) => r.deliveryP99Ms, low: (r) => r.held }

export const LongPollChart = memo(function LongPollChart(props: ChartProps): ReactNode {
  const { rows, palette: p } = props
  const yn = useStable(useMemo(() => linearAxis(rows, (r) => r.held, 10), [rows]))
  const yms = useStable(useMemo(() => linearAxis(rows, (r) => r.deliveryP99Ms), [rows]))
  const yAxes = useMemo(
    (): ValueAxisSpec[] => [
      { axis: yn, width: 72, id: 'n', format: formatCount },
      { axis: yms, width: 80, id: 'ms', right: true, format: formatMsTick }
    ],
    [yn, yms]
  )
  const series = useMemo(
    (): Series[] => [
      { kind: 'area', name: 'held', axis: yn, top: (r) => r.held, step: true, color: p.sky, width: 2.5, fillOpacity: 0.35 },
      { kind: 'line', name: 'deliveryP99', axis: yms, value: (r) => r.deliveryP99Ms, connectNulls: true, color: p.orange, width: STROKE.main }
    ],
    [p, yn, yms]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      title="Long-poll subscribers"
      testId="longpoll"
      legend={[
        { label: 'held connections', color: p.sky, area: true },
        { label: 'delivery p99', color: p.orange }
      ]}
    />
  )
})
