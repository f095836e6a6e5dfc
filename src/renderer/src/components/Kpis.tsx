/**
 * The big numbers, readable from the back of a room: live from the last frame, or the ended run's whole-run figures
 * (frames/tiles.ts decides which, and says so). The container also carries what the page last drew as data-*
 * attributes, which the browser tests read.
 */
import { memo, type ReactNode } from 'react'
import type { Frame, Summary } from '../../../shared/frame'
import type { FrameWindow } from '../frames/frame-window'
import { tileFigures } from '../frames/tiles'

function Tile(props: {
  testId: string
  label: string
  value: string
  sub?: ReactNode
  tone?: 'alert'
  help: string
}): ReactNode {
  return (
    <div
      className={`kpi${props.tone ? ` kpi-${props.tone}` : ''}`}
      title={props.help}
      data-testid={`tile-${props.testId}`}
    >
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

/**
 * "in waitBlocking (pool-task.js:16) ← … ← workHandler" under the BLOCKED badge. A narrow tile (six in a row at
 * 1280 px) keeps the function and where it is, and leaves its callers to the title and the chart's stall span.
 */
function BlockedIn({ text }: { text: string }): ReactNode {
  const cut = text.indexOf(' ← ')
  return (
    <span className="stall-where" data-testid="kpi-blocked-in" title={text}>
      {cut < 0 ? text : text.slice(0, cut)}
      {cut >= 0 && <span className="stall-callers">{text.slice(cut)}</span>}
    </span>
  )
}

/** A figure and its unit never split across lines ("6.04" / "s"): a no-break space between them. */
const keepUnits = (text: string): string => text.replace(/(\d) (ms|s|KB|MB|B)\b/g, '$1\u00a0$2')

/** What the tests read: the last frame the page drew (the charts still show it), and which figures the tiles show. */
function dataAttrs(
  frames: FrameWindow,
  f: Frame | null,
  summary: Summary | null,
  mode: string,
  theoryRps: number | null
): Record<string, string | number> {
  return {
    'data-live': String(mode === 'live'),
    'data-mode': mode,
    'data-frames-drawn': frames.drawn,
    'data-last-t': f?.t ?? '',
    'data-last-stall-ms': Math.round(f?.stallMs ?? 0),
    'data-stalled': String(mode === 'live' && (f?.stalled ?? false)),
    'data-max-stall-ms': Math.round(summary ? summary.loop.maxStallMs : (f?.maxStallMs ?? 0)),
    'data-last-queued': f?.queued ?? 0,
    'data-max-queued': summary ? summary.maxQueued : (f?.maxQueued ?? 0),
    'data-theory-rps': theoryRps ?? '',
    'data-window-state': f?.window.state ?? '',
    'data-window-ms': f?.window.windowMs ?? '',
    'data-marks': frames.marks.length,
    'data-blocked-in':
      mode === 'live' && f?.stalled && f.blockedStack ? (f.blockedStack.frames[0]?.functionName ?? 'native') : ''
  }
}

export const Kpis = memo(function Kpis(props: {
  frames: FrameWindow
  running: boolean
  summary: Summary | null
  /** the bound for the settings on screen, for the tiles before any run (see App.tsx) */
  settingsTheoryRps: number | null
}): ReactNode {
  const { frames, summary } = props
  const f = frames.last
  const t = tileFigures({ running: props.running, last: f, summary, settingsTheoryRps: props.settingsTheoryRps })
  const theoryRps = summary ? summary.theoryRps : t.mode === 'live' ? f!.theoryRps : props.settingsTheoryRps
  return (
    <section
      className={`kpis kpis-${t.mode}`}
      aria-label={t.mode === 'ended' ? 'The ended run’s figures' : 'Live figures'}
      data-testid="kpis"
      {...dataAttrs(frames, f, summary, t.mode, theoryRps)}
    >
      {t.caption && (
        <p className="kpis-caption" data-testid="kpis-caption" role="status">
          {t.caption}
        </p>
      )}
      <div className={t.pushCost ? 'kpi-grid kpi-grid-7' : 'kpi-grid'}>
        <Tile
          testId="rps"
          label="Throughput"
          value={t.rps}
          help={t.rpsHelp}
          sub={
            <>
              req/s ·{' '}
              <span className="nowrap">
                theory <strong data-testid="kpi-theory">{t.theory}</strong>
              </span>
              <br />
              <span data-testid="kpi-rps-span">{keepUnits(t.span)}</span>
              {t.failed && (
                <>
                  <br />
                  <span className="kpi-failed" data-testid="kpi-failed">
                    {t.failed}
                  </span>
                </>
              )}
            </>
          }
        />
        <Tile
          testId="p99"
          label="p99 latency"
          value={t.p99}
          help={t.latencyHelp}
          sub={
            <>
              p50 {keepUnits(t.p50)}
              <br />
              <span data-testid="kpi-latency-span">{keepUnits(t.latencySpan)}</span>
            </>
          }
        />
        <Tile
          testId="inflight"
          label="In flight"
          value={t.inFlight}
          help={t.inFlightHelp}
          sub={
            t.active === null ? (
              t.inFlightSub
            ) : (
              <>
                active <span data-testid="kpi-active">{t.active}</span>
              </>
            )
          }
        />
        <Tile
          testId="queued"
          label="Queued"
          value={t.queued}
          help="In flight but not being served: waiting in the OS backlog, the crowd's connection queue, or for a thread (of the pool, or of libuv's pool: its threads busy and the requests waiting for one below)."
          sub={
            <>
              max {t.maxQueued}
              {t.libuvPool && (
                <>
                  <br />
                  <span data-testid="kpi-libuv-pool">{t.libuvPool}</span>
                </>
              )}
              {t.libuvFileRead && (
                <>
                  <br />
                  <span
                    data-testid="kpi-libuv-file-read"
                    title="An unrelated 4-KiB file read on the same pool, every 100 ms: it waits for a thread too."
                  >
                    {keepUnits(t.libuvFileRead)}
                  </span>
                </>
              )}
            </>
          }
        />
        <Tile
          testId="loop"
          label="Loop delay"
          value={t.loopP99}
          tone={t.stalled ? 'alert' : undefined}
          help={t.loopHelp}
          sub={
            <>
              <span className={t.stalled ? 'stall stall-on' : 'stall'} data-testid="kpi-stall" role="status">
                {keepUnits(t.stall)}
              </span>
              {t.blockedIn && <BlockedIn text={t.blockedIn} />}
            </>
          }
        />
        {t.bytesPerHeld && (
          <Tile
            testId="bytes-per-held"
            label="RAM / conn."
            value={t.bytesPerHeld.value}
            help="The subject's extra memory for each subscriber's connection (a held /wait, an event stream, a WebSocket), measured after a garbage collection."
            sub={t.bytesPerHeld.held}
          />
        )}
        {t.pushCost && (
          <Tile
            testId="push-cost"
            label="CPU / delivery"
            value={t.pushCost.value}
            help={t.pushCost.help}
            sub={t.pushCost.sub}
          />
        )}
        {t.upstream && (
          <Tile
            testId="upstream"
            label="Backend"
            value={t.upstream.value}
            tone={t.upstream.down ? 'alert' : undefined}
            help={t.upstream.help}
            sub={t.upstream.sub}
          />
        )}
      </div>
    </section>
  )
})
