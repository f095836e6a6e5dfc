/**
 * Completions a second over each frame's rate window, beside the bound Little's law predicts for the current
 * settings (dashed). While the window settles after a change the host sends no rate, and the line has a gap there.
 */
import { memo, useMemo, type ReactNode } from 'react'
import { DASH, STROKE } from '../palette'
import { formatCount, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep throughput's peaks and dips, and every step of the theory line */
const SALIENCE: Salience = { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theoryRps }

/**
 * The one sentence that teaches the line, kept to one line so the plot keeps its height (a shorter one for a narrow
 * chart: a 1280-px screen with the settings shown), and the whole explanation, gap included, on hover.
 */
export function throughputNote(windowMs: number | null): { long: string; short: string; help: string } {
  const last = windowMs === null ? null : `the last ${+(windowMs / 1000).toFixed(1)} s`
  const over = last ?? 'a window fitted to the run'
  return {
    long: `Answers come in waves: averaged over ${last ? `${last}, 3 round trips` : '3 round trips'}.`,
    short: `Answers come in waves: averaged over ${last ?? '3 round trips'}.`,
    help: `A closed loop answers in waves (all its users wait the same delay), so throughput is averaged over ${over}: 3 round trips of the delay, 3 to 10 s. After a settings change it starts again, and the line has a gap while it settles: too soon to say, rather than a wrong figure.`
  }
}

export const ThroughputChart = memo(function ThroughputChart(
  props: ChartProps & { windowMs: number | null }
): ReactNode {
  const { rows, palette: p, windowMs } = props
  const y = useStable(useMemo(() => linearAxis(rows, (r) => Math.max(r.rps ?? 0, r.theoryRps ?? 0) * 1.05), [rows]))
  const yAxes = useMemo((): ValueAxisSpec[] => [{ axis: y, width: 72, format: formatCount }], [y])
  const series = useMemo(
    (): Series[] => [
      // no connectNulls: a settling window is a gap, not a line drawn through it
      { kind: 'line', name: 'rps', axis: y, value: (r) => r.rps, color: p.blue, width: STROKE.main },
      {
        kind: 'line',
        name: 'theory',
        axis: y,
        value: (r) => r.theoryRps,
        step: true,
        color: p.orange,
        width: STROKE.main,
        dash: DASH.theory
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
      title="Throughput (req/s)"
      testId="throughput"
      note={throughputNote(windowMs)}
      legend={[
        { label: 'measured', color: p.blue },
        { label: 'theory (Little’s law)', color: p.orange, dash: DASH.theory }
      ]}
    />
  )
})
