/** What the sampler emits ten times a second, and once at the end of a run. Units are in the names. */
import type { BlockedStack, BlockedStackTotal } from './blocked-stack'
import type { Settings, SettingsPatch } from './settings'
import type { TimelineDelta } from './timeline'
import type { PushTransport } from './wire'

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

/** One transport's figures over the frame's rate window. */
export interface PushTransportFrame {
  transport: PushTransport
  /** subscribers with an open connection on this transport */
  subscribers: number
  /** null while the window settles */
  deliveriesPerS: number | null
  /** publish → received; null when nothing was delivered */
  deliveryMs: LatencyStats | null
  /** long polling: empty answers ([] at the poll timeout) a second; 0 on the streams */
  timeoutsPerS: number | null
  /**
   * HTTP requests a second the subscribers sent: long polling's re-polls (one per answer per subscriber); on SSE and
   * WebSocket only (re)connections, 0 once they are open
   */
  requestsPerS: number | null
  /**
   * bytes on the wire per delivered message, as the crowd's raw sockets counted them (HTTP heads, chunk and frame
   * headers included; TCP/IP not): server → subscriber and subscriber → server. null with nothing delivered
   */
  bytesInPerDelivery: number | null
  bytesOutPerDelivery: number | null
}

/**
 * The subscribers' part of a frame: the transport the settings name, its figures, and those of any other still in
 * use (subscribers moving over after a change).
 */
export interface PushFrame extends PushTransportFrame {
  /** requests the subject is holding open at /wait (long polling) */
  held: number
  published: number
  /**
   * the subject's CPU time per delivered message, µs: its event-loop utilization × the time, over the window, / the
   * messages delivered in it (all transports; the subject's other work — the load, if any — counts too). null
   * with nothing delivered or while the window settles
   */
  cpuPerDeliveryUs: number | null
  /**
   * the subject's memory per connection: its JS heap per open connection after a forced GC + Node's native
   * state per connection (see subject/memory-probe.ts); garbage does not count. It moves in steps (the subject
   * measures once the connection count settles); null until it has, or with no subscriber and nothing held
   */
  bytesPerHeld: number | null
  /** set when the open-file limit stops the requested count: what is possible and why */
  limitNote: string | null
  /** the other transports with subscribers or deliveries in the window (after a transport change); usually [] */
  others: PushTransportFrame[]
  /** store "redis": whether every process of the subject reaches it now, and how often it went away; absent in memory */
  redis?: { up: boolean; lost: number }
  /**
   * the newest message id in the broadcast log when the run started: the messages earlier runs left there (on Redis;
   * the newest 10,000 are still there to read at /wait?since=0), 0 in memory, which a restart empties. The run's
   * subscribers are owed only the messages after it. Absent in a run saved before it
   */
  logStartId?: number
}

/**
 * Work "upstream": where a request's time goes besides the subject's loop — waiting for a connection of the
 * subject's pool to the backend (evented), or at the backend itself. null (or absent, in a run saved before it) in a
 * run that never started the backend.
 */
export interface UpstreamFrame {
  /** the backend process is up (false once it ended during the run: its calls fail) */
  up: boolean
  /** requests in flight at the backend, as it last said (every 100 ms) */
  backendInFlight: number
  /** evented: calls waiting for a connection of the subject's pool to the backend; 0 in the other ways */
  waitingForConnection: number
  /** the backend's answer time (its arrival → its answer) over the last second of reports; null with none answered */
  answerMs: { p50: number; p99: number } | null
  /** the subject's calls to the backend that failed, since the start (each answered 502, an error for the crowd) */
  failed: number
}

/** Work "upstream" over a run (see UpstreamFrame). */
export interface UpstreamSummary {
  /** answers the backend gave */
  answered: number
  /** calls that failed */
  failed: number
  /** the backend's answer time over the run; null with none answered */
  answerP50Ms: number | null
  answerP99Ms: number | null
  answerMaxMs: number | null
  maxBackendInFlight: number
  maxWaitingForConnection: number
  /** the backend ended during the run */
  backendExited: boolean
}

/**
 * libuv's thread pool under work "libuv", counted by the subject where it submits and completes its tasks (libuv has
 * no queue API; only the subject's own tasks): busy = min(outstanding, size), waiting = the rest.
 */
