/**
 * What the KPI tiles say, in words and numbers: from the last frame while a run is on, from the run's summary once it
 * has ended (labelled as the whole run's figures), and nothing but the theory for the settings when there is neither.
 * Pure: no React, no DOM, so every state a demo passes through is unit-tested.
 *
 * Every figure is the host's: the rate window and its state, the stall verdict, the run's maxima, the theory. The
 * renderer only chooses which of them is on screen and says what each covers — so a tile never shows a frozen live
 * figure ("BLOCKED 25.8 s", "100 in flight") after the run that measured it has gone.
 */
import { stackLabel } from '../../../shared/blocked-stack'
import {
  STALL_THRESHOLD_MS,
  type EndReason,
  type Frame,
  type PushSummary,
  type RateWindow,
  type Summary
} from '../../../shared/frame'
import { formatBytes, formatCount, formatMs } from '../scales'
import type { PushTransport } from '../../../shared/wire'
import { blockedProcessesText } from './process-rows'
import { endedUpstreamTile, liveUpstreamTile, type UpstreamTile } from './upstream-tile'

/** 'live': a run is on and has sent a frame; 'ended': its summary is in; 'idle': neither (before a run, or cleared) */
export type TilesMode = 'live' | 'ended' | 'idle'

export const END_REASON: Record<EndReason, string> = {
  requests: 'all requests completed',
  duration: 'the duration ran out',
  stopped: 'stopped by you',
  error: 'ended by an error'
}

export interface TilesInput {
  running: boolean
  last: Frame | null
  /** the summary of the run that ended last; cleared when a new run starts */
  summary: Summary | null
  /** the bound for the settings on screen, shown only while there is neither a frame nor a summary */
  settingsTheoryRps: number | null
}

export interface Tiles {
  mode: TilesMode
  /** a line above the tiles saying what they cover, when it is not the live window */
  caption: string | null
  rps: string
  theory: string
  /** what the throughput figure covers: "over the last 5 s", "since the change · 1.2 s", "settling…", "whole run · 20.1 s" */
  span: string
  /** what the latency figures cover: the same span, said as such even while the rate is held back (settling) */
  latencySpan: string
  rpsHelp: string
  /** under the throughput, while any request has failed: "354 failed · 120/s" (live), "354 failed" (ended); else null */
  failed: string | null
  p99: string
  p50: string
  latencyHelp: string
  inFlight: string
  /** below in flight: "active 1" (live), "unanswered at the end" (ended) */
  inFlightSub: string
  /** the active count alone, for the tests' sum (null when the tiles show none) */
  active: string | null
  inFlightHelp: string
  queued: string
  /** the run's largest queue so far, or over the whole run */
  maxQueued: string
  /** under the queue, with work "libuv": "pool 4/4 busy · 16 wait" (live), "pool of 4 · 16 waited at most" (ended) */
  libuvPool: string | null
  /** and below: how long an unrelated file read on that pool took, "file read 2.01 s" (ended: "at most") */
  libuvFileRead: string | null
  loopP99: string
  /** while stalled, once the subject has caught it: what the loop is stuck in ("in waitBlocking (pool-task.js:16) ← …") */
  blockedIn: string | null
  /** "BLOCKED 1.30 s" while stalled; otherwise the run's longest stall */
  stall: string
  stalled: boolean
  loopHelp: string
  /** the subscribers' memory tile, when there are subscribers: "8.2 KB", "5,000 on SSE" */
  bytesPerHeld: { value: string; held: string } | null
  /** the subscribers' cost tile: the subject's CPU per delivered message, and the bytes on the wire for it */
  pushCost: { value: string; sub: string; help: string } | null
  /** work "upstream": the backend's tile (upstream-tile.ts); null with no backend */
  upstream: UpstreamTile | null
}

/** a transport as a tile names it */
export const TRANSPORT_NAME: Record<PushTransport, string> = {
  'long-poll': 'long polling',
  sse: 'SSE',
  websocket: 'WebSocket'
}

/**
 * "5,000 on SSE", "5,000 on long polling": the connections the figure is per. Not long polling's held count: in a
 * fan-out most are between an answer and their re-poll, so it reads 0 while every connection still costs its memory
 * (the chart draws held)
 */
