/**
 * Small multiples of the subject's processes (a run with several): one compact row per process — its loop
 * utilization over the chart's window as a sparkline, its loop delay p99 and active requests now, and "blocked" while
 * its loop is. One row is ~22 px, so 16 processes still leave the charts room at 1280×720. Under it, a sentence when
 * the crowd's connections are spread over the processes so unevenly that it costs throughput. Figures are the host's (frame.processes).
 */
import { memo, type ReactNode } from 'react'
import type { ProcessFrame } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
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

export const ProcessStrip = memo(function ProcessStrip({
  frames,
  settings
}: {
  frames: FrameWindow
  /** the shown run's: what one process can serve at once decides whether a spread is worth a word */
  settings: Settings
}): ReactNode {
  const rows = frames.last?.processes
  if (!rows || rows.length === 0) return null
  const history = frames.rows.map((r) => r.processes)
  const uneven = unevenText(rows, settings)
  return (
    <section className="process-strip" data-testid="process-strip" aria-label="Each process's event loop">
      {rows.map((r) => (
        <div
          key={r.process}
          className={`process-row${r.stalled ? ' process-blocked' : ''}`}
          data-testid={`process-row-${r.process}`}
          data-stalled={String(r.stalled)}
          data-active={r.active}
          title={`Process ${r.process}: its own event loop. The line is its utilization over the last 20 s.`}
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
          <span className="process-figure">util {Math.round(r.loopUtilization * 100)}%</span>
          <span className="process-figure">p99 {formatMs(r.loopDelayP99Ms)}</span>
          <span className="process-figure">active {r.active}</span>
          <span className="process-state" role="status">
            {r.stalled ? `blocked ${formatMs(r.stallMs)}` : ''}
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
