/** The ab-style report and the live progress line: display only, no business logic. */
import type { Frame, PushTransportSummary, Summary } from '../shared/frame'
import { stackLabel } from '../shared/blocked-stack'
import type { PushTransport } from '../shared/wire'
import { appPidsWords, crowdLimitWords, describeSubject, messageLogWords } from '../shared/run-words'
import { theoryFormula } from '../shared/theory'
import { processLines } from './report-processes'
import { upstreamLines, upstreamProgress } from './report-upstream'

const f2 = (x: number): string => x.toFixed(2)
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
const row = (label: string, value: string): string => `${(label + ':').padEnd(26)}${value}`

export function formatReport(summary: Summary, origin: string): string {
  const s = summary.settings
  const out: string[] = []
  out.push(`Loopscope — ${describeSubject(s)} on ${origin}`)
  out.push('')
  if (s.mode === 'closed') out.push(row('Concurrency Level', String(s.concurrency)))
  else out.push(row('Rate (open loop)', `${s.ratePerS} [#/sec] scheduled, at most ${s.connections} connections`))
  out.push(row('Time taken for tests', `${(summary.durationMs / 1000).toFixed(3)} seconds (${summary.reason})`))
  out.push(row('Complete requests', String(summary.completed)))
  const e = summary.errorsByKind
  out.push(row('Failed requests', String(summary.errors)))
  if (summary.errors > 0) {
    out.push(`   (refused ${e.refused}, reset ${e.reset}, timeout ${e.timeout}, non-2xx ${e.non2xx}, other ${e.other})`)
  }
  out.push(row('Requests per second', `${f2(summary.rps)} [#/sec] (mean)`))
  if (summary.theoryRps !== null) {
    const pct =
      summary.theoryRps > 0 ? ` — measured is ${((summary.rps / summary.theoryRps) * 100).toFixed(1)}% of it` : ''
    out.push(row("Theory (Little's law)", `${f2(summary.theoryRps)} [#/sec] = ${theoryFormula(s)}${pct}`))
  }
  const lat = summary.latencyMs
  if (lat) {
    const conc = s.mode === 'closed' ? s.concurrency : 1
    out.push(row('Time per request', `${ms(lat.mean)} [ms] (mean)`))
    if (summary.rps > 0 && conc > 1)
      out.push(row('Time per request', `${f2(1000 / summary.rps)} [ms] (mean, across all concurrent requests)`))
    out.push('')
    out.push('Latency (ms)       min     mean      p50      p90      p99      max')
    out.push(
      '                ' +
        [lat.min, lat.mean, lat.p50, lat.p90, lat.p99, lat.max].map((x) => ms(x).padStart(8)).join(' ')
    )
    out.push('')
    out.push('Percentage of the requests served within a certain time (ms)')
    for (const { percentile, ms: v } of summary.percentilesMs) {
      out.push(
        `  ${String(percentile).padStart(3)}%  ${ms(v).padStart(8)}${percentile === 100 ? ' (longest request)' : ''}`
      )
    }
  }
  out.push('')
  const l = summary.loop
  out.push(
    row(
      'Event loop',
      `delay p99 ${ms(l.delayP99Ms)} ms · longest stall ${l.maxStallMs} ms · utilization ${(l.utilization * 100).toFixed(1)}%`
    )
  )
  out.push(...processLines(summary))
  if (summary.crowdBusy !== undefined) {
    const limit = crowdLimitWords(summary.crowdBusy, 'run') ? ' — the crowd, not the server, was the limit' : ''
    out.push(row("Crowd's own loop", `busy ${(summary.crowdBusy * 100).toFixed(1)}%${limit}`))
  }
  out.push(row('Queued at most', `${summary.maxQueued} (in flight at most ${summary.maxInFlight})`))
  const uv = summary.libuvPool
  if (uv) {
    out.push(
      row(
        'libuv pool',
        `${uv.size} threads · busy at most ${uv.maxBusy} · waiting for a thread at most ${uv.maxWaiting}`
      )
    )
    if (uv.maxFileReadMs !== null)
      out.push(
        row('File read on that pool', `${ms(uv.maxFileReadMs)} ms at most (an unrelated 4-KiB read, every 100 ms)`)
      )
  }
  const left = summary.unanswered
  if (left && left.count > 0) {
    const oldest = left.oldestWaitMs === null ? '' : `, the oldest waiting ${ms(left.oldestWaitMs)} ms`
    out.push(row('Unanswered at the end', `${left.count}${oldest} — not in the latency figures`))
  }
  if (summary.blockedStacks.length) {
    out.push('')
    out.push('What held the loop longest (stalled time · stalls · where)')
    for (const b of summary.blockedStacks) {
      out.push(`  ${`${ms(b.stalledMs)} ms`.padStart(10)}  ${String(b.stalls).padStart(4)}  ${stackLabel(b.stack)}`)
    }
  }
  out.push(...upstreamLines(summary))
  const lp = summary.push
  if (lp) {
    out.push('')
    out.push(
      row(
        'Subscribers',
        `${lp.subscribers} over ${TRANSPORT_WORDS[lp.transport]}${lp.held > 0 ? ` (held at /wait at most ${lp.held})` : ''}`
      )
    )
    out.push(
      row(
        'Message log',
        messageLogWords(s.store, lp.logStartId, lp.redisLost === undefined ? undefined : { lost: lp.redisLost })
      )
    )
    // published is the newest id: on Redis the log's earlier runs are in it; this run's messages are the ones after
    const start = lp.logStartId ?? 0
    const ids = start > 0 && lp.published > start ? ` (ids ${start + 1}–${lp.published})` : ''
    out.push(row('Published · delivered', `${lp.published - start}${ids} · ${lp.delivered} (timeouts ${lp.timeouts})`))
    const why = lp.undelivered > 0 ? ` (${lp.missed} gone from the log, ${lp.inFlight} still on their way)` : ''
    const waited = lp.drainMs !== null ? `; the end waited ${lp.drainMs} ms for them` : ''
    out.push(row('Owed · undelivered', `${lp.owed} · ${lp.undelivered}${why}${waited}`))
    if (lp.deliveryP50Ms !== null)
      out.push(row('Delivery latency', `p50 ${ms(lp.deliveryP50Ms)} ms · p99 ${ms(lp.deliveryP99Ms ?? 0)} ms`))
    if (lp.bytesPerHeld !== null) out.push(row('Memory per connection', `${(lp.bytesPerHeld / 1024).toFixed(1)} KiB`))
    for (const t of lp.byTransport ?? [lp])
      out.push(row(lp.byTransport ? `  ${TRANSPORT_WORDS[t.transport]}` : 'Cost per delivery', costText(t)))
  }
  const hold = summary.hold
  if (hold) {
    out.push('')
    const longest = hold.longestHoldMs === null ? '' : `, the longest waiting ${ms(hold.longestHoldMs)} ms`
    out.push(
      row(
        'Held at the front door',
        `${hold.heldRequests} requests in ${hold.holds} ${hold.holds === 1 ? 'hold' : 'holds'}${longest}`
      )
    )
    out.push(row('App restarts', `${hold.restarts} (${appPidsWords(hold.appPids, summary.settings)})`))
    const { reset, refused } = hold.failedAtApp
    out.push(
      row(
        'Failed at the app',
        `${reset + refused} (lost with a process that went ${reset}, refused while none listened ${refused})`
      )
    )
  }
  if (summary.marks.length) {
    out.push('')
    out.push('Changes during the run:')
    for (const m of summary.marks) out.push(`  ${(m.t / 1000).toFixed(1).padStart(7)} s  ${m.label}`)
  }
  return out.join('\n')
}

