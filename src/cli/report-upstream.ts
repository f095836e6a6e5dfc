/** Work "upstream" in the CLI's report and progress line: display only (the figures are the sampler's). */
import type { Frame, Summary } from '../shared/frame'
import { eachProcess } from '../shared/run-words'

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
const row = (label: string, value: string): string => `${(label + ':').padEnd(26)}${value}`

/** The report's lines for the backend; none when the run started none. */
export function upstreamLines(summary: Summary): string[] {
  const u = summary.upstream
  if (!u) return []
  const out = ['']
  const answer =
    u.answerP50Ms === null
      ? 'none answered'
      : `p50 ${ms(u.answerP50Ms)} ms · p99 ${ms(u.answerP99Ms ?? 0)} ms · max ${ms(u.answerMaxMs ?? 0)} ms`
  out.push(row('Backend answers', `${u.answered} · ${answer}`))
  out.push(row('Backend in flight', `at most ${u.maxBackendInFlight}`))
  if (summary.settings.threads === 0 && !summary.settings.blocking) {
    out.push(
      row(
        'Waiting for a connection',
        `at most ${u.maxWaitingForConnection} (of the pool of ${summary.settings.upstreamConnections}${eachProcess(summary.settings)})`
      )
    )
  }
  if (u.failed > 0 || u.backendExited) {
    out.push(
      row('Backend calls failed', `${u.failed}${u.backendExited ? ' — the backend process ended during the run' : ''}`)
    )
  }
  return out
}

/** " · backend 10 in flight, 40 waiting for a connection", or '' without a backend. */
export function upstreamProgress(frame: Frame): string {
  const u = frame.upstream
  if (!u) return ''
  if (!u.up) return ' · backend DOWN'
  return ` · backend ${u.backendInFlight} in flight${u.waitingForConnection > 0 ? `, ${u.waitingForConnection} waiting for a connection` : ''}`
}
