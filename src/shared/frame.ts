/** What the sampler emits ten times a second, and once at the end of a run. Units are in the names. */
import type { BlockedStack, BlockedStackTotal } from './blocked-stack'
import type { Settings, SettingsPatch } from './settings'
import type { TimelineDelta } from './timeline'

export const FRAME_INTERVAL_MS = 100
/**
 * A loop that has not sent a heartbeat for longer than this is stalled: busy with something, at least one request
 * active. The one threshold the sampler, the tiles and the charts share.
 */
export const STALL_THRESHOLD_MS = 50
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

/**
 * The span a frame's rates and latency figures cover. A closed loop with a long delay answers in waves, so a fixed
 * 1-s window reads 0 and twice the truth by turns; the window is fitted to the workload instead (3 round
 * trips, 3 to 10 s), weighted so a wave entering or leaving it moves the figure little, and starts again at each
 * settings change.
 */
export interface RateWindow {
  /** the window fitted to the workload, ms */
  windowMs: number
  /** what this frame's figures cover, ms: the window, or less since the last change (or the start) */
  spanMs: number
  /**
   * 'full': over the last windowMs; 'since-change': over spanMs since the last change or the start, not yet a whole
   * window; 'settling': too soon after the change to say (fewer than two round trips of the new settings): the rates
   * are null, so a wave that has not come yet never reads as 0 nor a wave that just came as twice the truth.
   */
  state: 'full' | 'since-change' | 'settling'
}

export interface LongPollFrame {
  /** subscriber loops the crowd is running */
  subscribers: number
  /** requests the subject is holding open at /wait */
  held: number
  /** over the frame's rate window; null while it settles */
  deliveriesPerS: number | null
  /** publish → received, over the frame's rate window; null when nothing was delivered */
  deliveryMs: LatencyStats | null
  timeoutsPerS: number | null
  published: number
  /**
   * the subject's memory per held connection: its JS heap per open connection after a forced GC + Node's native
   * state per connection (see subject/memory-probe.ts); garbage does not count. It moves in steps (the subject
   * measures once the connection count settles); null until it has, or with no subscriber and nothing held
   */
  bytesPerHeld: number | null
  /** set when the open-file limit stops the requested count: what is possible and why */
  limitNote: string | null
}

export interface Frame {
  /** ms since the run started */
  t: number
  /** in flight = active + queued, all three taken at one instant (see the requests sampler) */
  inFlight: number
  active: number
  queued: number
  /** what rps, errorsPerS, latencyMs and the long-poll rates cover */
  window: RateWindow
  /** completions a second over the window; null while it settles */
  rps: number | null
  errorsPerS: number | null
  /** over the window; null when nothing completed in it */
  latencyMs: LatencyStats | null
  loopDelayP99Ms: number
  /** 0..1 */
  loopUtilization: number
  /** time since the subject's last heartbeat, read in the host: grows while the loop is blocked */
  stallMs: number
  /** stallMs > STALL_THRESHOLD_MS: the loop is blocked right now */
  stalled: boolean
  /** while stalled: the stack the loop is stuck in, once the subject has captured it (shared/blocked-stack.ts) */
  blockedStack: BlockedStack | null
  /** libuv loop iterations a second over the last second; 0 while stalled; null when the subject cannot count */
  loopTurnsPerS: number | null
  /** events the loop handled per turn over the last second; null while stalled or when nothing turned */
  eventsPerTurn: number | null
  theoryRps: number | null
  rssBytes: number
  /** cumulative over the run */
  completed: number
  errors: number
  /** the run's maxima so far, the same figures the summary ends with */
  maxInFlight: number
  maxQueued: number
  maxStallMs: number
  marks: Mark[]
  longPoll: LongPollFrame | null
  /**
   * each request's timeline: the bars new since the previous frame (the renderer keeps the last few seconds);
   * null or absent when the subject records none
   */
  timeline?: TimelineDelta | null
}

export type EndReason = 'requests' | 'duration' | 'stopped' | 'error'

/**
 * The long-poll part of a summary, with its books: delivered + undelivered = owed, and undelivered = missed +
 * inFlight. A subscriber is owed every message from the one that was next when it first asked (its first poll is
 * `/wait?since=that id`) to the last one published — or, if it was removed during the run, to the last it had. So
 * with every subscriber held before the first publish, owed = published × subscribers.
 */
export interface LongPollSummary {
  subscribers: number
  held: number
  /** the highest message id published (the subject's count, or a later one the crowd had already seen) */
  published: number
  delivered: number
  /** deliveries owed over the run (see above) */
  owed: number
  /** owed − delivered */
  undelivered: number
  /** of the undelivered: gone from the log (logSize) before the subscriber asked for them (x-loopscope-missed) */
  missed: number
  /** of the undelivered: published, not yet received when the run ended (after the drain) */
  inFlight: number
  /** how long the end of the run waited for deliveries of messages already published; null when it did not */
  drainMs: number | null
  deliveryP50Ms: number | null
  deliveryP99Ms: number | null
  timeouts: number
  /** the subject's memory per held connection, after a GC (see the long-poll sampler); null when never measured */
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
  /** the stacks that held the loop longest, most stalled time first (at most TOP_STACKS); [] when none stalled */
  blockedStacks: BlockedStackTotal[]
}

export function emptyErrorCounts(): ErrorCounts {
  return { refused: 0, reset: 0, timeout: 0, non2xx: 0, other: 0 }
}
