/**
 * What the host sees of the subject's event loop: a heartbeat every 10 ms (the host measures a stall as the time since
 * the last one, so a blocked loop shows while it is blocked) and a report every 100 ms. Two timers and one histogram
 * for the whole process: nothing here runs per request.
 *
 * Loop delay: monitorEventLoopDelay records the whole interval between its timer's firings, resolution included (an
 * idle loop reads ~10 ms). We subtract the resolution so an idle loop reads ~0 and a 2-s block reads ~2000 ms.
 *
 * It can miss a block, though: when the report's timer runs before the monitor's after a block, the report's
 * histogram.reset() also drops the monitor's pending interval, and the late sample is never recorded (seen on the
 * 2-core machine under load: a 150-ms block reported as 0.5 ms of delay beside 78% utilization). So the heartbeat's
 * own lateness — how far past its 10 ms each firing came — is a second sample of the same thing, kept by us until
 * the next report. A report spans ~10 such intervals, so its p99 is its largest: both p99 and max are at least it.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import {
  HEARTBEAT_INTERVAL_MS,
  REPORT_INTERVAL_MS,
  type SubjectReport,
  type SubjectTimelineReport,
  type SubjectUpstreamReport,
  type SubjectToHost,
  type UvMetrics
} from '../protocol'
import type { BeatCell } from './beat-cell.js'

export const LOOP_DELAY_RESOLUTION_MS = 10

export type SubjectCounters = Pick<SubjectReport, 'active' | 'held' | 'published' | 'longPoll' | 'libuvPool'>

export interface Instrument {
  stop(): void
}

const NS_PER_MS = 1e6

export function startInstrument(opts: {
  send: (message: SubjectToHost) => void
  read: () => SubjectCounters
  /** each request's timeline (timeline.ts): taken once per report */
  timeline?: { take(): SubjectTimelineReport }
  /** work "upstream": the backend's figures since the last report (taken once per report; undefined: none started) */
  upstream?: () => SubjectUpstreamReport | undefined
  /** where each heartbeat's time goes for the stall watch; none: no stack view */
  beat?: BeatCell
}): Instrument {
  const { send, read, timeline, upstream, beat } = opts
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS })
  histogram.enable()
  let elu = performance.eventLoopUtilization()

  const delayMs = (ns: number): number => Math.max(ns / NS_PER_MS - LOOP_DELAY_RESOLUTION_MS, 0)

  const report = (): void => {
    const now = performance.eventLoopUtilization()
    const utilization = performance.eventLoopUtilization(now, elu).utilization
    elu = now
    const sampled = histogram.count > 0
    const late = heartbeatLateMs
    heartbeatLateMs = 0
    const loopDelay = {
      p50Ms: sampled ? delayMs(histogram.percentile(50)) : 0,
      p99Ms: Math.max(sampled ? delayMs(histogram.percentile(99)) : 0, late),
      maxMs: Math.max(sampled ? delayMs(histogram.max) : 0, late)
    }
    histogram.reset()
    send({
      type: 'report',
      ...read(),
      loopDelay,
      utilization: Number.isFinite(utilization) ? utilization : 0,
      rssBytes: process.memoryUsage.rss(),
      ...(timeline && { timeline: timeline.take() }),
      ...upstreamPart(upstream),
      ...uvMetrics()
    })
  }

  // unref'd: the instrument watches the process, it must never be what keeps it alive.
  let lastBeatAt = performance.now()
  let heartbeatLateMs = 0
  const heartbeat = setInterval(() => {
    const now = performance.now()
    heartbeatLateMs = Math.max(heartbeatLateMs, now - lastBeatAt - HEARTBEAT_INTERVAL_MS)
    lastBeatAt = now
    beat?.beat()
    send({ type: 'hb', active: read().active })
  }, HEARTBEAT_INTERVAL_MS).unref()
  const reporter = setInterval(report, REPORT_INTERVAL_MS).unref()
  beat?.beat()

  return {
    stop() {
      clearInterval(heartbeat)
      clearInterval(reporter)
      histogram.disable()
    }
  }
}

function upstreamPart(take: (() => SubjectUpstreamReport | undefined) | undefined): {
  upstream?: SubjectUpstreamReport
} {
  const upstream = take?.()
  return upstream ? { upstream } : {}
}

/** libuv's counters, cumulative since the process started; {} where this Node has none (before 20.18). */
function uvMetrics(): { uv?: UvMetrics } {
  const info = (performance.nodeTiming as { uvMetricsInfo?: UvMetrics }).uvMetricsInfo
  return info ? { uv: { loopCount: info.loopCount, events: info.events, eventsWaiting: info.eventsWaiting } } : {}
}