export interface LibuvPoolFrame {
  /** threads in the pool (UV_THREADPOOL_SIZE of the subject) */
  size: number
  /** threads holding one of the requests' tasks now */
  busy: number
  /** requests' tasks queued inside libuv for a thread now */
  waiting: number
  /**
   * an unrelated 4-KiB file read the subject makes on the same pool every 100 ms: how long the last took (or the one
   * still out has waited, if longer), ms; null before the first. Well under 1 ms on a free pool
   */
  fileReadMs: number | null
}

export interface LibuvPoolSummary {
  size: number
  /** the most at once over the run */
  maxBusy: number
  maxWaiting: number
  /** the slowest of the unrelated file reads (see LibuvPoolFrame), ms; null when none was made */
  maxFileReadMs: number | null
}

export interface Frame {
  /** ms since the run started */
  t: number
  /** in flight = active + queued, all three taken at one instant (see the requests sampler) */
  inFlight: number
  active: number
  queued: number
  /** what rps, errorsPerS, latencyMs and the push rates cover */
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
  /**
   * the crowd's own loop, busy share over the last second (0..1): near 1 the crowd cannot send faster, and the
   * throughput is its limit, not the server's. Absent until measured, and in a run saved before it
   */
  crowdBusy?: number
  rssBytes: number
  /** cumulative over the run */
  completed: number
  errors: number
  /** the run's maxima so far, the same figures the summary ends with */
  maxInFlight: number
  maxQueued: number
  maxStallMs: number
  marks: Mark[]
  push: PushFrame | null
  /** libuv's thread pool (work "libuv"); null or absent when the work does not use it */
  libuvPool?: LibuvPoolFrame | null
  /**
   * each request's timeline: the bars new since the previous frame (the renderer keeps the last few seconds);
   * null or absent when the subject records none
   */
  timeline?: TimelineDelta | null
  /** work "upstream": the backend's figures; null or absent when no backend ran */
  upstream?: UpstreamFrame | null
  /** the front door's figures (frontDoor on); absent without one */
  hold?: HoldFrame | null
  /** with several processes: each one's loop, in process order; absent with one (the loop figures above are its) */
  processes?: ProcessFrame[] | null
  /** with several processes: the crowd's requests spread over them so unevenly that it costs throughput; absent when
   * the spread costs nothing (see SpreadFrame) */
  spread?: SpreadFrame | null
}

/**
 * What the spread of the crowd's requests over several processes costs, in a frame where it costs throughput. Each
 * process serves at most `perProcess` at once (theory's perProcessServers: its loop, threads or pool; computation
 * also needs a core, theory's coreCap), so one holding more leaves requests waiting while another has room:
 * `served` are in service at once where an even spread of the same requests would serve `even` (> served).
 * Only for the closed loop, whose users stay on their connections so that a spread holds, and work with a limit
 * per process (evented work on the loop has none). Read from the frame's processes' `active`.
 */
export interface SpreadFrame {
  perProcess: number
  served: number
  even: number
  /** served / delay, by the theory's law: what this spread serves a second; null at a delay of 0 */
  servedRps: number | null
}

/** One process's loop in a frame of a subject started with several (the same figures as the frame's own loop). */
export interface ProcessFrame {
  /** 1 … processes */
  process: number
  loopDelayP99Ms: number
  loopUtilization: number
  stallMs: number
  /** this process's loop is blocked right now (the others may go on) */
  stalled: boolean
  /** requests this process is serving, as of its latest heartbeat */
  active: number
}

/** One process's loop over a run of several. */
export interface ProcessSummary {
  process: number
  delayP99Ms: number
  maxStallMs: number
  utilization: number
}

/** Holding traffic at the front door (src/main/lab/front-door.ts), and replacing the app behind it. */
export interface HoldFrame {
  /** traffic is held now */
  held: boolean
  /** requests waiting at the door for the release */
  waiting: number
  /** requests the door has sent on to the app and not yet had answered */
  atApp: number
  /** the app's process is being replaced (from the drain of what is at the app, under a hold, to the new one up) */
  restarting: boolean
  /**
   * within a restart, the old process has gone and the new one is not up: there is no app, no loop to measure.
   * Absent in a run saved before it (read as `restarting`)
   */
  appDown?: boolean
  /** the app's process id now (a new one after each restart) */
  appPid: number
}

