/**
 * What the host sees of the subject's event loop: a heartbeat every 10 ms (the host measures a stall as the time since
 * the last one, so a blocked loop shows while it is blocked) and a report every 100 ms. Two timers and one histogram
 * for the whole process: nothing here runs per request.
 *
 * Loop delay: monitorEventLoopDelay records the whole interval between its timer's firings, resolution included (an
 * idle loop reads ~10 ms). We subtract the resolution so an idle loop reads ~0 and a 2-s block reads ~2000 ms.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { HEARTBEAT_INTERVAL_MS, REPORT_INTERVAL_MS, type SubjectReport, type SubjectToHost } from '../protocol'

export const LOOP_DELAY_RESOLUTION_MS = 10

export type SubjectCounters = Pick<SubjectReport, 'active' | 'poolQueued' | 'held' | 'published'>

export interface Instrument {
  stop(): void
}

const NS_PER_MS = 1e6

export function startInstrument(opts: {
  send: (message: SubjectToHost) => void
  read: () => SubjectCounters
}): Instrument {
  const { send, read } = opts
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS })
  histogram.enable()
  let elu = performance.eventLoopUtilization()

  const delayMs = (ns: number): number => Math.max(ns / NS_PER_MS - LOOP_DELAY_RESOLUTION_MS, 0)

  const report = (): void => {
    const now = performance.eventLoopUtilization()
    const utilization = performance.eventLoopUtilization(now, elu).utilization
    elu = now
    const sampled = histogram.count > 0
    const loopDelay = {
      p50Ms: sampled ? delayMs(histogram.percentile(50)) : 0,
      p99Ms: sampled ? delayMs(histogram.percentile(99)) : 0,
      maxMs: sampled ? delayMs(histogram.max) : 0
    }
    histogram.reset()
    const memory = process.memoryUsage()
    send({
      type: 'report',
      ...read(),
      loopDelay,
      utilization: Number.isFinite(utilization) ? utilization : 0,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed
    })
  }

  // unref'd: the instrument watches the process, it must never be what keeps it alive.
  const heartbeat = setInterval(() => send({ type: 'hb', active: read().active }), HEARTBEAT_INTERVAL_MS).unref()
  const reporter = setInterval(report, REPORT_INTERVAL_MS).unref()

  return {
    stop() {
      clearInterval(heartbeat)
      clearInterval(reporter)
      histogram.disable()
    }
  }
}
