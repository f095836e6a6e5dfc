/** A subject's report as the sampler takes it, for one worker of several: only what a test sets differs. */
import type { SubjectReport } from '../../src/main/lab/protocol'

export function workerReport(
  worker: number,
  opts: { utilization?: number; p99Ms?: number; loopCount?: number; events?: number } = {}
): SubjectReport {
  const p99Ms = opts.p99Ms ?? 2
  return {
    type: 'report',
    worker,
    active: 0,
    held: 0,
    published: 0,
    loopDelay: { p50Ms: 1, p99Ms, maxMs: p99Ms },
    utilization: opts.utilization ?? 0.1,
    rssBytes: 50e6,
    ...(opts.loopCount === undefined
      ? {}
      : { uv: { loopCount: opts.loopCount, events: opts.events ?? 0, eventsWaiting: 0 } })
  }
}
