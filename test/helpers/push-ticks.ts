/** The crowd's push ticks and the subject's memory samples as the sampler's push part takes them, for its tests. */
import type { CrowdPushTick, LongPollBooks, PushTransportTick } from '../../src/main/lab/protocol'
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
