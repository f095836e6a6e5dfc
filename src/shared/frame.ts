/** What the sampler emits ten times a second, and once at the end of a run. Units are in the names. */
import type { Settings, SettingsPatch } from './settings'

export const FRAME_INTERVAL_MS = 100
export const ERROR_KINDS = ['refused', 'reset', 'timeout', 'non2xx', 'other'] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]
export type ErrorCounts = Record<ErrorKind, number>

export interface LatencyStats {
  p50: number
  p90: number
  p99: number
  max: number
}

/** A settings change, drawn as a labelled vertical marker on every chart. */
export interface Mark {
  /** ms since the run started */
  t: number
  label: string
  patch: SettingsPatch
}

export interface LongPollFrame {
  /** subscriber loops the crowd is running */
  subscribers: number
  /** requests the subject is holding open at /wait */
  held: number
  deliveriesPerS: number
  /** publish → received, over the last second; null when nothing was delivered */
  deliveryMs: LatencyStats | null
  timeoutsPerS: number
  published: number
  /** (subject RSS − RSS with nothing held) / held; null when nothing is held */
  bytesPerHeld: number | null
  /** set when the open-file limit stops the requested count: what is possible and why */
  limitNote: string | null
}

export interface Frame {
  /** ms since the run started */
  t: number
  inFlight: number
  active: number
  queued: number
  /** completions a second, over the last second */
  rps: number
  errorsPerS: number
  /** over the last second; null when nothing completed in it */
  latencyMs: LatencyStats | null
  loopDelayP99Ms: number
  /** 0..1 */
  loopUtilization: number
  /** time since the subject's last heartbeat, read in the host: grows while the loop is blocked */
  stallMs: number
  theoryRps: number | null
  rssBytes: number
  /** cumulative over the run */
  completed: number
  errors: number
  marks: Mark[]
  longPoll: LongPollFrame | null
}

export type EndReason = 'requests' | 'duration' | 'stopped' | 'error'

export interface LongPollSummary {
  subscribers: number
  held: number
  published: number
  delivered: number
  deliveryP50Ms: number | null
  deliveryP99Ms: number | null
  timeouts: number
  bytesPerHeld: number | null
}

/**
 * Requests the run ended without an answer: sent and still on the wire, or (open loop) due and still waiting for a
 * connection. Their waits are not in the latency figures (they never finished), so a run ended by time or by Stop
 * says how many there were and how long the oldest had waited by then.
 */
export interface Unanswered {
  count: number
  /** ms the oldest had waited when the run ended; null when there were none */
  oldestWaitMs: number | null
}

export interface Summary {
  settings: Settings
  reason: EndReason
  completed: number
  errors: number
  errorsByKind: ErrorCounts
  durationMs: number
  rps: number
  theoryRps: number | null
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number } | null
  /** latency at these percentiles, for the ab-style table */
  percentilesMs: { percentile: number; ms: number }[]
  loop: { delayP99Ms: number; maxStallMs: number; utilization: number }
  maxInFlight: number
  maxQueued: number
  /** null when the crowd could not say: it failed, the subject died, or it did not answer a Stop in time */
  unanswered: Unanswered | null
  marks: Mark[]
  longPoll: LongPollSummary | null
}

export function emptyErrorCounts(): ErrorCounts {
  return { refused: 0, reset: 0, timeout: 0, non2xx: 0, other: 0 }
}
