/**
 * The bound Little's law predicts for the current settings (throughput = servers / service time), drawn beside the
 * measured value. `null` where the model says nothing useful (no delay, or the hello-world route). Work "upstream"
 * counts the backend's delay (not its jitter): evented, min(c, upstreamConnections) / delay; blocking, 1 / delay;
 * on N threads, min(c, N) / delay — each call holds a connection, the loop or a thread for the backend's answer.
 * Several processes (p): blocking work on the loop gives min(c, p) / delay, computation min(c, p, cores) / delay,
 * threads min(c, p × threads) / delay, an evented call to the backend min(c, p × upstreamConnections) / delay (one
 * backend; each process has a pool of connections of its own) — as long as the connections are spread evenly
 * (round-robin spreads them by count; a worker with fewer keep-alive connections than it could serve leaves part
 * of its share idle).
 */
import { loadConnections, type Settings } from './settings'

/**
 * How many requests one process serves at once with these settings, whatever the crowd: its libuv pool, its threads,
 * its one loop for blocking work and computation, its pool of connections to the backend. null where a process has
 * no such limit (evented work on the loop serves every request it holds): then how the connections are spread over
 * the processes changes nothing.
 */
export function perProcessServers(s: Settings): number | null {
  // hello world has no work to hold anything
  if (s.route === 'hello') return null
  // libuv's pool: as many at once as it has threads (blocking: the same task synchronously on the loop, one at a time)
  if (s.work === 'libuv') return s.blocking ? 1 : s.uvThreadpoolSize
  if (s.threads > 0) return s.threads
  // On the loop: blocking work, or computation, occupies the one thread each loop has.
  if (s.blocking || s.work === 'cpu') return 1
  // An evented call to the backend holds one connection of its process's pool for its whole answer.
  if (s.work === 'upstream') return s.upstreamConnections
  return null
}

/** How many requests can be "in service" at once for these settings. */
export function servers(s: Settings, cpuCount = 2): number {
  const c = loadConnections(s)
  const per = perProcessServers(s)
  if (per === null) return c
  // Several processes: each has its own loop, threads and pools; connections are spread over them (round-robin).
  return coreCap(s, Math.min(c, s.processes * per), cpuCount)
}

/** Computation needs a core as well, on the loop or on a thread: at most as many at once as the machine has cores. */
export function coreCap(s: Settings, inService: number, cpuCount = 2): number {
  return s.work === 'cpu' ? Math.min(inService, cpuCount) : inService
}

/**
 * The fields the bound reads: a change of any other (a timeout, the subscribers, a hold) leaves the theory as it
 * was, so a run that changed only those is still judged against one bound.
 */
const BOUND_FIELDS: readonly (keyof Settings)[] = [
  'route',
  'delayMs',
  'blocking',
  'work',
  'threads',
  'upstreamConnections',
  'uvThreadpoolSize',
  'processes',
  'mode',
  'concurrency',
  'connections',
  'ratePerS'
]

/** A settings change moved the bound: the patch names a field it reads. */
export function changesBound(patch: Partial<Settings>): boolean {
  return BOUND_FIELDS.some((field) => field in patch)
}

/**
 * Little's law for the route in force: `inService` requests served at once, each for the delay, are this many a
 * second. null where the model says nothing (no delay, or the hello-world route). The one place the law is written.
 */
export function servedRps(inService: number, s: Settings): number | null {
  if (s.route === 'hello' || s.delayMs === 0) return null
  return (inService * 1000) / s.delayMs
}

export function theoryRps(s: Settings, cpuCount = 2): number | null {
  const capacity = servedRps(servers(s, cpuCount), s)
  if (capacity === null) return null
  return s.mode === 'open' ? Math.min(s.ratePerS, capacity) : capacity
}

/** Words for the model in force, for tooltips and reports. */
export function theoryFormula(s: Settings): string {
  if (s.route === 'hello' || s.delayMs === 0) return 'no bound: there is no delay to divide by'
  const d = `${s.delayMs} ms`
  const c = s.mode === 'closed' ? `c = ${s.concurrency}` : `connections = ${s.connections}`
  let bound: string
  if (s.work === 'libuv' && !s.blocking && s.processes > 1)
    bound = `min(${c}, processes × libuv pool = ${s.processes} × ${s.uvThreadpoolSize}) / ${d}`
  else if (s.work === 'libuv' && !s.blocking) bound = `min(${c}, libuv pool = ${s.uvThreadpoolSize}) / ${d}`
  else if (s.threads > 0 && s.processes > 1)
    bound = `min(${c}, processes × threads = ${s.processes} × ${s.threads}${s.work === 'cpu' ? ', cores' : ''}) / ${d}`
  else if (s.threads > 0) bound = `min(${c}, threads = ${s.threads}${s.work === 'cpu' ? ', cores' : ''}) / ${d}`
  else if ((s.blocking || s.work === 'cpu') && s.processes > 1)
    bound = `min(${c}, processes = ${s.processes}${s.work === 'cpu' ? ', cores' : ''}) / ${d} (each process's loop does one request's work at a time)`
  else if (s.blocking || s.work === 'cpu') bound = `1 / ${d} (the loop does one request's work at a time)`
  else if (s.work === 'upstream' && s.processes > 1)
    bound = `min(${c}, processes × backend connections = ${s.processes} × ${s.upstreamConnections}) / ${d}`
  else if (s.work === 'upstream') bound = `min(${c}, backend connections = ${s.upstreamConnections}) / ${d}`
  else bound = `${c} / ${d}`
  return s.mode === 'open' ? `min(rate = ${s.ratePerS}/s, ${bound})` : bound
}
