/**
 * The big numbers, readable from the back of a room. The container also carries what the page last drew as data-*
 * attributes, which the browser tests read.
 */
import { memo, type ReactNode } from 'react'
import type { FrameWindow } from '../hooks/frame-window'
import { STALL_THRESHOLD_MS } from '../hooks/frame-window'
import { formatBytes, formatCount, formatMs } from '../scales'

function Tile(props: { testId: string; label: string; value: string; sub?: ReactNode; tone?: 'alert'; help: string }): ReactNode {
  return (
    <div className={`kpi${props.tone ? ` kpi-${props.tone}` : ''}`} title={props.help} data-testid={`tile-${props.testId}`}>
      <div className="kpi-label">{props.label}</div>
      <KpiValue testId={props.testId} text={props.value} />
      {props.sub && <div className="kpi-sub">{props.sub}</div>}
    </div>
  )
}

/** "72.5 ms" → a big "72.5" and a smaller "ms", so the number gets the room. */
function KpiValue({ testId, text }: { testId: string; text: string }): ReactNode {
  const space = text.lastIndexOf(' ')
  const unit = space > 0 && /[a-zA-Z]$/.test(text) ? text.slice(space + 1) : ''
  return (
    <div className="kpi-value" data-testid={`kpi-${testId}`} data-value={text}>
      {unit ? text.slice(0, space) : text}
      {unit && <span className="kpi-unit"> {unit}</span>}
    </div>
  )
}

export const Kpis = memo(function Kpis({ frames, theoryRps }: { frames: FrameWindow; theoryRps: number | null }): ReactNode {
  const f = frames.last
  const stallMs = f?.stallMs ?? 0
  const stalled = stallMs > STALL_THRESHOLD_MS
  const theory = f ? f.theoryRps : theoryRps
  const lp = f?.longPoll ?? null
  return (
    <section
      className="kpis"
      aria-label="Live figures"
      data-testid="kpis"
      data-frames-drawn={frames.drawn}
      data-last-t={f?.t ?? ''}
      data-last-stall-ms={Math.round(stallMs)}
      data-max-stall-ms={Math.round(frames.maxStallMs)}
      data-last-queued={f?.queued ?? 0}
      data-max-queued={frames.maxQueued}
      data-theory-rps={theory ?? ''}
      data-marks={frames.marks.length}
    >
      <Tile
        testId="rps"
        label="Throughput"
        value={f ? formatCount(f.rps) : '–'}
        help="Responses completed per second, over the last second; below it, the bound Little's law predicts."
        sub={
          <>
            req/s · theory <strong data-testid="kpi-theory">{theory === null ? 'none' : formatCount(theory)}</strong>
          </>
        }
      />
      <Tile
        testId="p99"
        label="p99 latency"
        value={formatMs(f?.latencyMs?.p99)}
        help="99% of the requests completed in the last second took at most this long."
        sub={<>p50 {formatMs(f?.latencyMs?.p50)}</>}
      />
      <Tile testId="inflight" label="In flight" value={f ? formatCount(f.inFlight) : '–'} help="Requests sent and not yet answered." sub={<>active {f ? formatCount(f.active) : '–'}</>} />
      <Tile
        testId="queued"
        label="Queued"
        value={f ? formatCount(f.queued) : '–'}
        help="In flight but not being served: waiting in the OS backlog or for a thread."
        sub={<>max {formatCount(frames.maxQueued)}</>}
      />
      <Tile
        testId="loop"
        label="Loop delay"
        value={formatMs(f?.loopDelayP99Ms)}
        tone={stalled ? 'alert' : undefined}
        help="p99: how late the subject's event loop runs its callbacks; the stall is how long it has been blocked right now."
        sub={
          <span className={stalled ? 'stall stall-on' : 'stall'} data-testid="kpi-stall" role="status">
            {stalled ? `BLOCKED ${formatMs(stallMs)}` : `stall ${formatMs(stallMs)}`}
          </span>
        }
      />
      {lp && (
        <Tile
          testId="bytes-per-held"
          label="RAM / held"
          value={formatBytes(lp.bytesPerHeld)}
          help="The subject's extra memory for each long-poll request it holds open."
          sub={<>{formatCount(lp.held)} held</>}
        />
      )}
    </section>
  )
})
