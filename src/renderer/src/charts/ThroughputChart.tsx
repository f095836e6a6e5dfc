/** Completions a second, beside the bound Little's law predicts for the current settings (dashed). */
import { memo, useMemo, type ReactNode } from 'react'
import { Line, LineChart, ResponsiveContainer } from 'recharts'
import { DASH, STROKE } from '../palette'
import { formatCount, linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import { CHART_MARGIN, ChartFrame, staticLine, useGridlines, valueAxis, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep throughput's peaks and dips, and every step of the theory line */
const SALIENCE: Salience = { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theory }

export const ThroughputChart = memo(function ThroughputChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(r.rps, r.theory ?? 0) * 1.05), [rows]))
  // Everything but the data is kept between frames: see chart-parts.tsx on why.
  const children = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, y, { width: 72, format: formatCount })}
        <Line shape={staticLine} dataKey="rps" stroke={p.blue} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} />
        <Line shape={staticLine} dataKey="theory" type="stepAfter" stroke={p.orange} strokeWidth={STROKE.main} strokeDasharray={DASH.theory} isAnimationActive={false} dot={false} activeDot={false} />
        {markLines(marks, p)}
      </>
    ),
    [p, domain, ticks, marks, y]
  )
  const gridlines = useGridlines(y, 72)
  return (
    <ChartFrame
      grid={gridlines}
      title="Throughput (req/s)"
      testId="throughput"
      attrs={{ 'data-points': String(data.length) }}
      legend={[
        { label: 'measured', color: p.blue },
        { label: 'theory (Little’s law)', color: p.orange, dash: DASH.theory }
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