const TRANSPORT_WORDS: Record<PushTransport, string> = {
  'long-poll': 'long polling',
  sse: 'Server-Sent Events',
  websocket: 'WebSocket'
}

/** "subject CPU 41.2 µs · 312 B in, 96 B out · 10,000 requests", what one transport cost per delivered message */
function costText(t: PushTransportSummary): string {
  const parts = [`${t.delivered} delivered`]
  if (t.cpuPerDeliveryUs !== null) parts.push(`subject CPU ${t.cpuPerDeliveryUs.toFixed(1)} µs`)
  if (t.bytesInPerDelivery !== null)
    parts.push(`${Math.round(t.bytesInPerDelivery)} B in, ${Math.round(t.bytesOutPerDelivery ?? 0)} B out`)
  if (t.requests !== null) parts.push(`${t.requests} requests`)
  if (t.slowConsumersCut) parts.push(`${t.slowConsumersCut} cut as slow consumers`)
  if (t.refused) parts.push(`${t.refused} refused`)
  return parts.join(' · ')
}

export function formatProgress(frame: Frame): string {
  const p99 = frame.latencyMs ? `${ms(frame.latencyMs.p99)} ms` : '—'
  const lp = frame.push
    ? ` · ${frame.push.subscribers} on ${frame.push.transport}${frame.push.held > 0 ? ` · held ${frame.push.held}` : ''}`
    : ''
  const pool = frame.libuvPool
  const read = pool?.fileReadMs == null ? '' : `, file read ${ms(pool.fileReadMs)} ms`
  const uv = pool ? ` · libuv pool ${pool.busy}/${pool.size} busy, ${pool.waiting} waiting${read}` : ''
  const door = frame.hold
  const hold = door
    ? `${door.held ? ` · HELD ${door.waiting} at the door` : ''}${door.restarting ? ' · app restarting' : ''}`
    : ''
  // the host's figure (sampler/spread.ts): said only while the spread over the processes costs throughput
  const sp = frame.spread
  const spread =
    sp && frame.processes
      ? ` · uneven spread ${frame.processes.map((r) => r.active).join('/')}: ${sp.served} served at once, an even spread ${sp.even}`
      : ''
  return (
    `${(frame.t / 1000).toFixed(1).padStart(6)} s · done ${frame.completed} · in flight ${frame.inFlight} ` +
    `(queued ${frame.queued}) · ${rateText(frame)} · p99 ${p99} · stall ${frame.stallMs} ms${uv}${lp}${hold}${spread}${upstreamProgress(frame)}` +
    (frame.stalled && frame.blockedStack ? ` · blocked ${stackLabel(frame.blockedStack)}` : '')
  )
}

/** "49.80 req/s over 5 s", "… since the change (2.4 s)", or "settling" while a change is too fresh to say. */
export function rateText(frame: Frame): string {
  const w = frame.window
  if (frame.rps === null || w.state === 'settling') return 'req/s settling'
  const over =
    w.state === 'full' ? `over ${w.windowMs / 1000} s` : `since the change (${(w.spanMs / 1000).toFixed(1)} s)`
  return `${f2(frame.rps)} req/s ${over}`
}

/**
 * The summary as the CLI's JSON prints it: the Lab's, plus a copy of `push` under its old name `longPoll`, so a
 * script written before transports had names keeps reading its figures. Deprecated (README: "JSON output"): the
 * copy goes in the next version.
 */
export function summaryJson(summary: Summary): Summary & { longPoll: Summary['push'] } {
  return { ...summary, longPoll: summary.push }
}