/** The front door's part of a summary (frontDoor on). Failures by kind are the run's errorsByKind. */
export interface HoldSummary {
  /** times traffic was held */
  holds: number
  /** requests that waited at a hold */
  heldRequests: number
  /** the longest any request waited at a hold, ms; null when none did */
  longestHoldMs: number | null
  /** times the app's process was replaced */
  restarts: number
  /** the app's process ids, first to last */
  appPids: number[]
  /** requests the door could not deliver: the app's process went with them on it (reset), or none listened (refused) */
  failedAtApp: { reset: number; refused: number }
}

export type EndReason = 'requests' | 'duration' | 'stopped' | 'error'

/**
 * The subscribers' part of a summary, with its books: delivered + undelivered = owed, and undelivered = missed +
 * inFlight. A subscriber is owed every message from the one that was next when it first asked (its first poll is
 * `/wait?since=that id`, its first stream `?since=` it) to the last one published — or, if it was removed during
 * the run, to the last it had. A transport change does not change what is owed: the subscriber resumes from its
 * last + 1. So with every subscriber joined before the first publish, owed = (published − logStartId) × subscribers.
 */
export interface PushSummary extends PushTransportSummary {
  /** the transport the settings named at the end */
  transport: PushTransport
  subscribers: number
  /** the most requests held at /wait at once */
  held: number
  /** the highest message id published (the subject's count, or a later one the crowd had already seen) */
  published: number
  /** store "redis": how often it went away during the run; absent in memory */
  redisLost?: number
  /** as the frame's: the newest message id in the log when the run started; absent in a run saved before it */
  logStartId?: number
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
  /** the subject's memory per connection, after a GC (see the push sampler); null when never measured */
  bytesPerHeld: number | null
  /** each transport used, when the run changed transport; null when it used one */
  byTransport: PushTransportSummary[] | null
}

/** A transport's totals over a run (or over the whole run, in PushSummary). */
export interface PushTransportSummary {
  transport: PushTransport
  delivered: number
  deliveryP50Ms: number | null
  deliveryP99Ms: number | null
  deliveryMaxMs: number | null
  timeouts: number
  /** HTTP requests the subscribers sent (polls; stream and handshake requests); null in a run saved before version 2 */
  requests: number | null
  /** bytes on the wire per delivered message (see PushTransportFrame); null with nothing delivered (or before version 2) */
  bytesInPerDelivery: number | null
  bytesOutPerDelivery: number | null
  /** the subject's CPU time while this transport was named, µs per message delivered on it; null with none */
  cpuPerDeliveryUs: number | null
  /**
   * the subject's own counts over the run: connections it cut as slow consumers (their unsent bytes passed its
   * send-buffer cap), and requests or frames it refused; null where the subject did not say (a run before version 2)
   */
  slowConsumersCut: number | null
  refused: number | null
}

/** @deprecated the summary's block before transports had names; the CLI's JSON keeps a copy under this name for one version */
export type LongPollSummary = PushSummary

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
  /** the crowd's own loop, busy share over the run (0..1); absent unmeasured, and in a run saved before it */
  crowdBusy?: number
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number } | null
  /** latency at these percentiles, for the ab-style table */
  percentilesMs: { percentile: number; ms: number }[]
  loop: { delayP99Ms: number; maxStallMs: number; utilization: number }
  maxInFlight: number
  maxQueued: number
  /** null when the crowd could not say: it failed, the subject died, or it did not answer a Stop in time */
  unanswered: Unanswered | null
  marks: Mark[]
  push: PushSummary | null
  /** libuv's thread pool over the run; null or absent (a run saved before it existed) when no request used it */
  libuvPool?: LibuvPoolSummary | null
  /** the stacks that held the loop longest, most stalled time first (at most TOP_STACKS); [] when none stalled */
  blockedStacks: BlockedStackTotal[]
  /** work "upstream": the backend's figures over the run; null or absent when no backend ran */
  upstream?: UpstreamSummary | null
  /** the front door's block (frontDoor on); absent without one */
  hold?: HoldSummary | null
  /** with several processes: each one's loop over the run, in process order; absent with one */
  processes?: ProcessSummary[] | null
}

export function emptyErrorCounts(): ErrorCounts {
  return { refused: 0, reset: 0, timeout: 0, non2xx: 0, other: 0 }
}
