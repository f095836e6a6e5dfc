/**
 * Messages between the host (the Lab, on the main thread) and its two workers: the subject (a child process) and
 * the crowd (a worker thread). Per-tick aggregates only: nothing crosses a boundary per request.
 */
import type { ErrorInfo } from '../../shared/errors'
import type { BlockedStack } from '../../shared/blocked-stack'
import type { ErrorCounts, Unanswered } from '../../shared/frame'
import type { Settings, SubjectSettings } from '../../shared/settings'
import type { PushTransport } from '../../shared/wire'
import type { TimelineBar } from '../../shared/timeline'
import type { MemoryReport } from './subject/memory-probe'

export const HEARTBEAT_INTERVAL_MS = 10
export const REPORT_INTERVAL_MS = 100

// ── host ⇄ subject ────────────────────────────────────────────────────────────────────────────────────────────
/** Settings do not travel here: they take the control line (subject-control.ts), which a blocked loop cannot hold up. */
export type HostToSubject = { type: 'stop' }

export interface SubjectReport {
  type: 'report'
  /** the worker process it came from (1 … processes), set by the cluster's primary; absent with one process */
  worker?: number
  /** requests being handled (work running, or held at /wait), not waiting in the thread pool's queue */
  active: number
  /** requests held at /wait */
  held: number
  /** the subject's own tasks on libuv's thread pool (work "libuv"); absent in tests' stand-ins */
  libuvPool?: LibuvPoolReport
  /** messages published so far */
  published: number
  /** monitorEventLoopDelay over the last report interval, ms */
  loopDelay: { p50Ms: number; p99Ms: number; maxMs: number }
  /** eventLoopUtilization over the last report interval, 0..1 */
  utilization: number
  rssBytes: number
  /** libuv's counters (performance.nodeTiming.uvMetricsInfo), cumulative; absent before Node 20.18 */
  uv?: UvMetrics
  /** the long-poll lab's part: open connections and the memory probe's GC-clean samples (absent in tests' stand-ins) */
  longPoll?: SubjectLongPollReport
  /** each request's timeline (subject/timeline.ts): a bounded sample of this interval's answers; absent when off */
  timeline?: SubjectTimelineReport
  /** work "upstream": the backend's figures and the subject's calls to it; absent while no backend was started */
  upstream?: SubjectUpstreamReport
}

/** The subject's side of work "upstream" (the backend's own figures come round it: BackendReport). */
export interface SubjectUpstreamReport {
  /** the backend process is up (false once it ended during the run) */
  up: boolean
  /** evented: calls waiting for a connection of the subject's pool to the backend (undici's stats.pending), now */
  waitingForConnection: number
  /** the subject's calls that failed (each answered 502), since the previous report */
  failed: number
}

/**
 * Counted where the subject submits and completes its libuv work (libuv has no queue API): busy = min(outstanding,
 * size), waiting = outstanding − busy. Only the subject's own submissions.
 */
export interface LibuvPoolReport {
  /** UV_THREADPOOL_SIZE the subject was started with */
  size: number
  /** pool threads holding one of our tasks now */
  busy: number
  /** our tasks queued inside libuv for a thread now */
  waiting: number
  /** an unrelated 4-KiB file read on the same pool, ms (subject/file-read-probe.ts); null before the first */
  fileReadMs: number | null
}

/**
 * The backend's own figures, a line of its `GET /reports` stream every 100 ms, read by the host (backend-reports.ts)
 * straight from the backend: not through the subject, whose loop a blocking call holds.
 */
export interface BackendReport {
  /** requests in flight at the backend now */
  inFlight: number
  /** answers it sent since the previous line */
  answered: number
  /** a bounded uniform sample of their times (arrival → answer), ms */
  answerMs: number[]
}

/** Times in the bars are epoch ms of the subject (performance.timeOrigin + now()); the host converts them. */
export interface SubjectTimelineReport {
  /** requests answered over the interval */
  answered: number
  /** a uniform sample of them, at most TIMELINE_REPORT_MAX_BARS */
  bars: TimelineBar[]
}

export interface UvMetrics {
  /** loop turns (iterations) so far */
  loopCount: number
  /** events the loop's poll phase has handled so far */
  events: number
  /** events waiting to be handled when the poll phase last returned */
  eventsWaiting: number
}

/**
 * What the control thread's stall watch sends on the control line (stall-watch.js): a stack captured while the
 * loop was stalled (atStallMs into the stall), and the stall's end with its length. Per stall, not per request.
 */
