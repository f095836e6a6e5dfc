/**
 * The four live charts (five with subscribers), all sharing one window of rows and one time axis; under
 * them, across the whole width, the small loop-turns chart (the same axis) and each request's timeline (its own
 * few-second axis) while the subject records one. Presenter mode leaves the strip out: a room reads the four large,
 * and the strip's sentence on what a turn is would be hidden there with the other notes.
 */
import { memo, useMemo, type ReactNode } from 'react'
import type { FrameWindow } from '../frames/frame-window'
import type { Palette } from '../palette'
import { timeDomain, timeTicks } from './chart-parts'
import { CHART_TYPE } from './chart-layout'
import { LatencyChart } from './LatencyChart'
import { PushChart } from './PushChart'
import { LoopChart } from './LoopChart'
import { LoopTurnsChart } from './LoopTurnsChart'
import { RequestsChart } from './RequestsChart'
import { SwimlaneChart } from './SwimlaneChart'
import { ThroughputChart } from './ThroughputChart'

export const ChartsGrid = memo(function ChartsGrid(props: {
  frames: FrameWindow
  palette: Palette
  presenter: boolean
}): ReactNode {
  const { frames, palette } = props
  const { rows, marks } = frames
  const type = props.presenter ? CHART_TYPE.presenter : CHART_TYPE.normal
  // whole seconds: the axis (and its store in Recharts) changes once a second, not on every frame
  const [from, to] = timeDomain(rows.at(-1)?.tS)
  const domain = useMemo(() => [from, to] as const, [from, to])
  const transport = frames.last?.push?.transport ?? null
  const showLongPoll = transport !== null
  // five charts sit three to a row: a third of the width holds a label every 20 s, not every 10
  const ticks = useMemo(() => timeTicks(domain, showLongPoll ? 20 : 10), [domain, showLongPoll])
  const last = frames.last
  const showTimeline = frames.bars.length > 0 || last?.timeline != null
  return (
    <div className={`charts${showLongPoll ? ' charts-5' : ''}${showTimeline ? ' charts-timeline' : ''}`}>
      <RequestsChart rows={rows} marks={marks} palette={palette} domain={domain} ticks={ticks} type={type} />
      <ThroughputChart
        rows={rows}
        marks={marks}
        palette={palette}
        domain={domain}
        ticks={ticks}
        type={type}
        windowMs={frames.last?.window.windowMs ?? null}
      />
      <LatencyChart rows={rows} marks={marks} palette={palette} domain={domain} ticks={ticks} type={type} />
      <LoopChart rows={rows} marks={marks} palette={palette} domain={domain} ticks={ticks} type={type} />
      {transport !== null && (
        <PushChart
          rows={rows}
          marks={marks}
          palette={palette}
          domain={domain}
          ticks={ticks}
          type={type}
          transport={transport}
        />
      )}
      {/* a row of its own across the whole width, under the time charts */}
      {!props.presenter && (
        <LoopTurnsChart rows={rows} marks={marks} palette={palette} domain={domain} ticks={ticks} type={type} />
      )}
      {showTimeline && (
        <SwimlaneChart
          bars={frames.bars}
          toMs={last?.t ?? 0}
          answered={last?.timeline?.answered ?? null}
          sampled={last?.timeline?.bars.length ?? 0}
          palette={palette}
          type={type}
        />
      )}
    </div>
  )
})
