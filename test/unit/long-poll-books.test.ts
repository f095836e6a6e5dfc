/** The long-poll sampler's books and memory figure, from crowd ticks and subject reports alone. */
import { describe, expect, it } from 'vitest'
import { LongPollFigures } from '../../src/main/lab/sampler/long-poll'
import type { CrowdTick, SubjectReport } from '../../src/main/lab/protocol'
import { NATIVE_BYTES_PER_CONNECTION, type MemorySample } from '../../src/main/lab/subject/memory-probe'

type LongPollTick = NonNullable<CrowdTick['longPoll']>
type Books = LongPollTick['books']

function lpTick(delivered: number, books: Partial<Books>, subscribers = 100): LongPollTick {
  return {
    subscribers,
    delivered,
    timeouts: 0,
    deliveryHistogram: '',
    limitNote: null,
    books: { joined: 0, fromSum: 0, closedOwed: 0, missed: 0, latest: 0, drainMs: null, ...books }
  }
}

function sample(connections: number, heapUsedBytes: number, extra: Partial<MemorySample> = {}): MemorySample {
  return { heapUsedBytes, externalBytes: 1e6, rssBytes: 100e6, heapPhysicalBytes: 30e6, connections, held: connections, gcMs: 5, ...extra }
}

function report(published: number, held = 0, memory?: { latest: MemorySample | null; baseline: MemorySample | null }): SubjectReport {
  return {
    type: 'report', active: held, poolQueued: 0, held, published,
    loopDelay: { p50Ms: 0, p99Ms: 0, maxMs: 0 }, utilization: 0, rssBytes: 100e6, heapUsedBytes: 20e6,
    ...(memory && { longPoll: { connections: memory.latest?.connections ?? 0, memory } })
  }
}

describe('the long-poll books', () => {
  it('owe every joined subscriber every message from its first on: published × subscribers when all joined first', () => {
    const lp = new LongPollFigures()
    lp.subjectReport(report(0, 100))
    // 100 subscribers joined before message 1 (from = 1 each), then 20 messages; 1,990 deliveries arrived
    lp.tick(lpTick(1000, { joined: 100, fromSum: 0, latest: 10 }))
    lp.tick(lpTick(990, { joined: 100, fromSum: 0, latest: 20, drainMs: 2000 }))
    lp.subjectReport(report(20, 100))
    lp.frame(0, { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' })
    const s = lp.summary()!
    expect(s).toMatchObject({ published: 20, owed: 2000, delivered: 1990, undelivered: 10, missed: 0, inFlight: 10, drainMs: 2000 })
    expect(s.delivered + s.undelivered).toBe(s.owed)
  })

  it('counts a late joiner from where it joined, a removed one to what it had, and what the log lost as missed', () => {
    const lp = new LongPollFigures()
    // 10 joined at from = 1; 5 more joined at from = 31 (Σ(from − 1) = 150); 3 of the first were removed having
    // had 1..12 (owed 36); 7 + 5 remain. 40 published: owed 7 × 40 + 5 × 10 + 36 = 366.
    lp.tick(lpTick(300, { joined: 12, fromSum: 150, closedOwed: 36, missed: 6, latest: 40 }, 12))
    lp.subjectReport(report(39, 12))
    lp.frame(0, { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' })
    const s = lp.summary()!
    // the crowd had already seen message 40, the subject's last report said 39: the later one counts
    expect(s.published).toBe(40)
    expect(s.owed).toBe(12 * 40 - 150 + 36)
    expect(s).toMatchObject({ delivered: 300, undelivered: 66, missed: 6, inFlight: 60 })
  })
})

describe('memory per held connection', () => {
  const base = sample(0, 20e6)

  it('is the JS heap after a GC per open connection, less the baseline, plus the native constant', () => {
    const lp = new LongPollFigures()
    lp.subjectReport(report(0, 0, { latest: base, baseline: base }))
    lp.tick(lpTick(0, {}, 1000))
    const span = { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' as const }
    lp.subjectReport(report(0, 1000, { latest: sample(1000, 20e6 + 4_500_000), baseline: base }))
    expect(lp.frame(0, span)!.bytesPerHeld).toBe(4500 + NATIVE_BYTES_PER_CONNECTION)
    // mid fan-out nothing is held, and the connections still cost the same: the figure stays
    lp.subjectReport(report(5, 0, { latest: sample(1000, 20e6 + 4_500_000), baseline: base }))
    expect(lp.frame(100, span)!.bytesPerHeld).toBe(4500 + NATIVE_BYTES_PER_CONNECTION)
    expect(lp.summary()!.bytesPerHeld).toBe(4500 + NATIVE_BYTES_PER_CONNECTION)
  })

  it('does not count what RSS and the heap keep beyond live objects', () => {
    const lp = new LongPollFigures()
    lp.tick(lpTick(0, {}, 1000))
    // garbage-era RSS and empty heap pages do not move the figure: only live heap does
    const bloated = sample(1000, 20e6 + 4_500_000, { rssBytes: 160e6, heapPhysicalBytes: 70e6 })
    lp.subjectReport(report(40, 1000, { latest: bloated, baseline: base }))
    expect(lp.frame(0, { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' })!.bytesPerHeld).toBe(4500 + NATIVE_BYTES_PER_CONNECTION)
  })

  it('is null until the subject has a baseline and a sample with connections', () => {
    const lp = new LongPollFigures()
    lp.tick(lpTick(0, {}, 10))
    const span = { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' as const }
    lp.subjectReport(report(0, 10))
    expect(lp.frame(0, span)!.bytesPerHeld).toBeNull()
    lp.subjectReport(report(0, 10, { latest: base, baseline: base }))
    expect(lp.frame(0, span)!.bytesPerHeld).toBeNull()
  })
})
