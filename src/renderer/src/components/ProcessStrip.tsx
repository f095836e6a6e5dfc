/**
 * Small multiples of the subject's processes (a run with several): one compact row per process — its loop
 * utilization over the chart's window as a sparkline, its loop delay p99 and active requests now, and "blocked" while
 * its loop is. One row is ~22 px, so 16 processes still leave the charts room at 1280×720. Under it, a sentence when
 * the crowd's connections are spread over the processes so unevenly that it costs throughput. Once the run has
 * ended, each row gives the whole run's figures (the summary's), as the tiles above do; while the app is restarting
 * behind the front door, no figure, since there is no loop to measure. Figures are the host's (frame.processes).
 */
import { memo, type ReactNode } from 'react'
import type { ProcessFrame, Summary } from '../../../shared/frame'
import type { FrameWindow } from '../frames/frame-window'
import { unevenText } from '../frames/process-rows'
import { formatMs } from '../scales'

const SPARK_W = 160
const SPARK_H = 16
/** the sparkline's points: the last this many frames (10 a second) */
const SPARK_FRAMES = 200

function sparkPoints(history: readonly (ProcessFrame[] | null)[], process: number): string {
  const recent = history.slice(-SPARK_FRAMES)
  const step = SPARK_W / Math.max(1, SPARK_FRAMES - 1)
  const offset = SPARK_W - (recent.length - 1) * step
  const points: string[] = []
  recent.forEach((rows, i) => {
    const row = rows?.find((r) => r.process === process)
    if (row) points.push(`${(offset + i * step).toFixed(1)},${(SPARK_H - row.loopUtilization * SPARK_H).toFixed(1)}`)
  })
  return points.join(' ')
}

/** A row's figures: live, the last frame's; ended, the whole run's (the summary's, as the tiles above are then). */
interface RowFigures {
  process: number
  /** "util 12%"; "util –" while there is no loop to measure */
  util: string
  p99: string
  /** live: "active 3"; ended: "longest stall 1.00 s" */
  third: string
  state: string
  stalled: boolean
  active: number | null
}

function rowFigures(
  last: ProcessFrame[] | null | undefined,
  summary: Summary | null,
  restarting: boolean
): RowFigures[] | null {
  if (summary) {
    if (!summary.processes || summary.processes.length === 0) return null
    return summary.processes.map((r) => ({
      process: r.process,
      util: `util ${Math.round(r.utilization * 100)}%`,
      p99: formatMs(r.delayP99Ms),
      third: `longest stall ${formatMs(r.maxStallMs)}`,
      state: '',
      stalled: false,
      active: null
    }))
  }
  if (!last || last.length === 0) return null
  return last.map((r) => ({
    process: r.process,
    util: restarting ? 'util –' : `util ${Math.round(r.loopUtilization * 100)}%`,
    // between the old app and the new one there is no loop to measure: not a loop with no delay
    p99: restarting ? '–' : formatMs(r.loopDelayP99Ms),
    third: restarting ? 'active –' : `active ${r.active}`,
    state: restarting ? 'restarting' : r.stalled ? `blocked ${formatMs(r.stallMs)}` : '',
    stalled: !restarting && r.stalled,
    active: restarting ? null : r.active
  }))
}

export const ProcessStrip = memo(function ProcessStrip({
  frames,
  summary
}: {
  frames: FrameWindow
  /** the shown run's summary once it has ended: the rows are then its whole-run figures, as the tiles are */
  summary: Summary | null
}): ReactNode {
  const last = frames.last
  const restarting = !summary && last?.hold != null && (last.hold.appDown ?? last.hold.restarting)
  const rows = rowFigures(last?.processes, summary, restarting)
  if (!rows) return null
  const history = frames.rows.map((r) => r.processes)
  const uneven = summary || restarting ? null : unevenText(last)
  return (
    <section
      className="process-strip"
      data-testid="process-strip"
      data-mode={summary ? 'ended' : 'live'}
      aria-label="Each process's event loop"
    >
      {rows.map((r) => (
        <div
          key={r.process}
          className={`process-row${r.stalled ? ' process-blocked' : ''}`}
          data-testid={`process-row-${r.process}`}
          data-stalled={String(r.stalled)}
          {...(r.active !== null && { 'data-active': r.active })}
          title={
            summary
              ? `Process ${r.process}: its own event loop over the whole run (utilization, loop delay p99, longest stall). The line is its utilization over the last 20 s of the run.`
              : `Process ${r.process}: its own event loop. The line is its utilization over the last 20 s.`
          }
        >
          <span className="process-name">process {r.process}</span>
          <svg
            className="process-spark"
            width={SPARK_W}
            height={SPARK_H}
            viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
            aria-hidden="true"
          >
            <polyline points={sparkPoints(history, r.process)} fill="none" stroke="currentColor" strokeWidth="1.5" />
          </svg>
          <span className="process-figure">{r.util}</span>
          <span className="process-figure">p99 {r.p99}</span>
          <span className="process-figure">{r.third}</span>
          <span className="process-state" role="status">
            {r.state}
          </span>
        </div>
      ))}
      {uneven && (
        <p className="process-uneven" data-testid="process-uneven">
          {uneven}
        </p>
      )}
    </section>
  )
})
