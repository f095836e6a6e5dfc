/**
 * How often the subject's event loop turns: libuv's own count of loop iterations a second, and how many events each
 * turn handled (performance.nodeTiming.uvMetricsInfo, differenced in the host's sampler/loop.ts). A blocked loop
 * makes no turn at all; an evented one under load turns thousands of times a second.
 */
import { memo, useMemo, type ReactNode } from 'react'
import { STROKE } from '../palette'
import { formatCount, linearAxis } from '../scales'
import type { Salience } from '../frames/downsample'
import type { Series } from './LivePlot'
import { TimeChart, useStable, type ChartProps, type ValueAxisSpec } from './chart-parts'

/** older seconds keep the most and the fewest turns (a stall's 0 survives) */
const SALIENCE: Salience = { high: (r) => r.loopTurnsPerS, low: (r) => r.loopTurnsPerS }

const formatPerTurn = (v: number): string => (v < 10 ? String(+v.toFixed(1)) : formatCount(v))

export const TURN_NOTE = {
  long: 'A turn is one pass of the event loop: due timers, then waiting for I/O, then its callbacks.',
  short: 'A turn: one pass of the loop (timers, I/O, callbacks).',
  help: 'libuv counts each pass of the loop (performance.nodeTiming.uvMetricsInfo): run the timers that are due, wait for I/O, run the callbacks of what arrived. A loop held by blocking work makes no turn at all until it is free; an evented loop under load turns thousands of times a second, each turn handling the events that came in meanwhile.'
}

/**
 * A strip's plot is a few dozen pixels tall: five ticks there print on top of each other (seen at 1920×1080), so its
 * axes say only where they start and end.
 */
function endsOnly(axis: { domain: [number, number]; ticks: number[] }): { domain: [number, number]; ticks: number[] } {
  return { domain: axis.domain, ticks: [axis.domain[0], axis.domain[1]] }
}

export const LoopTurnsChart = memo(function LoopTurnsChart(props: ChartProps): ReactNode {
  const { rows, palette: p } = props
  const yTurns = useStable(useMemo(() => endsOnly(linearAxis(rows, (r) => r.loopTurnsPerS, 100)), [rows]))
  const yEvents = useStable(useMemo(() => endsOnly(linearAxis(rows, (r) => r.eventsPerTurn, 2)), [rows]))
  const yAxes = useMemo(
    (): ValueAxisSpec[] => [
      { axis: yTurns, width: 72, id: 'turns', format: formatCount },
      { axis: yEvents, width: 56, id: 'events', right: true, format: formatPerTurn }
    ],
    [yTurns, yEvents]
  )
  const series = useMemo(
    (): Series[] => [
      { kind: 'line', name: 'turns', axis: yTurns, value: (r) => r.loopTurnsPerS, color: p.purple, width: STROKE.main },
      {
        kind: 'line',
        name: 'eventsPerTurn',
        axis: yEvents,
        value: (r) => r.eventsPerTurn,
        color: p.green,
        width: STROKE.secondary,
        dash: '1 0'
      }
    ],
    [p, yTurns, yEvents]
  )
  return (
    <TimeChart
      {...props}
      salience={SALIENCE}
      yAxes={yAxes}
      series={series}
      title="Loop turns (per s)"
      testId="turns"
      note={TURN_NOTE}
      legend={[
        { label: 'turns/s', color: p.purple },
        { label: 'events per turn', color: p.green, dash: '1 0' }
      ]}
    />
  )
})
