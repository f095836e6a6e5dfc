/**
 * A run's frames on disk and on the wire: one array per figure (columns), not one object per frame. A frame object
 * repeats its ~30 key names; columns say each once, so an hour (36,000 frames) is 6 MiB of text before gzip instead of 14
 * and the renderer gets the same compact form over IPC. Nothing is dropped or rounded: decoding gives back the frames
 * as the Lab emitted them, their marks included (each change records the index of the frame that carried it).
 *
 * Columns added by a later version are filled with nulls when an older file is read (run-file.ts, upgrade), and
 * those added after the first files of a version (LATER_COLUMNS) may be missing from a file: they read as no figure.
 * The blocked stack, ~1 KB, is written once per stall span: a frame whose stack is the one before's says DITTO, so a
 * run blocked for an hour does not repeat it 36,000 times.
 */
import { stackLabel, type BlockedStack } from './blocked-stack'
import type {
  Frame,
  HoldFrame,
  LatencyStats,
  Mark,
  ProcessFrame,
  PushFrame,
  PushTransportFrame,
  RateWindow,
  UpstreamFrame
} from './frame'
import type { PushTransport } from './wire'

type Cell = number | string | boolean | null
type Kind = 'number' | 'string' | 'boolean'

/** One figure of a frame: the kind of value it holds (and whether a frame may have none), its header with its unit
 * (the CSV's, run-csv.ts), and how it is read from a frame. */
interface Column<T extends Cell> {
  kind: Kind
  nullable: boolean
  header: string
  read: (f: Frame) => T
}
const col = <T extends Cell>(kind: Kind, nullable: boolean, header: string, read: (f: Frame) => T): Column<T> => ({
  kind,
  nullable,
  header,
  read
})

