/**
 * A run's frames on disk and on the wire: one array per figure (columns), not one object per frame. A frame object
 * repeats its ~30 key names; columns say each once, so an hour (36,000 frames) is a quarter of the text before gzip
 * and the renderer gets the same compact form over IPC. Nothing is dropped or rounded: decoding gives back the frames
 * as the Lab emitted them, their marks included (each change records the index of the frame that carried it).
 */
import type { Frame, LatencyStats, LongPollFrame, Mark, RateWindow } from './frame'

type Cell = number | string | boolean | null

/** Each column: how it is read from a frame. The order is the CSV's and the file's. */
const COLUMNS = {
  t: (f: Frame) => f.t,
  inFlight: (f: Frame) => f.inFlight,
  active: (f: Frame) => f.active,
  queued: (f: Frame) => f.queued,
  windowMs: (f: Frame) => f.window.windowMs,
  spanMs: (f: Frame) => f.window.spanMs,
  windowState: (f: Frame) => f.window.state,
  rps: (f: Frame) => f.rps,
  errorsPerS: (f: Frame) => f.errorsPerS,
  latencyP50Ms: (f: Frame) => f.latencyMs?.p50 ?? null,
  latencyP90Ms: (f: Frame) => f.latencyMs?.p90 ?? null,
  latencyP99Ms: (f: Frame) => f.latencyMs?.p99 ?? null,
  latencyMaxMs: (f: Frame) => f.latencyMs?.max ?? null,
  loopDelayP99Ms: (f: Frame) => f.loopDelayP99Ms,
  loopUtilization: (f: Frame) => f.loopUtilization,
  stallMs: (f: Frame) => f.stallMs,
  stalled: (f: Frame) => f.stalled,
  theoryRps: (f: Frame) => f.theoryRps,
  rssBytes: (f: Frame) => f.rssBytes,
  completed: (f: Frame) => f.completed,
  errors: (f: Frame) => f.errors,
  maxInFlight: (f: Frame) => f.maxInFlight,
  maxQueued: (f: Frame) => f.maxQueued,
  maxStallMs: (f: Frame) => f.maxStallMs,
  lpSubscribers: (f: Frame) => f.longPoll?.subscribers ?? null,
  lpHeld: (f: Frame) => f.longPoll?.held ?? null,
  lpDeliveriesPerS: (f: Frame) => f.longPoll?.deliveriesPerS ?? null,
  lpDeliveryP50Ms: (f: Frame) => f.longPoll?.deliveryMs?.p50 ?? null,
  lpDeliveryP90Ms: (f: Frame) => f.longPoll?.deliveryMs?.p90 ?? null,
  lpDeliveryP99Ms: (f: Frame) => f.longPoll?.deliveryMs?.p99 ?? null,
  lpDeliveryMaxMs: (f: Frame) => f.longPoll?.deliveryMs?.max ?? null,
  lpTimeoutsPerS: (f: Frame) => f.longPoll?.timeoutsPerS ?? null,
  lpPublished: (f: Frame) => f.longPoll?.published ?? null,
  lpBytesPerHeld: (f: Frame) => f.longPoll?.bytesPerHeld ?? null,
  lpLimitNote: (f: Frame) => f.longPoll?.limitNote ?? null
} satisfies Record<string, (f: Frame) => Cell>

export type FrameColumn = keyof typeof COLUMNS
export type FrameColumns = { [K in FrameColumn]: ReturnType<(typeof COLUMNS)[K]>[] }
export const FRAME_COLUMNS = Object.keys(COLUMNS) as FrameColumn[]

