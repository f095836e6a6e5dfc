/** Latency percentiles over the last second; a log axis once they span more than two decades. */
import { memo, useMemo, type ReactNode } from 'react'
import { Line, LineChart, ResponsiveContainer } from 'recharts'
import { DASH, STROKE } from '../palette'
import { formatMsTick, latencyScale } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import { CHART_MARGIN, ChartFrame, staticLine, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep the highest max and the lowest p50 of each second */
const SALIENCE: Salience = { high: (r) => r.max, low: (r) => r.p50 }

export const LatencyChart = memo(function LatencyChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const axis = useStable(useMemo(() => latencyScale(rows.flatMap((r) => [r.p50, r.max])), [rows]))
  // Everything but the data is kept between frames: see chart-parts.tsx on why.
  const children = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, axis, { width: 80, format: formatMsTick })}
        <Line shape={staticLine} dataKey="p50" stroke={p.green} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} connectNulls />
        <Line shape={staticLine} dataKey="p99" stroke={p.orange} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} connectNulls />
        <Line shape={staticLine} dataKey="max" stroke={p.purple} strokeWidth={STROKE.secondary} strokeDasharray={DASH.max} isAnimationActive={false} dot={false} activeDot={false} connectNulls />
        {markLines(marks, p)}
      </>
    ),
    [p, domain, ticks, marks, axis]
  )
  const gridlines = useGridlines(axis, 80)
  return (
    <ChartFrame
      grid={gridlines}
      title={`Latency${axis.scale === 'log' ? ' (log scale)' : ''}`}
      testId="latency"
      attrs={{ 'data-points': String(data.length), 'data-scale': axis.scale }}
      legend={[
        { label: 'p50', color: p.green },
        { label: 'p99', color: p.orange },
        { label: 'max', color: p.purple, dash: DASH.max }
      ]}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data as never[]} margin={CHART_MARGIN}>
          {children}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  )
})
