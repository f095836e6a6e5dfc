/**
 * The subject's event loop: delay p99 and utilization, and the stall (time since its last heartbeat) as a shaded
 * area that grows while the loop is blocked, not after.
 */
import { memo, useMemo, type ReactNode } from 'react'
import { Area, ComposedChart, Line, ReferenceArea, ResponsiveContainer } from 'recharts'
import { stallSpans } from '../hooks/frame-window'
import { STROKE } from '../palette'
import { formatMsTick, linearAxis } from '../scales'
import { downsample, type Salience } from '../hooks/downsample'
import { CHART_MARGIN, ChartFrame, staticLine, useGridlines, valueAxis, formatPercentTick, useStable, markLines, timeAxis, type ChartProps } from './chart-parts'

/** older seconds keep each second's longest stall (or delay) and the loop at rest */
const SALIENCE: Salience = { high: (r) => Math.max(r.stall, r.loopP99), low: (r) => r.stall }

const PERCENT_AXIS = { domain: [0, 100] as const, ticks: [0, 50, 100] }

export const LoopChart = memo(function LoopChart({ rows, marks, palette: p, domain, ticks }: ChartProps): ReactNode {
  const data = useMemo(() => downsample(rows, SALIENCE), [rows])
  const found = useMemo(() => stallSpans(rows as never), [rows])
  const spansKey = found.map((s) => `${s.x1}-${s.x2}`).join()
  // the same spans as last frame: keep the same array, so the chart's children stay memoised
  const spans = useMemo(() => found, [spansKey])
  // kept apart from the axes, so a moving axis does not make Recharts re-register every stall's area
  const shading = useMemo(
    () => spans.map((s) => <ReferenceArea key={s.x1} yAxisId="ms" x1={s.x1} x2={s.x2} fill={p.vermillion} fillOpacity={0.12} ifOverflow="hidden" />),
    [spans, p]
  )
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(r.stall, r.loopP99), 10), [rows]))
  // Everything but the data is kept between frames: see chart-parts.tsx on why.
  const children = useMemo(
    () => (
      <>
        {timeAxis(p, domain, ticks)}
        {valueAxis(p, y, { width: 80, id: 'ms', format: formatMsTick })}
        {valueAxis(p, PERCENT_AXIS, { width: 56, id: 'pct', right: true, format: formatPercentTick })}
        {shading}
        <Area yAxisId="ms" dataKey="stall" type="linear" stroke={p.vermillion} strokeWidth={2} fill={p.vermillion} fillOpacity={0.35} isAnimationActive={false} dot={false} activeDot={false} />
        <Line shape={staticLine} yAxisId="ms" dataKey="loopP99" stroke={p.blue} strokeWidth={STROKE.main} isAnimationActive={false} dot={false} activeDot={false} />
        <Line shape={staticLine} yAxisId="pct" dataKey="utilization" stroke={p.green} strokeWidth={STROKE.secondary} isAnimationActive={false} dot={false} activeDot={false} />
        {markLines(marks, p, 'ms')}
      </>
    ),
    [p, domain, ticks, marks, y, shading]
  )
  const gridlines = useGridlines(y, 80, 56)
  return (
    <ChartFrame
      grid={gridlines}
      title="Event loop"
      testId="loop"
      attrs={{ 'data-points': String(data.length), 'data-stall-spans': String(spans.length) }}
      legend={[
        { label: 'stall (blocked now)', color: p.vermillion, area: true },
        { label: 'delay p99', color: p.blue },
        { label: 'utilization %', color: p.green, dash: '1 0' }
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
