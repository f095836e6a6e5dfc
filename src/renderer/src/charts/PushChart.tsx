/**
 * The subscribers, on the transport the settings name: their connections, the requests they send (long polling's
 * re-polls: one per delivery per subscriber; the streams' only at connecting), the requests the subject holds at
 * /wait, and how long a published message takes to arrive. The title names the transport, so a transport change
 * (a mark) reads as "the same subscribers, another way to push".
 */
import { memo, useMemo, type ReactNode } from 'react'
import { STROKE } from '../palette'
import { formatCount, formatMsTick, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import { TRANSPORT_NAME } from '../frames/tiles'
import type { PushTransport } from '../../../shared/wire'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep delivery's worst and the fewest connections */
const SALIENCE: Salience = { high: (r) => r.deliveryP99Ms, low: (r) => r.subscribers }

export const PushChart = memo(function PushChart(props: ChartProps & { transport: PushTransport }): ReactNode {
  const { rows, palette: p, transport } = props
  const yn = useStable(
    useMemo(() => linearAxis(rows, (r) => Math.max(r.subscribers ?? 0, r.requestsPerS ?? 0), 10), [rows])
  )
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
      {
        kind: 'area',
        name: 'subscribers',
        axis: yn,
        top: (r) => r.subscribers,
        step: true,
        color: p.sky,
        width: 2.5,
        fillOpacity: 0.3
      },
      { kind: 'line', name: 'held', axis: yn, value: (r) => r.held, color: p.green, width: STROKE.secondary },
      {
        kind: 'line',
        name: 'requests',
        axis: yn,
        value: (r) => r.requestsPerS,
        connectNulls: true,
        color: p.purple,
        width: STROKE.main
      },
      {
        kind: 'line',
        name: 'deliveryP99',
        axis: yms,
        value: (r) => r.deliveryP99Ms,
        connectNulls: true,
        color: p.orange,
        width: STROKE.main
      }
    ],
    [p, yn, yms]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      title={`Subscribers — ${TRANSPORT_NAME[transport]}`}
      testId="push"
      attrs={{ 'data-transport': transport }}
      legend={[
        { label: `connected (${TRANSPORT_NAME[transport]})`, color: p.sky, area: true },
        { label: 'held at /wait', color: p.green },
        { label: 'requests/s', color: p.purple },
        { label: 'delivery p99', color: p.orange }
      ]}
    />
  )
})
