/** The end-of-run report: the same figures as the CLI's ab-style report. */
import { memo, type ReactNode } from 'react'
import { ERROR_KINDS, type Summary } from '../../../shared/frame'
import { stackKey, stackLabel, stackLines } from '../../../shared/blocked-stack'
import { changesBound, theoryFormula } from '../../../shared/theory'
import { appPidsWords, markWords } from '../../../shared/run-words'
import { END_REASON, pushSummaryWords } from '../frames/tiles'
import { upstreamSummaryWords } from '../frames/upstream-tile'
import { formatCount, formatMs } from '../scales'

/** "Compare with the previous run": ready once the run just ended is saved and another was saved before it. */
export interface ComparePrevious {
  ready: boolean
  busy: boolean
  onCompare(): void
}

export const SummaryPanel = memo(function SummaryPanel({
  summary: s,
  onClose,
  previous,
  onPng
}: {
  summary: Summary
  onClose(): void
  /** null: not offered (a saved run is open) */
  previous: ComparePrevious | null
  onPng(): void
}): ReactNode {
  const perRequestMs = s.latencyMs?.mean ?? null
  const acrossMs = s.completed > 0 ? s.durationMs / s.completed : null
  // a change of what the bound reads (not a restart, a hold or a timeout: they leave the theory as it was)
  const changed = s.marks.some((m) => changesBound(m.patch))
  const failedKinds = ERROR_KINDS.filter((k) => s.errorsByKind[k] > 0)
  return (
    <section className="summary" data-testid="summary" aria-labelledby="summary-h">
      <header>
        <h2 id="summary-h">
          Run summary{' '}
          <span className="muted">
            — {END_REASON[s.reason]}, {formatMs(s.durationMs)}
          </span>
        </h2>
        <span className="summary-actions" data-png-skip>
          {previous && (
            <button
              type="button"
              data-testid="compare-previous"
              disabled={!previous.ready || previous.busy}
              title={
                previous.ready
                  ? 'Compare this run with the one saved before it, side by side'
                  : 'Needs this run saved, and one saved before it'
              }
              onClick={previous.onCompare}
            >
              ⇄ Compare with the previous run
            </button>
          )}
          <button
            type="button"
            className="ghost"
            data-testid="png"
            title="Download a PNG of the dashboard as it is on screen"
            onClick={onPng}
          >
            ⤓ PNG
          </button>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close the summary">
            ✕
          </button>
        </span>
      </header>
      <div className="summary-grid">
        <dl className="figures">
          <dt>Completed requests</dt>
          <dd data-testid="summary-completed">{s.completed.toLocaleString('en-US')}</dd>
          <dt>Failed requests</dt>
          <dd data-testid="summary-failed">{s.errors.toLocaleString('en-US')}</dd>
          <dt>Requests per second</dt>
          <dd data-testid="summary-rps">
            {formatCount(s.rps)} <span className="muted">[#/sec] (mean)</span>
          </dd>
          <dt>Theory</dt>
          <dd title={theoryFormula(s.settings)}>
            {s.theoryRps === null ? (
              theoryFormula(s.settings)
            ) : (
              <>
                {formatCount(s.theoryRps)} req/s <span className="muted">= {theoryFormula(s.settings)}</span>
              </>
            )}
            {changed && <span className="muted"> — for the settings at the end; the run changed on the way</span>}
          </dd>
          {s.marks.length > 0 && (
            <>
              <dt>Changes during the run</dt>
              <dd data-testid="summary-changes">{s.marks.map((m) => markWords(m)).join(' · ')}</dd>
            </>
          )}
          <dt>Time per request</dt>
          <dd>
            {formatMs(perRequestMs)} <span className="muted">(mean)</span>
          </dd>
          <dt>Time per request</dt>
          <dd>
            {formatMs(acrossMs)} <span className="muted">(mean, across all concurrent requests)</span>
          </dd>
          <dt>Loop delay p99</dt>
          <dd>{formatMs(s.loop.delayP99Ms)}</dd>
          <dt>Longest stall</dt>
          <dd data-testid="summary-max-stall">{formatMs(s.loop.maxStallMs)}</dd>
          <dt>Loop utilization</dt>
          <dd>{Math.round(s.loop.utilization * 100)}%</dd>
          {s.processes && s.processes.length > 0 && (
            <>
              <dt>Per process</dt>
              <dd data-testid="summary-processes">
                {s.processes.map((r) => (
                  <div key={r.process}>
                    process {r.process}: p99 {formatMs(r.delayP99Ms)} · longest stall {formatMs(r.maxStallMs)} ·{' '}
                    {Math.round(r.utilization * 100)}%
                  </div>
                ))}
              </dd>
            </>
          )}
          <dt>Most in flight / queued</dt>
          <dd>
            {formatCount(s.maxInFlight)} / {formatCount(s.maxQueued)}
          </dd>
          {s.unanswered && s.unanswered.count > 0 && (
            <>
              <dt>Unanswered at the end</dt>
              <dd
                data-testid="summary-unanswered"
                title="Requests still waiting for an answer when the run ended: their waits are not in the latency figures."
              >
                {formatCount(s.unanswered.count)}
                {s.unanswered.oldestWaitMs !== null && (
                  <>, the oldest waiting {formatMs(s.unanswered.oldestWaitMs)}</>
                )}{' '}
                <span className="muted">(not in the latency figures)</span>
              </dd>
            </>
          )}
          <dt>Errors by kind</dt>
          <dd data-testid="summary-errors">
            {failedKinds.length === 0 ? 'none' : failedKinds.map((k) => `${k} ${s.errorsByKind[k]}`).join(', ')}
            {s.hold && s.hold.failedAtApp.reset + s.hold.failedAtApp.refused > 0 && (
              <span className="muted">
                {' '}
                (as the crowd saw them: the front door closes the connection of a request it cannot deliver, a reset to
                the crowd; why it could not is under Failed at the app)
              </span>
            )}
          </dd>
          {s.upstream && (
            <>
              <dt>Backend</dt>
              <dd data-testid="summary-upstream">{upstreamSummaryWords(s.upstream)}</dd>
            </>
          )}
          {s.push && (
            <>
              <dt>Subscribers</dt>
              <dd data-testid="summary-push">{pushSummaryWords(s.push).main}</dd>
              {s.push.byTransport && (
                <>
                  <dt>Per transport</dt>
                  <dd data-testid="summary-push-transports">
                    {pushSummaryWords(s.push).perTransport.map((line) => (
                      <div key={line}>{line}</div>
                    ))}
                  </dd>
                </>
              )}
              <dt>Deliveries owed</dt>
              <dd data-testid="summary-long-poll-books">
                {formatCount(s.push.owed)}: {formatCount(s.push.delivered)} delivered
                {s.push.undelivered > 0
                  ? `, ${formatCount(s.push.undelivered)} not (${formatCount(s.push.missed)} gone from the log, ${formatCount(s.push.inFlight)} still on their way)`
                  : ', none missing'}
              </dd>
            </>
          )}
          {s.hold && (
            <>
              <dt>Held at the front door</dt>
              <dd data-testid="summary-hold">
                {formatCount(s.hold.heldRequests)} requests in{' '}
                {s.hold.holds === 1 ? '1 hold' : `${formatCount(s.hold.holds)} holds`}
                {s.hold.longestHoldMs !== null && <>, the longest waiting {formatMs(s.hold.longestHoldMs)}</>}
              </dd>
              <dt>App restarts</dt>
              <dd data-testid="summary-restarts">
                {formatCount(s.hold.restarts)}{' '}
                <span className="muted">({appPidsWords(s.hold.appPids, s.settings)})</span>
              </dd>
              <dt>Failed at the app</dt>
              <dd data-testid="summary-failed-at-app">
                {formatCount(s.hold.failedAtApp.reset + s.hold.failedAtApp.refused)}{' '}
                <span className="muted">
                  (lost with a process that went {formatCount(s.hold.failedAtApp.reset)}, refused while none listened{' '}
                  {formatCount(s.hold.failedAtApp.refused)})
                </span>
              </dd>
            </>
          )}
        </dl>
        {s.blockedStacks.length > 0 && (
          <section className="blocked-stacks" aria-labelledby="summary-stacks-h">
            <h3 id="summary-stacks-h">What held the loop longest</h3>
            <ol data-testid="summary-blocked-stacks">
              {s.blockedStacks.map((b) => (
                <li key={stackKey(b.stack)} title={stackLines(b.stack).join('\n')}>
                  <strong>{formatMs(b.stalledMs)}</strong>{' '}
                  <span className="muted">({b.stalls === 1 ? '1 stall' : `${b.stalls} stalls`})</span>{' '}
                  {stackLabel(b.stack)}
                </li>
              ))}
            </ol>
          </section>
        )}
        <table className="percentiles" data-testid="summary-percentiles">
          <caption>Percentage of the requests served within a certain time</caption>
          <thead>
            <tr>
              <th scope="col">percentile</th>
              <th scope="col">latency</th>
            </tr>
          </thead>
          <tbody>
            {s.percentilesMs.map((row) => (
              <tr key={row.percentile}>
                <td>{row.percentile}%</td>
                <td>{formatMs(row.ms)}</td>
              </tr>
            ))}
            {s.latencyMs && (
              <tr>
                <td>100% (longest)</td>
                <td>{formatMs(s.latencyMs.max)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  )
})