/** Every column, in the order of the file and of the CSV. */
export const COLUMNS = {
  t: col('number', false, 't [ms since start]', (f) => f.t),
  inFlight: col('number', false, 'in flight [requests]', (f) => f.inFlight),
  active: col('number', false, 'active [requests]', (f) => f.active),
  queued: col('number', false, 'queued [requests]', (f) => f.queued),
  windowMs: col('number', false, 'rate window [ms]', (f) => f.window.windowMs),
  spanMs: col('number', false, 'rate window covered [ms]', (f) => f.window.spanMs),
  windowState: col('string', false, 'rate window state [full|since-change|settling]', (f) => f.window.state),
  rps: col('number', true, 'throughput [req/s]', (f) => f.rps),
  errorsPerS: col('number', true, 'errors [1/s]', (f) => f.errorsPerS),
  latencyP50Ms: col('number', true, 'latency p50 [ms]', (f) => f.latencyMs?.p50 ?? null),
  latencyP90Ms: col('number', true, 'latency p90 [ms]', (f) => f.latencyMs?.p90 ?? null),
  latencyP99Ms: col('number', true, 'latency p99 [ms]', (f) => f.latencyMs?.p99 ?? null),
  latencyMaxMs: col('number', true, 'latency max [ms]', (f) => f.latencyMs?.max ?? null),
  loopDelayP99Ms: col('number', false, 'loop delay p99 [ms]', (f) => f.loopDelayP99Ms),
  loopUtilization: col('number', false, 'loop utilization [0..1]', (f) => f.loopUtilization),
  stallMs: col('number', false, 'stall [ms]', (f) => f.stallMs),
  stalled: col('boolean', false, 'stalled [0|1]', (f) => f.stalled),
  theoryRps: col('number', true, 'theory [req/s]', (f) => f.theoryRps),
  // LATER_COLUMNS: null in a run saved before it
  crowdBusy: col('number', true, "crowd's own loop busy [0..1]", (f) => f.crowdBusy ?? null),
  rssBytes: col('number', false, 'subject RSS [bytes]', (f) => f.rssBytes),
  completed: col('number', false, 'completed [requests since start]', (f) => f.completed),
  errors: col('number', false, 'errors [requests since start]', (f) => f.errors),
  maxInFlight: col('number', false, 'in flight at most [requests]', (f) => f.maxInFlight),
  maxQueued: col('number', false, 'queued at most [requests]', (f) => f.maxQueued),
  maxStallMs: col('number', false, 'longest stall so far [ms]', (f) => f.maxStallMs),
  // the subscribers (push): named lp* since version 1, when long polling was the only transport
  lpSubscribers: col(
    'number',
    true,
    'subscribers on the transport named [connections]',
    (f) => f.push?.subscribers ?? null
  ),
  lpHeld: col('number', true, 'held at /wait [connections]', (f) => f.push?.held ?? null),
  lpDeliveriesPerS: col('number', true, 'deliveries [1/s]', (f) => f.push?.deliveriesPerS ?? null),
  lpDeliveryP50Ms: col('number', true, 'delivery p50 [ms]', (f) => f.push?.deliveryMs?.p50 ?? null),
  lpDeliveryP90Ms: col('number', true, 'delivery p90 [ms]', (f) => f.push?.deliveryMs?.p90 ?? null),
  lpDeliveryP99Ms: col('number', true, 'delivery p99 [ms]', (f) => f.push?.deliveryMs?.p99 ?? null),
  lpDeliveryMaxMs: col('number', true, 'delivery max [ms]', (f) => f.push?.deliveryMs?.max ?? null),
  lpTimeoutsPerS: col('number', true, 'poll timeouts [1/s]', (f) => f.push?.timeoutsPerS ?? null),
  lpPublished: col(
    'number',
    true,
    'newest message id [id; minus the log at the start: published this run]',
    (f) => f.push?.published ?? null
  ),
  lpBytesPerHeld: col('number', true, 'memory per connection [bytes]', (f) => f.push?.bytesPerHeld ?? null),
  // from version 2
  pushTransport: col('string', true, 'transport [long-poll|sse|websocket]', (f) => f.push?.transport ?? null),
  pushRequestsPerS: col('number', true, 'subscriber requests [1/s]', (f) => f.push?.requestsPerS ?? null),
  pushBytesInPerDelivery: col(
    'number',
    true,
    'bytes in per delivery [bytes]',
    (f) => f.push?.bytesInPerDelivery ?? null
  ),
  pushBytesOutPerDelivery: col(
    'number',
    true,
    'bytes out per delivery [bytes]',
    (f) => f.push?.bytesOutPerDelivery ?? null
  ),
  pushCpuPerDeliveryUs: col('number', true, 'subject CPU per delivery [µs]', (f) => f.push?.cpuPerDeliveryUs ?? null),
  /** the other transports in use (a transport change in progress), as JSON; null when none */
  pushOthers: col('string', true, 'other transports [JSON]', (f) =>
    f.push && f.push.others.length > 0 ? JSON.stringify(f.push.others) : null
  ),
  // the loop's turns and what blocked it (LATER_COLUMNS: a file from before them has none)
  loopTurnsPerS: col('number', true, 'loop turns [1/s]', (f) => f.loopTurnsPerS),
  eventsPerTurn: col('number', true, 'events per loop turn [events]', (f) => f.eventsPerTurn),
  blockedStack: col('string', true, 'blocked in [function (file:line)]', (f) =>
    f.blockedStack ? JSON.stringify(f.blockedStack) : null
  ),
  // work "upstream": the backend (LATER_COLUMNS; null in a frame with no backend)
  upstreamUp: col('boolean', true, 'backend up [0|1]', (f) => f.upstream?.up ?? null),
  upstreamInFlight: col('number', true, 'backend in flight [requests]', (f) => f.upstream?.backendInFlight ?? null),
  upstreamWaiting: col(
    'number',
    true,
    'waiting for a backend connection [requests]',
    (f) => f.upstream?.waitingForConnection ?? null
  ),
  upstreamAnswerP50Ms: col('number', true, 'backend answer p50 [ms]', (f) => f.upstream?.answerMs?.p50 ?? null),
  upstreamAnswerP99Ms: col('number', true, 'backend answer p99 [ms]', (f) => f.upstream?.answerMs?.p99 ?? null),
  upstreamFailed: col('number', true, 'backend calls failed [since start]', (f) => f.upstream?.failed ?? null),
  // libuv's thread pool under work "libuv" (LATER_COLUMNS)
  libuvPoolSize: col('number', true, 'libuv pool size [threads]', (f) => f.libuvPool?.size ?? null),
  libuvPoolBusy: col('number', true, 'libuv pool busy [threads]', (f) => f.libuvPool?.busy ?? null),
  libuvPoolWaiting: col('number', true, 'waiting for a libuv thread [requests]', (f) => f.libuvPool?.waiting ?? null),
  libuvFileReadMs: col('number', true, 'file read on the libuv pool [ms]', (f) => f.libuvPool?.fileReadMs ?? null),
  // the front door's (LATER_COLUMNS; null in a run without one)
  holdHeld: col('boolean', true, 'traffic held [0|1]', (f) => f.hold?.held ?? null),
  holdWaiting: col('number', true, 'waiting at the front door [requests]', (f) => f.hold?.waiting ?? null),
  holdAtApp: col('number', true, 'at the app behind the front door [requests]', (f) => f.hold?.atApp ?? null),
  holdRestarting: col('boolean', true, 'app restarting [0|1]', (f) => f.hold?.restarting ?? null),
  holdAppDown: col('boolean', true, 'no app (within a restart) [0|1]', (f) => f.hold?.appDown ?? null),
  appPid: col('number', true, 'app process id [pid]', (f) => f.hold?.appPid ?? null),
  // several processes: each one's loop, as JSON (LATER_COLUMNS; null with one process)
  processes: col('string', true, 'per-process loops [JSON]', (f) => (f.processes ? JSON.stringify(f.processes) : null)),
  // what an uneven spread over the processes costs (LATER_COLUMNS; null where it costs nothing)
  spreadPerProcess: col('number', true, 'each process serves at most [requests]', (f) => f.spread?.perProcess ?? null),
  spreadServed: col('number', true, 'served at once with this spread [requests]', (f) => f.spread?.served ?? null),
  spreadEven: col('number', true, 'served at once with an even spread [requests]', (f) => f.spread?.even ?? null),
  spreadServedRps: col('number', true, 'served with this spread [req/s]', (f) => f.spread?.servedRps ?? null),
  // store "redis" (LATER_COLUMNS; null in memory and in runs saved before them)
  pushRedisUp: col('boolean', true, 'Redis reachable [0|1]', (f) => f.push?.redis?.up ?? null),
  pushRedisLost: col('number', true, 'Redis went away [times since start]', (f) => f.push?.redis?.lost ?? null),
  pushLogStartId: col('number', true, 'log at the start [newest message id]', (f) => f.push?.logStartId ?? null),
  // last, so a note with commas ends the CSV row where a reader finds it
  lpLimitNote: col('string', true, 'open-file limit note [text]', (f) => f.push?.limitNote ?? null)
}

