/** The push sampler's books, per-transport figures and memory figure, from crowd ticks and subject reports alone. */
import { describe, expect, it } from 'vitest'
import { PushFigures } from '../../src/main/lab/sampler/push'
import type { CrowdPushTick, LongPollBooks, SubjectPushReport, SubjectReport } from '../../src/main/lab/protocol'
import { NATIVE_BYTES_PER_CONNECTION } from '../../src/main/lab/subject/memory-probe'
import type { PushTransport } from '../../src/shared/wire'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { memorySample, pushReport, pushTick, transportTick } from '../helpers/push-ticks'

const LongPollFigures = PushFigures

function lpTick(delivered: number, books: Partial<LongPollBooks>, subscribers = 100): CrowdPushTick {
  return pushTick('long-poll', [transportTick('long-poll', delivered, { subscribers })], { books })
}

const full = (fromAt: number) => ({ fromAt, windowMs: 1000, spanMs: 1000, state: 'full' as const })

const sample = memorySample

const report = pushReport

describe('the push books', () => {
  it('owe every joined subscriber every message from its first on: published × subscribers when all joined first', () => {
    const lp = new LongPollFigures()
    lp.subjectReport(report(0, 100))
    // 100 subscribers joined before message 1 (from = 1 each), then 20 messages; 1,990 deliveries arrived
    lp.tick(lpTick(1000, { joined: 100, fromSum: 0, latest: 10 }))
    lp.tick(lpTick(990, { joined: 100, fromSum: 0, latest: 20, drainMs: 2000 }))
    lp.subjectReport(report(20, 100))
    lp.frame(0, { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' })
    const s = lp.summary()!
    expect(s).toMatchObject({
      published: 20,
      owed: 2000,
      delivered: 1990,
      undelivered: 10,
      missed: 0,
      inFlight: 10,
      drainMs: 2000
    })
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

describe('memory per connection', () => {
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
    expect(lp.frame(0, { fromAt: -1000, windowMs: 1000, spanMs: 1000, state: 'full' })!.bytesPerHeld).toBe(
      4500 + NATIVE_BYTES_PER_CONNECTION
    )
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

describe('the per-transport figures', () => {
  it('names the transport and gives its bytes per delivery, re-poll requests a second and the subject’s CPU per delivery', () => {
    const push = new PushFigures()
    // 1 s of long polling at 1,000 deliveries a second: each delivery cost its answer (300 B in), its re-poll (80 B
    // out, one request); the subject was 50% busy (50 ms of each 100): 500 ms / 1,000 deliveries = 500 µs each
    for (let i = 1; i <= 10; i++) {
      push.subjectReport(report(i, 100), 50)
      push.tick(lpTick(0, {}))
      push.tick(
        pushTick('long-poll', [
          transportTick('long-poll', 100, { requests: 100, bytesRead: 30_000, bytesWritten: 8_000 })
        ])
      )
      push.close(i * 100)
    }
    const f = push.frame(1000, full(0))!
    expect(f).toMatchObject({
      transport: 'long-poll',
      subscribers: 100,
      bytesInPerDelivery: 300,
      bytesOutPerDelivery: 80,
      cpuPerDeliveryUs: 500,
      others: []
    })
    expect(f.requestsPerS).toBeGreaterThan(900)
    expect(f.requestsPerS).toBeLessThan(1100)
    expect(push.summary()).toMatchObject({
      transport: 'long-poll',
      delivered: 1000,
      requests: 1000,
      bytesInPerDelivery: 300,
      cpuPerDeliveryUs: 500,
      byTransport: null
    })
  })

  it('shows both transports while subscribers move over, and each one’s totals in the summary', () => {
    const push = new PushFigures()
    const h = buildHistogram()
    recordMs(h, 2)
    push.subjectReport(report(1, 0), 20)
    push.tick(pushTick('long-poll', [transportTick('long-poll', 100, { requests: 100, bytesRead: 30_000 })]))
    push.close(100)
    // the change: 60 of the 100 are on SSE already, 40 still on long polling; the subject reports after the tick
    push.tick(
      pushTick('sse', [
        transportTick('long-poll', 40, { subscribers: 40, bytesRead: 12_000 }),
        transportTick('sse', 60, {
          subscribers: 60,
          bytesRead: 6_000,
          requests: 60,
          deliveryHistogram: encodeHistogram(h)
        })
      ])
    )
    push.subjectReport(report(2, 0), 10)
    push.close(200)
    const f = push.frame(200, full(0))!
    expect(f).toMatchObject({ transport: 'sse', subscribers: 60, bytesInPerDelivery: 100 })
    expect(f.deliveryMs?.p50).toBeCloseTo(2, 1)
    expect(f.others).toHaveLength(1)
    expect(f.others[0]).toMatchObject({ transport: 'long-poll', subscribers: 40, bytesInPerDelivery: 300 })
    const s = push.summary()!
    expect(s).toMatchObject({ transport: 'sse', delivered: 200, subscribers: 100 })
    // each transport is charged the subject's busy time of the ticks in which the settings named it
    expect(s.byTransport).toEqual([
      expect.objectContaining({
        transport: 'long-poll',
        delivered: 140,
        requests: 100,
        bytesInPerDelivery: Math.round((42_000 / 140) * 10) / 10,
        cpuPerDeliveryUs: Math.round((20_000 / 140) * 10) / 10
      }),
      expect.objectContaining({
        transport: 'sse',
        delivered: 60,
        requests: 60,
        bytesInPerDelivery: 100,
        cpuPerDeliveryUs: Math.round((10_000 / 60) * 10) / 10
      })
    ])
  })
})

describe('CPU per delivery', () => {
  it('is unknown, not 0, over a span no subject report has reached (a busy loop reports late)', () => {
    const push = new PushFigures()
    push.tick(lpTick(500, {}))
    push.close(100)
    expect(push.frame(100, full(0))!.cpuPerDeliveryUs).toBeNull()
    push.subjectReport(report(1, 100), 300)
    push.close(200)
    expect(push.frame(200, full(0))!.cpuPerDeliveryUs).toBe(600)
  })
})

describe('the subject’s own counts per transport', () => {
  const counts = (cut: Partial<Record<PushTransport, number>>, refused: Partial<Record<PushTransport, number>> = {}) =>
    Object.fromEntries(
      (['long-poll', 'sse', 'websocket'] as const).map((t) => [
        t,
        { open: 0, slowConsumersCut: cut[t] ?? 0, refused: refused[t] ?? 0, bytesWritten: 0 }
      ])
    ) as SubjectPushReport

  it('gives the summary the slow consumers cut and the refusals over the run, per transport when it changed', () => {
    const push = new PushFigures()
    const withPush = (p: SubjectPushReport): SubjectReport => ({
      ...report(1, 0),
      longPoll: { connections: 10, memory: { latest: null, baseline: null }, push: p }
    })
    // the subject had already cut 2 SSE streams before this run's first report: they are not this run's
    push.subjectReport(withPush(counts({ sse: 2 })), 0)
    push.tick(pushTick('sse', [transportTick('sse', 10)]))
    push.tick(pushTick('websocket', [transportTick('sse', 5, { subscribers: 0 }), transportTick('websocket', 5)]))
    push.subjectReport(withPush(counts({ sse: 5, websocket: 1 }, { websocket: 4 })), 0)
    const s = push.summary()!
    expect(s).toMatchObject({ slowConsumersCut: 4, refused: 4 })
    expect(s.byTransport!.map((t) => [t.transport, t.slowConsumersCut, t.refused])).toEqual([
      ['sse', 3, 0],
      ['websocket', 1, 4]
    ])
  })
})