export type StallEvent =
  | { type: 'stack'; stallId: number; atStallMs: number; stack: BlockedStack }
  | { type: 'stall-end'; stallId: number; stallMs: number }

export interface SubjectLongPollReport {
  /** connections open to the subject now */
  connections: number
  memory: MemoryReport
  /** what the subject sees of each push transport (/wait, /events, /ws), from the one broadcast hub (absent in tests'
   *  stand-ins, like this block) */
  push?: SubjectPushReport
  /** where the broadcast log is kept and whether it can be reached (absent in tests' stand-ins) */
  store?: SubjectStoreReport
}

/** The broadcast log's store, as one process of the subject sees it. */
export interface SubjectStoreReport {
  /** memory: this process's own log, or with several processes the cluster primary's; redis: a Redis server's */
  kind: 'memory' | 'redis'
  /** false while the store cannot be reached (Redis gone) */
  up: boolean
  /** times it went away since the subject started */
  lost: number
}

/** Per transport, keyed by its wire name ('long-poll', 'sse', 'websocket'). */
export type SubjectPushReport = Record<PushTransport, SubjectTransportReport>

/** One transport's part: `open` is a gauge; the rest are cumulative since the subject started (the host diffs them). */
export interface SubjectTransportReport {
  /** open now: long-poll = requests held at /wait (as `held`), sse = /events streams, websocket = /ws sockets */
  open: number
  /**
   * cumulative: connections closed because their unsent bytes passed the send-buffer cap (WebSocket close 1008).
   * Always 0 for long-poll: a held answer is one write, then the request is over.
   */
  slowConsumersCut: number
  /**
   * cumulative: requests or frames refused — a bad `since` / Last-Event-ID (400), a WebSocket frame that is not
   * JSON (1003), too large (1009), of an unknown shape or a publish with bad text (a `refused` frame)
   */
  refused: number
  /**
   * cumulative: bytes the subject handed to the sockets for messages and their framing (SSE event lines, WebSocket
   * frame headers; long-poll: the head and body of every /wait answer). Not TCP/IP overhead, not what the client sent.
   */
  bytesWritten: number
}

export type SubjectToHost =
  /** controlPort: where the control thread listens, when the launch asked for one (`control`) */
  /** with several processes: pid and controlPort are the primary's and worker 1's; `workers` has each worker's */
  /**
   * published: the newest message id in the broadcast log as it starts listening — 0 in memory (a new subject starts
   * empty), on Redis the last of the earlier runs' messages; the crowd's subscribers are owed only the ones after it
   */
  | {
      type: 'listening'
      port: number
      pid: number
      controlPort?: number
      workers?: SubjectWorker[]
      published?: number
    }
  /**
   * every 10 ms: the loop is alive, and how many requests it is serving right now (the report is 100 ms apart);
   * `worker`, as on the report
   */
  | { type: 'hb'; active: number; worker?: number }
  | SubjectReport
  /** the timeline's sample, sent at once when the report is overdue: the loop is held inside one turn (timeline.ts) */
  | ({ type: 'timeline'; worker?: number } & SubjectTimelineReport)
  /** several processes: a worker that died was replaced by a new process, now listening under the same number */
  | ({ type: 'replaced' } & SubjectWorker)
  /** work "upstream": the backend listens on this port of 127.0.0.1; the host reads its figures there (GET /reports) */
  | { type: 'backend'; port: number }
  /** `worker`: the process of several it is about (LOOPSCOPE_ERR_SUBJECT_WORKER_EXITED names the one that died) */
  | { type: 'error'; error: ErrorInfo; worker?: number }

/** One worker process of a subject started with several (subject/cluster-primary.ts). */
export interface SubjectWorker {
  /** 1 … processes */
  worker: number
  pid: number
  /** its own control thread's port: each worker's loop is watched, and told of changes, on its own line */
  controlPort?: number
}

/** How the subject process is started: child_process.fork in plain Node, utilityProcess in Electron. */
export interface SubjectProcess {
  send(message: HostToSubject): void
  onMessage(listener: (message: SubjectToHost) => void): void
  /** the exit code, or the signal that ended it (null where the platform does not say: Electron's utilityProcess) */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void
  kill(): void
}

