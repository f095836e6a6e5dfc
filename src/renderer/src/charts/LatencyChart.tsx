/** Latency percentiles over the last second; a log axis once they span more than two decades. */
import { memo, useMemo, type ReactNode } from 'react'
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts'
import { DASH, STROKE } from '../palette'
import { formatMsTick, latencyScale } from '../scales'
import { CHART_MARGIN, ChartFrame, grid, markLines, TICK_PX, timeAxis, type ChartProps } from './chart-parts'

export const LatencyChart = memo(function LatencyChart({ rows, marks, palette: p, domain }: ChartProps): ReactNode {
  const axis = useMemo(() => latencyScale(rows.flatMap((r) => [r.p50, r.max])), [rows])
  return (
    <ChartFrame
      title={`Latency${axis.scale === 'log' ? ' (log scale)' : ''}`}
      testId="latency"
      attrs={{ 'data-scale': axis.scale }}
      legend={[
        { label: 'p50', color: p.green },
        { label: 'p99', color: p.orange },
        { label: 'max', color: p.purple, dash: DASH.max }
      ]}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows as never[]} margin={CHART_MARGIN}>
          {grid(p)}
          {timeAxis(p, domain)}
          <YAxis
            scale={axis.scale}
            domain={axis.domain}
            ticks={axis.ticks}
            allowDataOverflow
            tick={{ fontSize: TICK_PX, fill: p.muted }}
            stroke={p.muted}
            width={80}
            tickFormatter={(v: number) => formatMsTick(v)}
          />
          <Line dataKey="p50" stroke={p.green} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} />
          <Line dataKey="p99" stroke={p.orange} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} />
          <Line dataKey="max" stroke={p.purple} strokeWidth={STROKE.secondary} strokeDasharray={DASH.max} isAnimationActive={false} dot={false} activeDot={false} />
          {markLines(marks, p)}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
})
