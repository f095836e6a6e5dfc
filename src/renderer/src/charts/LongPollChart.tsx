/** Long-poll subscribers: connections the subject holds open, and how long a published message takes to arrive. */
import { memo, useMemo, type ReactNode } from 'react'
import { Area, ComposedChart, Line, ResponsiveContainer } from 'recharts'
import { STROKE } from '../palette'
import { formatCount, formatMsTick, linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import { CHART_MARGIN, ChartFrame, staticLine, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep delivery's worst and the fewest connections held */
const SALIENCE: Salience = { high: (r) => r.deliveryP99, low: (r) => r.held }

export const LongPollChart = memo(function LongPollChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const yn = useStable(useMemo(() => linearAxis(rows, (r) => r.held, 10), [rows]))
  const yms = useStable(useMemo(() => linearAxis(rows, (r) => r.deliveryP99), [rows]))
  // Everything but the data is kept between frames: see chart-parts.tsx on why.
  const children = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, yn, { width: 72, id: 'n', format: formatCount })}
        {valueAxis(p, yms, { width: 80, id: 'ms', right: true, format: formatMsTick })}
        <Area yAxisId="n" dataKey="held" type="stepAfter" stroke={p.sky} strokeWidth={2.5} fill={p.sky} fillOpacity={0.35} isAnimationActive={false} dot={false} activeDot={false} />
        <Line shape={staticLine} yAxisId="ms" dataKey="deliveryP99" stroke={p.orange} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} connectNulls />
        {markLines(marks, p, 'n')}
      </>
    ),
    [p, domain, ticks, marks, yn, yms]
  )
  const gridlines = useGridlines(yn, 72, 80)
  return (
    <ChartFrame
      grid={gridlines}
      title="Long-poll subscribers"
      testId="longpoll"
      attrs={{ 'data-points': String(data.length) }}
      legend={[
        { label: 'held connections', color: p.sky, area: true },
        { label: 'delivery p99', color: p.orange }
      ]}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data as never[]} margin={CHART_MARGIN}>
          {children}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
})
