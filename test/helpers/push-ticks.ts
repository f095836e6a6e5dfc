/** The crowd's push ticks, the subject's memory samples and reports as the sampler's push part takes them, for its tests. */
import type {
  CrowdPushTick,
  LongPollBooks,
  PushTransportTick,
  SubjectPushReport,
  SubjectReport,
  SubjectStoreReport
} from '../../src/main/lab/protocol'
import type { MemorySample } from '../../src/main/lab/subject/memory-probe'
import type { PushTransport } from '../../src/shared/wire'

/** One transport's part of a tick: `delivered` messages to 100 subscribers, nothing else unless given. */
export function transportTick(
  transport: PushTransport,
  delivered: number,
  extra: Partial<PushTransportTick> = {}
): PushTransportTick {
  return {
    transport,
    subscribers: 100,
    delivered,
    timeouts: 0,
    errors: 0,
    requests: 0,
    duplicates: 0,
    bytesRead: 0,
    bytesWritten: 0,
    deliveryHistogram: '',
    ...extra
  }
}

/** A tick of the crowd's subscribers on `transport`, with the books' counts given and the rest 0. */
export function pushTick(
  transport: PushTransport,
  transports: PushTransportTick[],
  extra: { books?: Partial<LongPollBooks>; limitNote?: string | null } = {}
): CrowdPushTick {
  return {
    transport,
    transports,
    limitNote: extra.limitNote ?? null,
    books: { joined: 0, fromSum: 0, closedOwed: 0, missed: 0, latest: 0, drainMs: null, ...extra.books }
  }
}

/** A GC-clean memory sample of `connections` with this much JS heap. */
export function memorySample(
  connections: number,
  heapUsedBytes: number,
  extra: Partial<MemorySample> = {}
): MemorySample {
  return {
    heapUsedBytes,
    externalBytes: 1e6,
    rssBytes: 100e6,
    heapPhysicalBytes: 30e6,
    connections,
    held: connections,
    gcMs: 5,
    ...extra
  }
}

/** The memory baseline a report carries by default: the subject's heap before any connection. */
export const BASELINE_SAMPLE = memorySample(0, 20e6)

/**
 * A subject's report as the push part takes it: `published` messages, `held` long polls, and the push block only
 * when given a memory sample, push counts or a store (its baseline BASELINE_SAMPLE unless given, null without a
 * sample).
 */
export function pushReport(
  published: number,
  held = 0,
  extra: {
    worker?: number
    latest?: MemorySample | null
    baseline?: MemorySample | null
    push?: SubjectPushReport
    store?: SubjectStoreReport
  } = {}
): SubjectReport {
  const withLongPoll = extra.latest !== undefined || extra.push !== undefined || extra.store !== undefined
  const baseline = extra.baseline !== undefined ? extra.baseline : extra.latest ? BASELINE_SAMPLE : null
  return {
    type: 'report',
    ...(extra.worker !== undefined && { worker: extra.worker }),
    active: held,
    held,
    published,
    loopDelay: { p50Ms: 0, p99Ms: 0, maxMs: 0 },
    utilization: 0,
    rssBytes: 100e6,
    ...(withLongPoll && {
      longPoll: {
        connections: extra.latest?.connections ?? 0,
        memory: { latest: extra.latest ?? null, baseline },
        ...(extra.push && { push: extra.push }),
        ...(extra.store && { store: extra.store })
      }
    })
  }
}