function connectionsText(transport: PushTransport, subscribers: number): string {
  return `${formatCount(subscribers)} on ${TRANSPORT_NAME[transport]}`
}

const formatUs = (us: number | null): string =>
  us === null ? '–' : us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us >= 100 ? Math.round(us) : us.toFixed(1)} µs`

/** "310 B in · 90 B out", and for long polling its re-polls: "· 10,000 req/s" */
function wireText(bytesIn: number | null, bytesOut: number | null, requests: string | null): string {
  const wire = bytesIn === null ? 'no delivery yet' : `${formatBytes(bytesIn)} in · ${formatBytes(bytesOut)} out`
  return requests === null ? wire : `${wire} · ${requests}`
}

const COST_HELP = `The subject's CPU time for each message delivered (its event-loop utilization × the time / the deliveries), and the bytes on the wire for it, both ways.`

const seconds = (ms: number): string => `${+(ms / 1000).toFixed(1)} s`

/** What a frame's rates cover, in a few words. */
export function windowPhrase(w: RateWindow, tMs: number): string {
  if (w.state === 'full') return `over the last ${seconds(w.windowMs)}`
  if (w.state === 'settling') return 'settling…'
  // the span starts at the run's start or after a change (once the old settings' answers are in)
  const since = tMs - w.spanMs < 500 ? 'the start' : 'the change'
  return `since ${since} · ${(w.spanMs / 1000).toFixed(1)} s`
}

/**
 * The one sentence that teaches the line, kept to one line so the plot keeps its height (a shorter one for a narrow
 * chart: a 1280-px screen with the settings shown), and the whole explanation, gap included, on hover.
 */
export function throughputNote(windowMs: number | null): { long: string; short: string; help: string } {
  const last = windowMs === null ? null : `the last ${+(windowMs / 1000).toFixed(1)} s`
  const over = last ?? 'a window fitted to the run'
  return {
    // "3 round trips" only where it is the rule: the window is 3 round trips kept within 3 to 10 s, so a short
    // delay's 3 s hold more of them and a long latency's 10 s fewer
    long: `Answers come in waves: averaged over ${last ? `${last}, a window fitted to the round trip` : 'a window fitted to the round trip'}.`,
    short: `Answers come in waves: averaged over ${last ?? 'a fitted window'}.`,
    help: `A closed loop answers in waves (all its users wait the same delay), so throughput is averaged over ${over}: 3 round trips of the delay, kept within 3 to 10 s. After a settings change it starts again, and the line has a gap while it settles: too soon to say, rather than a wrong figure.`
  }
}

/**
 * What a frame's latency covers. While the window settles the host holds the rates back (a wave not yet in would
 * read as 0) but still sends the latency of what was answered since the change: that is what it covers.
 */
export function latencyPhrase(w: RateWindow, tMs: number): string {
  if (w.state === 'settling' && w.spanMs > 0) return windowPhrase({ ...w, state: 'since-change' }, tMs)
  return windowPhrase(w, tMs)
}

const RPS_HELP_LIVE =
  "Responses completed per second. A closed loop answers in waves, so this is averaged over a window fitted to the run — 3 round trips of the delay, 3 to 10 s — that starts again at each settings change; the line below says which. Beside it, the bound Little's law predicts."
const LATENCY_HELP_LIVE =
  '99% of the requests answered in the same window as throughput took at most this long; p50 below.'
const IN_FLIGHT_HELP_LIVE =
  'Requests sent and not yet answered: active (being served) + queued, counted at one instant.'
const LOOP_HELP_LIVE = `p99: how late the subject's event loop runs its callbacks. BLOCKED while it has not answered for over ${STALL_THRESHOLD_MS} ms, with the function it is stuck in once the subject has caught it; otherwise the run's longest stall so far.`

