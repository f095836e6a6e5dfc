/** The four live charts (five with long-poll subscribers), all sharing one window of rows and one time axis. */
import { memo, type ReactNode } from 'react'
import type { FrameWindow } from '../hooks/frame-window'
import type { Palette } from '../palette'
import { timeDomain } from './chart-parts'
import { LatencyChart } from './LatencyChart'
import { LongPollChart } from './LongPollChart'
import { LoopChart } from './LoopChart'
import { RequestsChart } from './RequestsChart'
import { ThroughputChart } from './ThroughputChart'

export const ChartsGrid = memo(function ChartsGrid({ frames, palette }: { frames: FrameWindow; palette: Palette }): ReactNode {
  const { rows, marks } = frames
  const domain = timeDomain(rows.at(-1)?.t)
  const showLongPoll = frames.last?.longPoll != null
  return (
    <div className={`charts${showLongPoll ? ' charts-5' : ''}`}>
      <RequestsChart rows={rows} marks={marks} palette={palette} domain={domain} />
      <ThroughputChart rows={rows} marks={marks} palette={palette} domain={domain} />
      <LatencyChart rows={rows} marks={marks} palette={palette} domain={domain} />
      <LoopChart rows={rows} marks={marks} palette={palette} domain={domain} />
      {showLongPoll && <LongPollChart rows={rows} marks={marks} palette={palette} domain={domain} />}
    </div>
  )
})
