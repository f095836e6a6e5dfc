/** A run's settings in words: the CLI report's first line, and the name of a saved run that was given none. */
import type { EndReason, Mark } from './frame'
import type { Settings } from './settings'

/** "GET /work — wait 2000 ms, evented", "GET / (hello world)". */
export function describeSubject(s: Settings): string {
  if (s.route === 'hello') return 'GET / (hello world)'
  const model = s.threads > 0 ? `a pool of ${s.threads} threads` : s.blocking ? 'blocking the loop' : 'evented'
  if (s.work === 'upstream' && model === 'evented')
    return `GET /work — upstream ${s.delayMs} ms, evented over ${s.upstreamConnections} connections${eachProcess(s)}`
  const pool = s.work === 'libuv' && !s.blocking ? ` on libuv's pool of ${s.uvThreadpoolSize}${eachProcess(s)}` : ''
  return `GET /work — ${s.work} ${s.delayMs} ms, ${model}${pool}`
}

/** " in each of 2 processes" where a pool is one per process, or '' with one process */
export function eachProcess(s: Settings): string {
  return s.processes > 1 ? ` in each of ${s.processes} processes` : ''
}

/** "wait 2000 ms, evented · c 100 · 1000 requests", "hello world · open loop 60/s · 30 s · 1000 subscribers". */
export function describeSettings(s: Settings): string {
  const parts: string[] = []
  if (s.route === 'hello') parts.push('hello world')
  else if (s.work === 'libuv' && !s.blocking) parts.push(`libuv ${s.delayMs} ms, ${s.uvThreadpoolSize} pool threads`)
  else
    parts.push(
      `${s.work} ${s.delayMs} ms, ${s.threads > 0 ? `${s.threads} threads` : s.blocking ? 'blocking' : 'evented'}`
    )
  parts.push(s.mode === 'closed' ? `c ${s.concurrency}` : `open loop ${s.ratePerS}/s`)
  parts.push(s.requests !== null ? `${s.requests} requests` : `${s.durationS} s`)
  if (s.subscribers > 0) parts.push(`${s.subscribers} subscribers`)
  return parts.join(' · ')
}

/** How a run ended, in words: "Ended by its request budget". */
export const END_REASON_WORDS: Record<EndReason, string> = {
  requests: 'its request budget (every request answered)',
  duration: 'its duration',
  stopped: 'Stop',
  error: 'an error (the subject or the crowd failed)'
}

/**
 * The broadcast log in words, after "Message log" (the dashboard's note, the CLI report's row): where it is kept,
 * what it started with and, on Redis, whether it is reachable now and how often it went away. "on Redis: 40 messages
 * kept from earlier runs (this run's ids go on from 41)", "in memory: started empty (a restart of the server loses
 * it)". `logStartId` is absent in a run saved before it; `redis.up` is absent in a summary (the run is over).
 */
export function messageLogWords(
  store: Settings['store'],
  logStartId: number | undefined,
  redis?: { up?: boolean; lost: number }
): string {
  const kept =
    logStartId === undefined
      ? null
      : logStartId === 0
        ? 'started empty'
        : `${logStartId.toLocaleString('en-US')} ${logStartId === 1 ? 'message' : 'messages'} kept from earlier runs ` +
          `(this run's ids go on from ${(logStartId + 1).toLocaleString('en-US')})`
  if (store === 'memory')
    return `in memory: ${kept ?? 'lost at a restart'}${kept ? ' (a restart of the server loses it)' : ''}`
  const lost = redis && redis.lost > 0 ? `; went away ${redis.lost}× during the run` : ''
  if (redis?.up === false)
    return `on Redis: unreachable — publishes are refused and held long polls answered [] until it is back${lost}`
  return `on Redis: ${kept ?? 'kept across restarts'}${lost}`
}

/** The crowd's own loop at least this busy (0..1): it cannot send much faster, and says so. */
export const CROWD_LIMIT_BUSY = 0.9

/**
 * The crowd's own loop in words, when it is the limit: "The crowd's own loop is 97% busy: it cannot send faster, so
 * this throughput is the crowd's limit, not the server's." null below CROWD_LIMIT_BUSY, or unmeasured.
 */
export function crowdLimitWords(busy: number | undefined, over: 'live' | 'run'): string | null {
  if (busy === undefined || busy < CROWD_LIMIT_BUSY) return null
  const pct = `${Math.round(busy * 100)}%`
  return over === 'live'
    ? `The crowd's own loop is ${pct} busy: it cannot send faster, so this throughput is the crowd's limit, not the server's.`
    : `The crowd's own loop was ${pct} busy over the run: the throughput was the crowd's limit, not the server's.`
}

/**
 * The app's processes a run went through (a restart behind the front door brings another): "processes 2688 → 2728";
 * with several, the cluster's primary stands for them: "primaries 2688 → 2728, each with 2 worker processes".
 */
export function appPidsWords(appPids: readonly number[], s: Settings): string {
  const pids = appPids.join(' → ')
  if (s.processes === 1) return `processes ${pids}`
  return appPids.length === 1
    ? `primary ${pids}, with ${s.processes} worker processes`
    : `primaries ${pids}, each with ${s.processes} worker processes`
}

/** A settings change or a note in a line of them: "3.0 s blocking on" (the CLI's report lines them up in columns). */
export function markWords(m: Mark): string {
  return `${(m.t / 1000).toFixed(1)} s ${m.label}`
}