export function tileFigures({ running, last: f, summary: s, settingsTheoryRps }: TilesInput): Tiles {
  // a summary is cleared when a run starts, so one that is here belongs to the run the frames came from
  if (s) return endedTiles(s)
  if (running && f) return liveTiles(f)
  return {
    mode: 'idle',
    caption: null,
    rps: '–',
    theory: settingsTheoryRps === null ? 'none' : formatCount(settingsTheoryRps),
    span: running ? 'starting…' : 'no run',
    latencySpan: running ? 'starting…' : 'no run',
    rpsHelp:
      "Responses completed per second, once a run is on; beside it, the bound Little's law predicts for these settings.",
    failed: null,
    p99: '–',
    p50: '–',
    latencyHelp: '99% of the requests took at most this long, once a run is on.',
    inFlight: '–',
    inFlightSub: 'active –',
    active: null,
    inFlightHelp: 'Requests sent and not yet answered, once a run is on.',
    queued: '–',
    maxQueued: '–',
    libuvPool: null,
    libuvFileRead: null,
    loopP99: '–',
    stall: 'stall –',
    blockedIn: null,
    stalled: false,
    loopHelp: "How late the subject's event loop runs its callbacks, once a run is on.",
    bytesPerHeld: null,
    pushCost: null,
    upstream: null
  }
}

function liveTiles(f: Frame): Tiles {
  const lp = f.push
  // no app between the old process and the new one (the drain before it still has the old app, perhaps blocked)
  const restarting = f.hold ? (f.hold.appDown ?? f.hold.restarting) : false
  return {
    mode: 'live',
    caption: null,
    rps: formatCount(f.rps),
    theory: f.theoryRps === null ? 'none' : formatCount(f.theoryRps),
    span: windowPhrase(f.window, f.t),
    latencySpan: latencyPhrase(f.window, f.t),
    rpsHelp:
      f.window.state === 'settling'
        ? `${RPS_HELP_LIVE} Settling: too soon after the change to say — the new settings' first answers are still on their way.`
        : RPS_HELP_LIVE,
    failed:
      f.errors > 0 ? `${formatCount(f.errors)} failed${f.errorsPerS ? ` · ${formatCount(f.errorsPerS)}/s` : ''}` : null,
    p99: formatMs(f.latencyMs?.p99),
    p50: formatMs(f.latencyMs?.p50),
    latencyHelp: LATENCY_HELP_LIVE,
    inFlight: formatCount(f.inFlight),
    inFlightSub: `active ${formatCount(f.active)}`,
    active: formatCount(f.active),
    inFlightHelp: IN_FLIGHT_HELP_LIVE,
    queued: formatCount(f.queued),
    maxQueued: formatCount(f.maxQueued),
    libuvPool: f.libuvPool
      ? `pool ${f.libuvPool.busy}/${f.libuvPool.size} busy · ${formatCount(f.libuvPool.waiting)} wait`
      : null,
    libuvFileRead: f.libuvPool?.fileReadMs == null ? null : `file read ${formatMs(f.libuvPool.fileReadMs)}`,
    // no app between the old process and the new one: no loop to measure, not a loop with no delay
    loopP99: restarting ? '–' : formatMs(f.loopDelayP99Ms),
    stall: restarting
      ? 'app restarting'
      : f.stalled
        ? `BLOCKED ${formatMs(f.stallMs)}`
        : (blockedProcessesText(f.processes) ?? `longest stall ${formatMs(f.maxStallMs)}`),
    blockedIn: f.stalled && f.blockedStack ? stackLabel(f.blockedStack) : null,
    stalled: f.stalled,
    loopHelp: LOOP_HELP_LIVE,
    bytesPerHeld: lp
      ? { value: formatBytes(lp.bytesPerHeld), held: connectionsText(lp.transport, lp.subscribers) }
      : null,
    pushCost: lp
      ? {
          value: formatUs(lp.cpuPerDeliveryUs),
          sub: wireText(
            lp.bytesInPerDelivery,
            lp.bytesOutPerDelivery,
            lp.transport === 'long-poll' ? `${formatCount(lp.requestsPerS)} re-polls/s` : null
          ),
          help: `${COST_HELP} Over ${TRANSPORT_NAME[lp.transport]}${lp.transport === 'long-poll' ? ': every delivery is also a new request (a re-poll)' : ': one frame written to an open connection'}.`
        }
      : null,
    upstream: liveUpstreamTile(f)
  }
}