/** Columns a file written before them does not have; absent, each frame has no figure there. */
export const LATER_COLUMNS = [
  'loopTurnsPerS',
  'eventsPerTurn',
  'blockedStack',
  'upstreamUp',
  'upstreamInFlight',
  'upstreamWaiting',
  'upstreamAnswerP50Ms',
  'upstreamAnswerP99Ms',
  'upstreamFailed',
  'libuvPoolSize',
  'libuvPoolBusy',
  'libuvPoolWaiting',
  'libuvFileReadMs',
  'holdHeld',
  'holdWaiting',
  'holdAtApp',
  'holdRestarting',
  'appPid',
  'processes',
  'pushRedisUp',
  'pushRedisLost',
  'pushLogStartId',
  'crowdBusy',
  'holdAppDown',
  'spreadPerProcess',
  'spreadServed',
  'spreadEven',
  'spreadServedRps'
] as const satisfies readonly (keyof typeof COLUMNS)[]
/** In the blockedStack column: the same stack as the frame before. */
export const DITTO = ''

export type FrameColumn = keyof typeof COLUMNS
export type FrameColumns = { [K in FrameColumn]: ReturnType<(typeof COLUMNS)[K]['read']>[] }
export const FRAME_COLUMNS = Object.keys(COLUMNS) as FrameColumn[]

export function encodeFrames(frames: readonly Frame[]): FrameColumns {
  const out = {} as Record<FrameColumn, Cell[]>
  for (const name of FRAME_COLUMNS) {
    const read = COLUMNS[name].read as (f: Frame) => Cell
    out[name] = frames.map(read)
  }
  const stacks = out.blockedStack!
  out.blockedStack = stacks.map((json, i) => (json !== null && i > 0 && json === stacks[i - 1] ? DITTO : json))
  return out as FrameColumns
}

export function frameCount(columns: FrameColumns): number {
  return columns.t.length
}

function stats(p50: number | null, p90: number | null, p99: number | null, max: number | null): LatencyStats | null {
  return p50 === null || p90 === null || p99 === null || max === null ? null : { p50, p90, p99, max }
}

/** Frame i's blocked stack, its JSON looked up behind any DITTO. */
function blockedStackAt(c: FrameColumns, i: number): BlockedStack | null {
  let j = i
  while (j > 0 && c.blockedStack[j] === DITTO) j--
  const json = c.blockedStack[j] ?? null
  return json === null || json === DITTO ? null : (JSON.parse(json) as BlockedStack)
}

/** The blocked stack of frame i in words (the CSV's cell): "in waitBlocking (pool-task.js:16) ← …". */
export function blockedStackText(c: FrameColumns, i: number): string | null {
  const stack = blockedStackAt(c, i)
  return stack && stackLabel(stack)
}

