/** Requests in flight, split into active (being served) and queued (waiting): the event loop's concurrency. */
import { memo, useMemo, type ReactNode } from 'react'
import { Area, AreaChart, ResponsiveContainer } from 'recharts'
import { linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import { CHART_MARGIN, ChartFrame, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep the queue's growth and drain */
const SALIENCE: Salience = { high: (r) => r.queued, low: (r) => r.queued }

export const RequestsChart = memo(function RequestsChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const y = useStable(useMemo(() => linearAxis(rows, (r) => r.active + r.queued), [rows]))
  // Everything but the data is kept between frames: see chart-parts.tsx on why.
  const children = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, y, { width: 64, integers: true })}
        <Area dataKey="active" stackId="r" type="stepAfter" stroke={p.blue} strokeWidth={2.5} fill={p.blue} fillOpacity={0.45} isAnimationActive={false} dot={false} activeDot={false} />
        <Area dataKey="queued" stackId="r" type="stepAfter" stroke={p.vermillion} strokeWidth={2.5} fill={p.vermillion} fillOpacity={0.4} isAnimationActive={false} dot={false} activeDot={false} />
        {markLines(marks, p)}
      </>
    ),
    [p, domain, ticks, marks, y]
  )
  const gridlines = useGridlines(y, 64)
  return (
    <ChartFrame
      grid={gridlines}
      title="Requests in flight"
      testId="requests"
      attrs={{ 'data-points': String(data.length) }}
      legend={[
        { label: 'active (being served)', color: p.blue, area: true },
        { label: 'queued (waiting)', color: p.vermillion, area: true }
      ]}
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data as never[]} margin={CHART_MARGIN}>
          {children}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
})
