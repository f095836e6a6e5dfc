/**
 * Messages between the host (the Lab, on the main thread) and its two workers: the subject (a child process) and
 * the crowd (a worker thread). Per-tick aggregates only: nothing crosses a boundary per request.
 */
import type { ErrorInfo } from '../../shared/errors'
import type { ErrorCounts, Unanswered } from '../../shared/frame'
import type { Settings, SubjectSettings } from '../../shared/settings'

export const HEARTBEAT_INTERVAL_MS = 10
export const REPORT_INTERVAL_MS = 100

// ── host ⇄ subject ────────────────────────────────────────────────────────────────────────────────────────────
export type HostToSubject =
  | { type: 'settings'; settings: SubjectSettings }
  | { type: 'stop' }

export interface SubjectReport {
  type: 'report'
  /** requests being handled (work running, or held at /wait), not waiting in the thread pool's queue */
  active: number
  /** requests waiting for a thread of the pool */
  poolQueued: number
  /** requests held at /wait */
  held: number
  /** messages published so far */
  published: number
  /** monitorEventLoopDelay over the last report interval, ms */
  loopDelay: { p50Ms: number; p99Ms: number; maxMs: number }
  /** eventLoopUtilization over the last report interval, 0..1 */
  utilization: number
  rssBytes: number
  heapUsedBytes: number
}

export type SubjectToHost =
  | { type: 'listening'; port: number; pid: number }
  /** every 10 ms: the loop is alive, and how many requests it is serving right now (the report is 100 ms apart) */
  | { type: 'hb'; active: number }
  | SubjectReport
  | { type: 'error'; error: ErrorInfo }

/** How the subject process is started: child_process.fork in plain Node, utilityProcess in Electron. */
export interface SubjectProcess {
  send(message: HostToSubject): void
  onMessage(listener: (message: SubjectToHost) => void): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export interface SubjectLaunch {
  /** 0 = a port chosen by the OS */
  port: number
  settings: SubjectSettings
  /** false turns off heartbeat, loop monitoring and reports: the baseline for the sampler's cost */
  instrument: boolean
  /** listen on every interface instead of 127.0.0.1 only (the user shared the subject on the network) */
  share?: boolean
}

export type SpawnSubject = (launch: SubjectLaunch) => SubjectProcess

// ── host ⇄ crowd ──────────────────────────────────────────────────────────────────────────────────────────────
export interface CrowdStart {
  type: 'start'
  /** e.g. http://127.0.0.1:43210 */
  origin: string
  settings: Settings
  /** Int32Array gauges the crowd keeps current for the host, read at each frame: [in flight] */
  gauges: SharedArrayBuffer
}

export type HostToCrowd =
  | CrowdStart
  | { type: 'update'; settings: Settings }
  | { type: 'broadcast'; text: string }
  | { type: 'stop' }

export interface CrowdTick {
  type: 'tick'
  /** performance.timeOrigin + performance.now() of the tick, ms */
  at: number
  /** deltas since the previous tick */
  sent: number
  completed: number
  errors: ErrorCounts
  /** latency of this tick's completions, microseconds, hdr-histogram-js compressed base64; '' when none */
  latencyHistogram: string
  /** the exact extremes of this tick's latencies, ms (the histogram keeps 3 significant digits); null when none */
  latencyMinMs: number | null
  latencyMaxMs: number | null
  /** gauges */
  inFlight: number
  /** long-poll subscribers: null while none run and none have */
  longPoll: {
    subscribers: number
    delivered: number
    timeouts: number
    /** publish → received, microseconds, compressed base64; '' when none */
    deliveryHistogram: string
    /** why fewer subscribers than asked run, if so */
    limitNote: string | null
  } | null
}

/** The crowd's own account of a run's end: epoch ms, and what it left unanswered. */
export interface CrowdTiming {
  at: number
  firstSendAt: number | null
  lastCompleteAt: number | null
  unanswered: Unanswered
}

export type CrowdToHost =
  | { type: 'started'; at: number }
  | CrowdTick
  | ({ type: 'done'; reason: 'requests' | 'duration' | 'stopped' } & CrowdTiming)
  | { type: 'error'; error: ErrorInfo }