/** Frame `i` as the Lab emitted it; `marks` are the changes that frame carried. */
export function decodeFrame(c: FrameColumns, i: number, marks: Mark[] = []): Frame {
  const window: RateWindow = {
    windowMs: c.windowMs[i]!,
    spanMs: c.spanMs[i]!,
    state: c.windowState[i] as RateWindow['state']
  }
  const subscribers = c.lpSubscribers[i] ?? null
  const waiting = c.holdWaiting[i] ?? null
  const hold: HoldFrame | null =
    waiting === null
      ? null
      : {
          held: c.holdHeld[i] ?? false,
          waiting,
          atApp: c.holdAtApp[i] ?? 0,
          restarting: c.holdRestarting[i] ?? false,
          // a run saved before it: every restarting frame said no app
          appDown: c.holdAppDown[i] ?? c.holdRestarting[i] ?? false,
          appPid: c.appPid[i] ?? 0
        }
  const others = c.pushOthers[i] ?? null
  const poolSize = c.libuvPoolSize[i] ?? null
  const processes = c.processes[i] ?? null
  const spreadServed = c.spreadServed[i] ?? null
  const crowdBusy = c.crowdBusy[i] ?? null
  const redisUp = c.pushRedisUp[i] ?? null
  const logStartId = c.pushLogStartId[i] ?? null
  const push: PushFrame | null =
    subscribers === null
      ? null
      : {
          transport: (c.pushTransport[i] ?? 'long-poll') as PushTransport,
          subscribers,
          held: c.lpHeld[i] ?? 0,
          deliveriesPerS: c.lpDeliveriesPerS[i] ?? null,
          deliveryMs: stats(
            c.lpDeliveryP50Ms[i] ?? null,
            c.lpDeliveryP90Ms[i] ?? null,
            c.lpDeliveryP99Ms[i] ?? null,
            c.lpDeliveryMaxMs[i] ?? null
          ),
          timeoutsPerS: c.lpTimeoutsPerS[i] ?? null,
          requestsPerS: c.pushRequestsPerS[i] ?? null,
          bytesInPerDelivery: c.pushBytesInPerDelivery[i] ?? null,
          bytesOutPerDelivery: c.pushBytesOutPerDelivery[i] ?? null,
          published: c.lpPublished[i] ?? 0,
          cpuPerDeliveryUs: c.pushCpuPerDeliveryUs[i] ?? null,
          bytesPerHeld: c.lpBytesPerHeld[i] ?? null,
          limitNote: c.lpLimitNote[i] ?? null,
          others: others === null ? [] : (JSON.parse(others) as PushTransportFrame[]),
          ...(redisUp !== null && { redis: { up: redisUp, lost: c.pushRedisLost[i] ?? 0 } }),
          ...(logStartId !== null && { logStartId })
        }
  const up = c.upstreamUp[i] ?? null
  const p50 = c.upstreamAnswerP50Ms[i] ?? null
  const p99 = c.upstreamAnswerP99Ms[i] ?? null
  const upstream: UpstreamFrame | null =
    up === null
      ? null
      : {
          up,
          backendInFlight: c.upstreamInFlight[i] ?? 0,
          waitingForConnection: c.upstreamWaiting[i] ?? 0,
          answerMs: p50 === null || p99 === null ? null : { p50, p99 },
          failed: c.upstreamFailed[i] ?? 0
        }
  return {
    t: c.t[i]!,
    inFlight: c.inFlight[i]!,
    active: c.active[i]!,
    queued: c.queued[i]!,
    window,
    rps: c.rps[i] ?? null,
    errorsPerS: c.errorsPerS[i] ?? null,
    latencyMs: stats(
      c.latencyP50Ms[i] ?? null,
      c.latencyP90Ms[i] ?? null,
      c.latencyP99Ms[i] ?? null,
      c.latencyMaxMs[i] ?? null
    ),
    loopDelayP99Ms: c.loopDelayP99Ms[i]!,
    loopUtilization: c.loopUtilization[i]!,
    stallMs: c.stallMs[i]!,
    stalled: c.stalled[i]!,
    blockedStack: blockedStackAt(c, i),
    loopTurnsPerS: c.loopTurnsPerS[i] ?? null,
    eventsPerTurn: c.eventsPerTurn[i] ?? null,
    theoryRps: c.theoryRps[i] ?? null,
    rssBytes: c.rssBytes[i]!,
    completed: c.completed[i]!,
    errors: c.errors[i]!,
    maxInFlight: c.maxInFlight[i]!,
    maxQueued: c.maxQueued[i]!,
    maxStallMs: c.maxStallMs[i]!,
    marks,
    push,
    // absent, as the Lab sends it, in a frame with no backend
    ...(upstream && { upstream }),
    ...(crowdBusy !== null && { crowdBusy }),
    ...(poolSize !== null && {
      libuvPool: {
        size: poolSize,
        busy: c.libuvPoolBusy[i] ?? 0,
        waiting: c.libuvPoolWaiting[i] ?? 0,
        fileReadMs: c.libuvFileReadMs[i] ?? null
      }
    }),
    ...(hold && { hold }),
    ...(processes !== null && { processes: JSON.parse(processes) as ProcessFrame[] }),
    ...(spreadServed !== null && {
      spread: {
        perProcess: c.spreadPerProcess[i] ?? 0,
        served: spreadServed,
        even: c.spreadEven[i] ?? 0,
        servedRps: c.spreadServedRps[i] ?? null
      }
    })
  }
}