function endedTiles(s: Summary): Tiles {
  const u = s.unanswered
  return {
    mode: 'ended',
    caption: `Run ended — whole-run figures (${END_REASON[s.reason]}, ${seconds(s.durationMs)})`,
    rps: formatCount(s.rps),
    theory: s.theoryRps === null ? 'none' : formatCount(s.theoryRps),
    span: `whole run · ${seconds(s.durationMs)}`,
    latencySpan: `whole run · ${seconds(s.durationMs)}`,
    rpsHelp:
      "The run's throughput: requests completed / time taken (ab's mean); beside it, the bound Little's law predicts.",
    failed: s.errors > 0 ? `${formatCount(s.errors)} failed` : null,
    p99: formatMs(s.latencyMs?.p99),
    p50: formatMs(s.latencyMs?.p50),
    latencyHelp: "99% of all the run's answered requests took at most this long; p50 below.",
    inFlight: u ? formatCount(u.count) : '–',
    inFlightSub: 'unanswered at the end',
    active: null,
    inFlightHelp: u
      ? 'Requests the run ended without an answer: their waits are not in the latency figures.'
      : 'Requests the run ended without an answer: unknown (the crowd could not say).',
    queued: '–',
    maxQueued: formatCount(s.maxQueued),
    libuvPool: s.libuvPool
      ? `pool of ${s.libuvPool.size} · ${formatCount(s.libuvPool.maxWaiting)} waited at most`
      : null,
    libuvFileRead: s.libuvPool?.maxFileReadMs == null ? null : `file read ≤ ${formatMs(s.libuvPool.maxFileReadMs)}`,
    loopP99: formatMs(s.loop.delayP99Ms),
    stall: `longest stall ${formatMs(s.loop.maxStallMs)}`,
    blockedIn: null,
    stalled: false,
    loopHelp: "The loop delay p99 over the whole run (weighted by time), and the run's longest stall.",
    bytesPerHeld: s.push
      ? { value: formatBytes(s.push.bytesPerHeld), held: connectionsText(s.push.transport, s.push.subscribers) }
      : null,
    pushCost: s.push
      ? {
          value: formatUs(s.push.cpuPerDeliveryUs),
          sub: wireText(
            s.push.bytesInPerDelivery,
            s.push.bytesOutPerDelivery,
            s.push.requests === null ? null : `${formatCount(s.push.requests)} requests`
          ),
          help: `${COST_HELP} Over the whole run${s.push.byTransport ? `, all its transports (${s.push.byTransport.map((t) => TRANSPORT_NAME[t.transport]).join(', ')})` : ''}.`
        }
      : null,
    upstream: endedUpstreamTile(s)
  }
}

/**
 * The summary panel's lines on the subscribers: "5,000 over SSE; 480,000 delivered, p99 150 ms; 7.1 KB per
 * connection", and, for a run that changed transport, one line each: "long polling: 136,000 delivered · 26.1 µs CPU
 * · 380 B in, 55 B out · 137,756 requests".
 */
export function pushSummaryWords(p: PushSummary): { main: string; perTransport: string[] } {
  const held = p.held > 0 ? `, ${formatCount(p.held)} held at /wait at most` : ''
  const main =
    `${formatCount(p.subscribers)} over ${TRANSPORT_NAME[p.transport]}${held}; ${formatCount(p.delivered)} delivered, ` +
    `p99 ${formatMs(p.deliveryP99Ms)}; ${formatBytes(p.bytesPerHeld)} per connection` +
    (p.slowConsumersCut ? `; ${formatCount(p.slowConsumersCut)} cut by the subject as slow consumers` : '')
  const perTransport = (p.byTransport ?? []).map((t) => {
    const parts = [`${formatCount(t.delivered)} delivered`, `${formatUs(t.cpuPerDeliveryUs)} CPU`]
    if (t.bytesInPerDelivery !== null)
      parts.push(`${formatBytes(t.bytesInPerDelivery)} in, ${formatBytes(t.bytesOutPerDelivery)} out`)
    if (t.requests !== null) parts.push(`${formatCount(t.requests)} requests`)
    if (t.slowConsumersCut) parts.push(`${formatCount(t.slowConsumersCut)} cut as slow consumers`)
    return `${TRANSPORT_NAME[t.transport]}: ${parts.join(' · ')}`
  })
  return { main, perTransport }
}