/** The kind of value each column holds (null allowed where the frame allows it), for the file's schema. */
export const COLUMN_KINDS: Record<FrameColumn, { kind: 'number' | 'string' | 'boolean'; nullable: boolean }> = {
  t: { kind: 'number', nullable: false },
  inFlight: { kind: 'number', nullable: false },
  active: { kind: 'number', nullable: false },
  queued: { kind: 'number', nullable: false },
  windowMs: { kind: 'number', nullable: false },
  spanMs: { kind: 'number', nullable: false },
  windowState: { kind: 'string', nullable: false },
  rps: { kind: 'number', nullable: true },
  errorsPerS: { kind: 'number', nullable: true },
  latencyP50Ms: { kind: 'number', nullable: true },
  latencyP90Ms: { kind: 'number', nullable: true },
  latencyP99Ms: { kind: 'number', nullable: true },
  latencyMaxMs: { kind: 'number', nullable: true },
  loopDelayP99Ms: { kind: 'number', nullable: false },
  loopUtilization: { kind: 'number', nullable: false },
  stallMs: { kind: 'number', nullable: false },
  stalled: { kind: 'boolean', nullable: false },
  theoryRps: { kind: 'number', nullable: true },
  rssBytes: { kind: 'number', nullable: false },
  completed: { kind: 'number', nullable: false },
  errors: { kind: 'number', nullable: false },
  maxInFlight: { kind: 'number', nullable: false },
  maxQueued: { kind: 'number', nullable: false },
  maxStallMs: { kind: 'number', nullable: false },
  lpSubscribers: { kind: 'number', nullable: true },
  lpHeld: { kind: 'number', nullable: true },
  lpDeliveriesPerS: { kind: 'number', nullable: true },
  lpDeliveryP50Ms: { kind: 'number', nullable: true },
  lpDeliveryP90Ms: { kind: 'number', nullable: true },
  lpDeliveryP99Ms: { kind: 'number', nullable: true },
  lpDeliveryMaxMs: { kind: 'number', nullable: true },
  lpTimeoutsPerS: { kind: 'number', nullable: true },
  lpPublished: { kind: 'number', nullable: true },
  lpBytesPerHeld: { kind: 'number', nullable: true },
  lpLimitNote: { kind: 'string', nullable: true }
}

export function encodeFrames(frames: readonly Frame[]): FrameColumns {
  const out = {} as Record<FrameColumn, Cell[]>
  for (const name of FRAME_COLUMNS) {
    const read = COLUMNS[name] as (f: Frame) => Cell
    out[name] = frames.map(read)
  }
  return out as FrameColumns
}

export function frameCount(columns: FrameColumns): number {
  return columns.t.length
}

function stats(p50: number | null, p90: number | null, p99: number | null, max: number | null): LatencyStats | null {
  return p50 === null || p90 === null || p99 === null || max === null ? null : { p50, p90, p99, max }
}

/** Frame `i` as the Lab emitted it; `marks` are the changes that frame carried. */
export function decodeFrame(c: FrameColumns, i: number, marks: Mark[] = []): Frame {
  const window: RateWindow = { windowMs: c.windowMs[i]!, spanMs: c.spanMs[i]!, state: c.windowState[i] as RateWindow['state'] }
  const subscribers = c.lpSubscribers[i] ?? null
  const longPoll: LongPollFrame | null =
    subscribers === null
      ? null
      : {
          subscribers,
          held: c.lpHeld[i] ?? 0,
          deliveriesPerS: c.lpDeliveriesPerS[i] ?? null,
          deliveryMs: stats(c.lpDeliveryP50Ms[i] ?? null, c.lpDeliveryP90Ms[i] ?? null, c.lpDeliveryP99Ms[i] ?? null, c.lpDeliveryMaxMs[i] ?? null),
          timeoutsPerS: c.lpTimeoutsPerS[i] ?? null,
          published: c.lpPublished[i] ?? 0,
          bytesPerHeld: c.lpBytesPerHeld[i] ?? null,
          limitNote: c.lpLimitNote[i] ?? null
        }
  return {
    t: c.t[i]!,
    inFlight: c.inFlight[i]!,
    active: c.active[i]!,
    queued: c.queued[i]!,
    window,
    rps: c.rps[i] ?? null,
    errorsPerS: c.errorsPerS[i] ?? null,
    latencyMs: stats(c.latencyP50Ms[i] ?? null, c.latencyP90Ms[i] ?? null, c.latencyP99Ms[i] ?? null, c.latencyMaxMs[i] ?? null),
    loopDelayP99Ms: c.loopDelayP99Ms[i]!,
    loopUtilization: c.loopUtilization[i]!,
    stallMs: c.stallMs[i]!,
    stalled: c.stalled[i]!,
    theoryRps: c.theoryRps[i] ?? null,
    rssBytes: c.rssBytes[i]!,
    completed: c.completed[i]!,
    errors: c.errors[i]!,
    maxInFlight: c.maxInFlight[i]!,
    maxQueued: c.maxQueued[i]!,
    maxStallMs: c.maxStallMs[i]!,
    marks,
    longPoll
  }
}
