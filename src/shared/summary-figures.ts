/**
 * A summary as a list of labelled figures with units: the HTML report's summary table and the side-by-side
 * comparison (the CLI's `compare`, later the Runs view) read the same list, so they name and round each figure alike.
 * Figures are the summary's own; nothing is computed here but measured/theory.
 */
import type { Summary } from './frame'

export interface Figure {
  key: string
  label: string
  /** null: the run has no such figure (no latency without answers, no theory for hello world) */
  value: number | null
  unit: string
  digits: number
}

const fig = (key: string, label: string, value: number | null | undefined, unit: string, digits = 0): Figure => ({
  key,
  label,
  value: value ?? null,
  unit,
  digits
})

export function summaryFigures(s: Summary): Figure[] {
  const lat = s.latencyMs
  const out: Figure[] = [
    fig('durationS', 'Time taken', s.durationMs / 1000, 's', 3),
    fig('completed', 'Complete requests', s.completed, ''),
    fig('errors', 'Failed requests', s.errors, ''),
    fig('rps', 'Requests per second', s.rps, 'req/s', 2),
    fig('theoryRps', "Theory (Little's law)", s.theoryRps, 'req/s', 2),
    fig('ofTheory', 'Measured / theory', s.theoryRps ? (s.rps / s.theoryRps) * 100 : null, '%', 1),
    fig('latencyMean', 'Latency mean', lat?.mean, 'ms', 1),
    fig('latencyP50', 'Latency p50', lat?.p50, 'ms', 1),
    fig('latencyP90', 'Latency p90', lat?.p90, 'ms', 1),
    fig('latencyP99', 'Latency p99', lat?.p99, 'ms', 1),
    fig('latencyMax', 'Latency max', lat?.max, 'ms', 1),
    fig('loopDelayP99', 'Loop delay p99', s.loop.delayP99Ms, 'ms', 1),
    fig('maxStall', 'Longest stall', s.loop.maxStallMs, 'ms'),
    fig('utilization', 'Loop utilization', s.loop.utilization * 100, '%', 1),
    fig('crowdBusy', "Crowd's own loop busy", s.crowdBusy === undefined ? null : s.crowdBusy * 100, '%', 1),
    fig('maxInFlight', 'In flight at most', s.maxInFlight, ''),
    fig('maxQueued', 'Queued at most', s.maxQueued, ''),
    fig('unanswered', 'Unanswered at the end', s.unanswered?.count, '')
  ]
  const lp = s.push
  if (lp) {
    out.push(
      fig('held', 'Held at most', lp.held, ''),
      fig('delivered', 'Delivered', lp.delivered, ''),
      fig('undelivered', 'Undelivered', lp.undelivered, ''),
      fig('deliveryP99', 'Delivery p99', lp.deliveryP99Ms, 'ms', 1),
      fig('bytesPerHeld', 'Memory per connection', lp.bytesPerHeld === null ? null : lp.bytesPerHeld / 1024, 'KiB', 1),
      fig('subscriberRequests', 'Subscriber requests', lp.requests, ''),
      fig('cpuPerDelivery', 'Subject CPU per delivery', lp.cpuPerDeliveryUs, 'µs', 1),
      fig('bytesInPerDelivery', 'Bytes in per delivery', lp.bytesInPerDelivery, 'B', 0)
    )
  }
  const u = s.upstream
  if (u) {
    out.push(
      fig('backendAnswered', 'Backend answers', u.answered, ''),
      fig('backendAnswerP50', 'Backend answer p50', u.answerP50Ms, 'ms', 1),
      fig('backendAnswerP99', 'Backend answer p99', u.answerP99Ms, 'ms', 1),
      fig('backendAnswerMax', 'Backend answer max', u.answerMaxMs, 'ms', 1),
      fig('backendInFlight', 'Backend in flight at most', u.maxBackendInFlight, ''),
      fig('waitingForConnection', 'Waiting for a connection at most', u.maxWaitingForConnection, ''),
      fig('backendFailed', 'Backend calls failed', u.failed, '')
    )
  }
  const pool = s.libuvPool
  if (pool) {
    out.push(
      fig('libuvPoolSize', "libuv's pool", pool.size, 'threads'),
      fig('libuvMaxBusy', 'Pool threads busy at most', pool.maxBusy, ''),
      fig('libuvMaxWaiting', 'Waiting for a pool thread at most', pool.maxWaiting, ''),
      fig('libuvMaxFileRead', 'Slowest unrelated file read', pool.maxFileReadMs, 'ms', 1)
    )
  }
  const hold = s.hold
  if (hold) {
    out.push(
      fig('heldRequests', 'Held at the front door', hold.heldRequests, ''),
      fig('longestHold', 'Longest hold', hold.longestHoldMs, 'ms'),
      fig('restarts', 'App restarts', hold.restarts, ''),
      fig('failedAtApp', 'Failed at the app', hold.failedAtApp.reset + hold.failedAtApp.refused, '')
    )
  }
  // several processes: each loop's own figures, so a run where one was blocked shows which (and Compare sets a run on
  // 1 process against one on 2, row by row: a process the other run did not have reads "—")
  for (const p of s.processes ?? []) {
    out.push(
      fig(`process${p.process}DelayP99`, `Process ${p.process}: loop delay p99`, p.delayP99Ms, 'ms', 1),
      fig(`process${p.process}MaxStall`, `Process ${p.process}: longest stall`, p.maxStallMs, 'ms'),
      fig(`process${p.process}Utilization`, `Process ${p.process}: loop utilization`, p.utilization * 100, '%', 1)
    )
  }
  return out
}

/** "49.78 req/s", "2,007 ms"; "—" for no figure. */
export function formatFigure(f: Pick<Figure, 'value' | 'unit' | 'digits'>, signed = false): string {
  if (f.value === null) return '—'
  const text = f.value.toLocaleString('en-US', { minimumFractionDigits: f.digits, maximumFractionDigits: f.digits })
  const sign = signed && f.value > 0 ? '+' : ''
  return `${sign}${text}${f.unit ? (f.unit === '%' ? '%' : ` ${f.unit}`) : ''}`
}
