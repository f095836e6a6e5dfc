/** Requests in flight, split into active (being served) and queued (waiting): the event loop's concurrency. */
import { memo, useMemo, type ReactNode } from 'react'
import { linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep the queue's growth and drain */
const SALIENCE: Salience = { high: (r) => r.queued, low: (r) => r.queued }

export const RequestsChart = memo(function RequestsChart(props: ChartProps): ReactNode {
  const { rows, palette: p } = props
  const y = useStable(useMemo(() => linearAxis(rows, (r) => r.inFlight), [rows]))
  const yAxes = useMemo((): ValueAxisSpec[] => [{ axis: y, width: 64, integers: true }], [y])
  // stacked: queued is the band above active
  const series = useMemo(
    (): Series[] => [
      {
        kind: 'area',
        name: 'active',
        axis: y,
        top: (r) => r.active,
        step: true,
        color: p.blue,
        width: 2.5,
        fillOpacity: 0.45
      },
      {
        kind: 'area',
        name: 'queued',
        axis: y,
        top: (r) => r.inFlight,
        base: (r) => r.active,
        step: true,
        color: p.vermillion,
        width: 2.5,
        fillOpacity: 0.4
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
      title="Requests in flight"
      testId="requests"
      legend={[
        { label: 'active (being served)', color: p.blue, area: true },
        { label: 'queued (waiting)', color: p.vermillion, area: true }
      ]}
    />
  )
})