export interface SubjectLaunch {
  /** 0 = a port chosen by the OS */
  port: number
  settings: SubjectSettings
  /** false turns off heartbeat, loop monitoring and reports: the baseline for the sampler's cost */
  instrument: boolean
  /** false turns off each request's timeline in the reports (on when absent): the baseline for its cost */
  timeline?: boolean
  /** listen on every interface instead of 127.0.0.1 only (the user shared the subject on the network) */
  share?: boolean
  /** worker processes behind one port (node:cluster); 1 or absent: the subject serves in this process */
  processes?: number
  /**
   * The broadcast log on this Redis (store "redis": the lab's own server or the user's, password included); absent:
   * in memory, this process's own, or with several processes the cluster primary's (relay-store.ts)
   */
  redisUrl?: string
  /**
   * Live settings changes: the subject starts its control thread, which takes connections that show this token
   * first (a random secret; 127.0.0.1 is open to every local process). Absent: the launch settings stay (`serve`).
   */
  control?: {
    token: string
    /** the stall watch on the control thread, which captures a stalled loop's stack; on unless false (the bench) */
    stacks?: boolean
  }
}

export type SpawnSubject = (launch: SubjectLaunch) => SubjectProcess

// ── host ⇄ crowd ──────────────────────────────────────────────────────────────────────────────────────────────
/** The crowd's workerData: what its run is against and with. */
export interface CrowdStart {
  /** e.g. http://127.0.0.1:43210 */
  origin: string
  settings: Settings
  /** Int32Array gauges the crowd keeps current for the host, read at each frame: [in flight] */
  gauges: SharedArrayBuffer
  /** false: requests go without SENT_AT_HEADER (the baseline of its cost); true when absent */
  stampSends?: boolean
  /**
   * the newest message id in the subject's log as the run starts (earlier runs' messages kept on Redis): a
   * subscriber is owed the messages after it, not the log's history; 0 when absent
   */
  latestId?: number
}

export type HostToCrowd =
  { type: 'update'; settings: Settings } | { type: 'broadcast'; text: string } | { type: 'stop' }

/**
 * The long-poll books (see LongPollFigures.summary): deliveries owed are, per subscriber, every message from `from`
 * — the id the crowd knew was next when it first asked — to the last published, or, for one removed, to the last it
 * had. Gauges as of a tick, except where it says cumulative; the host supplies the last published id.
 */
export interface LongPollBooks {
  /** subscribers that have asked (each owed from its `from` on) */
  joined: number
  /** Σ (from − 1) over them */
  fromSum: number
  /** cumulative: deliveries owed to subscribers removed during the run */
  closedOwed: number
  /** cumulative: messages the subject said had left the log before they were asked for (x-loopscope-missed) */
  missed: number
  /** the highest message id the crowd has seen (the publisher's answers, the subscribers' messages) */
  latest: number
  /** set on the last tick of a run: ms the end waited for deliveries of messages already published */
  drainMs: number | null
}

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
  /** the subscribers, per transport: null while none run and none have */
  push: CrowdPushTick | null
  /** the crowd's own loop since the previous tick, ms idle and ms busy (its eventLoopUtilization, on its thread) */
  loop?: { idle: number; active: number }
}

/** One transport's part of a crowd tick: deltas since the previous tick, except where it says now. */
export interface PushTransportTick {
  transport: PushTransport
  /** subscribers with an open connection on this transport now */
  subscribers: number
  /** messages received */
  delivered: number
  /** long polling: empty answers ([] after the poll timeout) */
  timeouts: number
  /** failed connections, polls or streams (each is followed by a back-off) */
  errors: number
  /** HTTP requests written: every poll (long polling), every stream or handshake opened (SSE, WebSocket) */
  requests: number
  /** messages that came again at or below a subscriber's last (dropped; the books stay exact) */
  duplicates: number
  /** bytes the crowd's sockets of this transport read (server → crowd) and wrote (crowd → server) */
  bytesRead: number
  bytesWritten: number
  /** publish → received, microseconds, hdr-histogram-js compressed base64; '' when none */
  deliveryHistogram: string
}

export interface CrowdPushTick {
  /** the transport the settings name now; subscribers still on another are moving over */
  transport: PushTransport
  /** the transport named, and every other with a connection or traffic in this tick */
  transports: PushTransportTick[]
  /** why fewer subscribers than asked run, if so */
  limitNote: string | null
  books: LongPollBooks
}

/** The crowd's own account of a run's end: epoch ms, and what it left unanswered. */
export interface CrowdTiming {
  at: number
  firstSendAt: number | null
  lastCompleteAt: number | null
  unanswered: Unanswered
}

export type CrowdToHost =
  | CrowdTick
  | ({ type: 'done'; reason: 'requests' | 'duration' | 'stopped' } & CrowdTiming)
  | { type: 'error'; error: ErrorInfo }
