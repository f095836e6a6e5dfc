/** Long-poll subscribers: connections the subject holds open, and how long a published message takes to arrive. */
import { memo, useMemo, type ReactNode } from 'react'
import { Area, ComposedChart, Line, ResponsiveContainer, YAxis } from 'recharts'
import { STROKE } from '../palette'
import { formatCount, formatMsTick, linearAxis } from '../scales'
import { CHART_MARGIN, ChartFrame, grid, markLines, TICK_PX, timeAxis, type ChartProps } from './chart-parts'

export const LongPollChart = memo(function LongPollChart({ rows, marks, palette: p, domain }: ChartProps): ReactNode {
  const yn = useMemo(() => linearAxis(rows, (r) => r.held, 10), [rows])
  const yms = useMemo(() => linearAxis(rows, (r) => r.deliveryP99), [rows])
  return (
    <ChartFrame
      title="Long-poll subscribers"
      testId="longpoll"
      legend={[
        { label: 'held connections', color: p.sky, area: true },
        { label: 'delivery p99', color: p.orange }
      ]}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows as never[]} margin={CHART_MARGIN}>
          {grid(p)}
          {timeAxis(p, domain)}
          <YAxis
            yAxisId="n"
            tick={{ fontSize: TICK_PX, fill: p.muted }}
            stroke={p.muted}
            width={72}
            domain={yn.domain}
            ticks={yn.ticks}
            tickFormatter={(v: number) => formatCount(v)}
          />
          <YAxis
            yAxisId="ms"
            orientation="right"
            tick={{ fontSize: TICK_PX, fill: p.muted }}
            stroke={p.muted}
            width={80}
            domain={yms.domain}
            ticks={yms.ticks}
            tickFormatter={(v: number) => formatMsTick(v)}
          />
          <Area yAxisId="n" dataKey="held" type="stepAfter" stroke={p.sky} strokeWidth={2.5} fill={p.sky} fillOpacity={0.35} isAnimationActive={false} dot={false} activeDot={false} />
          <Line yAxisId="ms" dataKey="deliveryP99" stroke={p.orange} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} connectNulls />
          {markLines(marks, p, 'n')}
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
})
