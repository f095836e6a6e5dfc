/**
 * The push part of a frame and of the summary as a user reads them: the subscribers and held tiles, deliveries and
 * timeouts a second, delivery latency, bytes and CPU per delivery, memory per connection, the message log's store, the
 * books' lines in the summary, and the figures of a subject of several processes read as one.
 */
import { describe, expect, it } from 'vitest'
import { PushFigures } from '../../src/main/lab/sampler/push'
import type { CrowdPushTick, PushTransportTick, SubjectPushReport } from '../../src/main/lab/protocol'
import { NATIVE_BYTES_PER_CONNECTION, type MemorySample } from '../../src/main/lab/subject/memory-probe'
import type { PushTransport } from '../../src/shared/wire'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { memorySample, pushReport, pushTick, transportTick } from '../helpers/push-ticks'
import { MAX_WINDOW_MS, type Span } from '../../src/main/lab/sampler/rate-window'

const lpTick = (delivered: number, extra: Partial<PushTransportTick> = {}): CrowdPushTick =>
  pushTick('long-poll', [transportTick('long-poll', delivered, extra)])

/** a window of 1 s ending at `now` */
const full = (now: number): Span => ({ fromAt: now - 1000, windowMs: 1000, spanMs: 1000, state: 'full' })
const settling = (now: number): Span => ({ fromAt: now - 1000, windowMs: 1000, spanMs: 1000, state: 'settling' })

const sample = memorySample
/** a GC-clean sample of `connections` that each cost `perConnection` bytes of JS heap */
const costing = (connections: number, perConnection: number): MemorySample =>
  sample(connections, 20e6 + connections * perConnection)

const report = pushReport

function subjectCounts(
  cut: Partial<Record<PushTransport, number>>,
  refused: Partial<Record<PushTransport, number>> = {}
): SubjectPushReport {
  return Object.fromEntries(
    (['long-poll', 'sse', 'websocket'] as const).map((t) => [
      t,
      { open: 0, slowConsumersCut: cut[t] ?? 0, refused: refused[t] ?? 0, bytesWritten: 0 }
    ])
  ) as SubjectPushReport
}

function histogramOf(...ms: number[]): string {
  const h = buildHistogram()
  for (const m of ms) recordMs(h, m)
  return encodeHistogram(h)
}

describe('whether there is a push part at all', () => {
  it('has none in a frame or the summary of a run with no subscriber, nothing held and nothing published', () => {
    const push = new PushFigures()
    push.subjectReport(report(0, 0))
    push.tick(null)
    push.close(100)
    expect(push.frame(100, full(100))).toBeNull()
    expect(push.summary()).toBeNull()
  })

  it('has one as soon as there is a subscriber, a held request or a published message', () => {
    const subscribed = new PushFigures()
    subscribed.tick(lpTick(0, { subscribers: 1 }))
    expect(subscribed.frame(0, full(0))).toMatchObject({ subscribers: 1, held: 0, published: 0 })
    expect(subscribed.summary()).toMatchObject({ subscribers: 1, held: 0, delivered: 0 })

    const held = new PushFigures()
    held.subjectReport(report(0, 3))
    expect(held.frame(0, full(0))).toMatchObject({ subscribers: 0, held: 3, published: 0 })
    // the summary of a run that only held requests: its most held, and nothing owed
    expect(held.summary()).toMatchObject({ held: 3, subscribers: 0, delivered: 0, owed: 0, undelivered: 0 })

    const published = new PushFigures()
    published.subjectReport(report(7, 0))
    expect(published.frame(0, full(0))).toMatchObject({ subscribers: 0, held: 0, published: 7 })
    // nothing held, delivered or subscribed over the run: no push lines in the summary
    expect(published.summary()).toBeNull()
  })

  it('has a summary for a run whose subscribers all left after their deliveries', () => {
    const push = new PushFigures()
    push.tick(lpTick(50, { subscribers: 0 }))
    expect(push.summary()).toMatchObject({ subscribers: 0, delivered: 50, held: 0 })
  })

  it('keeps the last tick’s figures when a crowd tick carries no push part', () => {
    const push = new PushFigures()
    push.tick(pushTick('sse', [transportTick('sse', 0, { subscribers: 40 })], { limitNote: 'only 40' }))
    push.tick(null)
    expect(push.frame(0, full(0))).toMatchObject({ transport: 'sse', subscribers: 40, limitNote: 'only 40' })
  })
})

describe('the subscribers and held tiles', () => {
  it('read the latest tick’s subscribers per transport: one no longer in the ticks has none', () => {
    const push = new PushFigures()
    push.tick(
      pushTick('sse', [
        transportTick('long-poll', 0, { subscribers: 30 }),
        transportTick('sse', 0, { subscribers: 70 })
      ])
    )
    push.close(100)
    expect(push.frame(100, full(100))).toMatchObject({ transport: 'sse', subscribers: 70 })
    expect(push.frame(100, full(100))!.others).toMatchObject([{ transport: 'long-poll', subscribers: 30 }])
    push.tick(pushTick('sse', [transportTick('sse', 0, { subscribers: 100 })]))
    push.close(200)
    const f = push.frame(200, full(200))!
    expect(f).toMatchObject({ transport: 'sse', subscribers: 100 })
    // the move is over: no long-polling row without subscribers or deliveries
    expect(f.others).toEqual([])
    expect(push.summary()).toMatchObject({ transport: 'sse', subscribers: 100 })
  })

  it('lists a transport without subscribers left while its deliveries are in the window, and only then', () => {
    const push = new PushFigures()
    push.tick(
      pushTick('websocket', [
        transportTick('sse', 25, { subscribers: 0 }),
        transportTick('websocket', 75, { subscribers: 100 })
      ])
    )
    push.close(100)
    const f = push.frame(100, full(100))!
    expect(f).toMatchObject({ transport: 'websocket', subscribers: 100 })
    expect(f.others).toHaveLength(1)
    expect(f.others[0]).toMatchObject({ transport: 'sse', subscribers: 0 })
    // a frame later, with nothing more on SSE, its deliveries are still in the window
    push.tick(pushTick('websocket', [transportTick('websocket', 100)]))
    push.close(200)
    expect(push.frame(200, full(200))!.others).toMatchObject([{ transport: 'sse', subscribers: 0 }])
    // a second later they have left it
    push.tick(pushTick('websocket', [transportTick('websocket', 100)]))
    push.close(1200)
    expect(push.frame(1200, full(1200))!.others).toEqual([])
    // the summary counts them on SSE, though no tick saw an SSE subscriber connected
    expect(push.summary()!.byTransport!.map((t) => [t.transport, t.delivered])).toEqual([
      ['sse', 25],
      ['websocket', 275]
    ])
  })

  it('says held as the subject last said it, and the summary the most held at once', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(0, 80))
    expect(push.frame(0, full(0))!.held).toBe(80)
    push.subjectReport(report(1, 100))
    expect(push.frame(100, full(100))!.held).toBe(100)
    push.subjectReport(report(2, 20))
    expect(push.frame(200, full(200))!.held).toBe(20)
    expect(push.summary()!.held).toBe(100)
  })

  it('shows the open-file limit’s note the crowd gave last', () => {
    const push = new PushFigures()
    push.tick(pushTick('long-poll', [transportTick('long-poll', 0)], { limitNote: 'only 1,000 of 5,000' }))
    expect(push.frame(0, full(0))!.limitNote).toBe('only 1,000 of 5,000')
    push.tick(lpTick(0))
    expect(push.frame(0, full(0))!.limitNote).toBeNull()
  })
})

describe('rates and per-delivery figures in a frame', () => {
  /** 1 s of 100-ms buckets, each with these counts on long polling */
  function second(extra: Partial<PushTransportTick>, delivered: number): PushFigures {
    const push = new PushFigures()
    for (let i = 1; i <= 10; i++) {
      push.subjectReport(report(i, 100), 50)
      push.tick(lpTick(delivered, extra))
      push.close(i * 100)
    }
    return push
  }

  it('gives deliveries, timeouts and re-poll requests a second over the window', () => {
    const f = second({ timeouts: 20, requests: 120 }, 100).frame(1000, full(1000))!
    expect(f.deliveriesPerS).toBeGreaterThan(900)
    expect(f.deliveriesPerS).toBeLessThan(1100)
    expect(f.timeoutsPerS).toBeGreaterThan(180)
    expect(f.timeoutsPerS).toBeLessThan(220)
    expect(f.requestsPerS).toBeGreaterThan(1080)
    expect(f.requestsPerS).toBeLessThan(1320)
  })

  it('gives no rate and no CPU per delivery while the window settles', () => {
    const f = second({ timeouts: 20, requests: 120, bytesRead: 30_000 }, 100).frame(1000, settling(1000))!
    expect(f).toMatchObject({ deliveriesPerS: null, timeoutsPerS: null, requestsPerS: null, cpuPerDeliveryUs: null })
    // bytes per delivery are not rates: they are there already
    expect(f.bytesInPerDelivery).toBe(300)
  })

  it('keeps the whole of the widest window: its rate and its slowest delivery from near its start', () => {
    const push = new PushFigures()
    for (let at = 100; at <= MAX_WINDOW_MS; at += 100) {
      push.tick(lpTick(100, { deliveryHistogram: histogramOf(at === 500 ? 900 : 5) }))
      push.close(at)
    }
    const span: Span = { fromAt: 0, windowMs: MAX_WINDOW_MS, spanMs: MAX_WINDOW_MS, state: 'full' }
    const f = push.frame(MAX_WINDOW_MS, span)!
    expect(f.deliveriesPerS).toBeGreaterThan(900)
    expect(f.deliveriesPerS).toBeLessThan(1100)
    expect(f.deliveryMs!.max).toBeCloseTo(900, 0)
  })

  it('gives bytes per delivery to a tenth, and none (not 0) with nothing delivered in the window', () => {
    const push = new PushFigures()
    push.tick(lpTick(3, { bytesRead: 1000, bytesWritten: 250 }))
    push.close(100)
    expect(push.frame(100, full(100))).toMatchObject({ bytesInPerDelivery: 333.3, bytesOutPerDelivery: 83.3 })
    push.tick(lpTick(0, { bytesRead: 40, bytesWritten: 40, timeouts: 1 }))
    push.close(1500)
    const idle = push.frame(1500, full(1500))!
    expect(idle.bytesInPerDelivery).toBeNull()
    expect(idle.bytesOutPerDelivery).toBeNull()
    expect(idle.deliveryMs).toBeNull()
    expect(idle.cpuPerDeliveryUs).toBeNull()
  })

  it('gives the CPU per delivery over every transport’s deliveries in the window', () => {
    const push = new PushFigures()
    push.subjectReport(report(1, 0), 30)
    push.tick(
      pushTick('sse', [
        transportTick('long-poll', 40, { subscribers: 40 }),
        transportTick('sse', 60, { subscribers: 60 })
      ])
    )
    push.close(100)
    // 30 ms of busy time over 100 deliveries: 300 µs each
    expect(push.frame(100, full(100))!.cpuPerDeliveryUs).toBe(300)
  })

  it('gives the delivery latency of every tick in the window, several in one frame too', () => {
    const push = new PushFigures()
    push.tick(lpTick(3, { deliveryHistogram: histogramOf(2, 2, 2) }))
    push.tick(lpTick(1, { deliveryHistogram: histogramOf(40) }))
    push.tick(lpTick(0))
    push.close(100)
    const d = push.frame(100, full(100))!.deliveryMs!
    expect(d.p50).toBeCloseTo(2, 1)
    expect(d.max).toBeCloseTo(40, 0)
    push.tick(lpTick(1, { deliveryHistogram: histogramOf(90) }))
    push.close(200)
    expect(push.frame(200, full(200))!.deliveryMs!.max).toBeCloseTo(90, 0)
    const s = push.summary()!
    expect(s.deliveryP50Ms).toBeCloseTo(2, 1)
    expect(s.deliveryP99Ms).toBeCloseTo(90, 0)
    expect(s.deliveryMaxMs).toBeCloseTo(90, 0)
  })

  it('has no delivery latency in the summary when nothing came with one', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    expect(push.summary()).toMatchObject({ deliveryP50Ms: null, deliveryP99Ms: null, deliveryMaxMs: null })
  })
})

describe('memory per connection', () => {
  it('is not shown with no subscriber and nothing held, though the subject measured it', () => {
    const push = new PushFigures()
    push.tick(lpTick(0, { subscribers: 0 }))
    push.subjectReport(report(5, 0, { latest: costing(1000, 4000) }))
    expect(push.frame(0, full(0))!.bytesPerHeld).toBeNull()
  })

  it('is shown while only requests are held (the crowd not ticked yet)', () => {
    const push = new PushFigures()
    push.subjectReport(report(0, 1000, { latest: costing(1000, 4000) }))
    expect(push.frame(0, full(0))!.bytesPerHeld).toBe(4000 + NATIVE_BYTES_PER_CONNECTION)
  })

  it('is, in the summary, the one measured with the most connections, not the last', () => {
    const push = new PushFigures()
    push.tick(lpTick(0, { subscribers: 1000 }))
    push.subjectReport(report(0, 200, { latest: costing(200, 6000) }))
    push.subjectReport(report(0, 1000, { latest: costing(1000, 4000) }))
    push.tick(lpTick(0, { subscribers: 300 }))
    push.subjectReport(report(0, 300, { latest: costing(300, 5000) }))
    expect(push.frame(0, full(0))!.bytesPerHeld).toBe(5000 + NATIVE_BYTES_PER_CONNECTION)
    expect(push.summary()!.bytesPerHeld).toBe(4000 + NATIVE_BYTES_PER_CONNECTION)
  })

  it('is null in the summary when the subject never measured it', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(0, 100))
    expect(push.summary()!.bytesPerHeld).toBeNull()
  })
})

describe('the message log’s store', () => {
  it('says whether Redis is reachable and how often it went away, in the frame and in the summary', () => {
    const push = new PushFigures()
    push.logAtStart(1234)
    push.tick(lpTick(0))
    push.subjectReport(report(1240, 100, { store: { kind: 'redis', up: false, lost: 2 } }))
    expect(push.frame(0, full(0))).toMatchObject({ redis: { up: false, lost: 2 }, logStartId: 1234 })
    expect(push.summary()).toMatchObject({ redisLost: 2, logStartId: 1234 })
  })

  it('says nothing of Redis with the log in memory', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(3, 100, { store: { kind: 'memory', up: true, lost: 0 } }))
    const f = push.frame(0, full(0))!
    expect(f).not.toHaveProperty('redis')
    expect(f.logStartId).toBe(0)
    expect(push.summary()).not.toHaveProperty('redisLost')
  })
})

describe('the summary’s totals', () => {
  it('add up timeouts, requests and bytes over every transport used', () => {
    const push = new PushFigures()
    push.subjectReport(report(1, 0), 40)
    push.tick(
      pushTick('long-poll', [
        transportTick('long-poll', 100, { timeouts: 7, requests: 107, bytesRead: 30_000, bytesWritten: 8_000 })
      ])
    )
    push.tick(
      pushTick('websocket', [
        transportTick('long-poll', 0, { subscribers: 0, timeouts: 3, requests: 3, bytesRead: 600, bytesWritten: 240 }),
        transportTick('websocket', 100, { requests: 100, bytesRead: 5_400, bytesWritten: 1_760 })
      ])
    )
    push.subjectReport(report(2, 0), 20)
    const s = push.summary()!
    expect(s).toMatchObject({
      transport: 'websocket',
      delivered: 200,
      timeouts: 10,
      requests: 210,
      bytesInPerDelivery: 180,
      bytesOutPerDelivery: 50,
      // 60 ms of busy time over 200 deliveries
      cpuPerDeliveryUs: 300
    })
    expect(s.byTransport!.map((t) => [t.transport, t.delivered, t.timeouts, t.bytesOutPerDelivery])).toEqual([
      ['long-poll', 100, 10, 82.4],
      ['websocket', 100, 0, 17.6]
    ])
  })

  it('count a transport as used once it had subscribers, even before a delivery, and not one merely named', () => {
    const push = new PushFigures()
    push.tick(lpTick(10))
    push.tick(
      pushTick('sse', [
        transportTick('long-poll', 0, { subscribers: 50 }),
        transportTick('sse', 0, { subscribers: 50 })
      ])
    )
    expect(push.summary()!.byTransport!.map((t) => [t.transport, t.delivered])).toEqual([
      ['long-poll', 10],
      ['sse', 0]
    ])

    const one = new PushFigures()
    one.tick(pushTick('long-poll', [transportTick('long-poll', 10), transportTick('websocket', 0, { subscribers: 0 })]))
    expect(one.summary()!.byTransport).toBeNull()
  })

  it('give no slow consumers or refusals when the subject never said its counts', () => {
    const push = new PushFigures()
    push.tick(lpTick(10))
    push.subjectReport(report(1, 100))
    expect(push.summary()).toMatchObject({ slowConsumersCut: null, refused: null })
  })

  it('owe nothing beyond the books: no drain waited and nothing missed unless the crowd said so', () => {
    const push = new PushFigures()
    push.tick(pushTick('long-poll', [transportTick('long-poll', 40)], { books: { joined: 10, latest: 4 } }))
    expect(push.summary()).toMatchObject({
      owed: 40,
      undelivered: 0,
      missed: 0,
      inFlight: 0,
      drainMs: null,
      published: 4
    })
  })
})

describe('a subject of several processes', () => {
  it('adds up what each process holds and reads the shared log’s published count as the highest any has seen', () => {
    const push = new PushFigures()
    push.tick(lpTick(0, { subscribers: 300 }))
    push.subjectReport(report(10, 100, { worker: 1 }))
    push.subjectReport(report(12, 200, { worker: 2 }))
    expect(push.frame(0, full(0))).toMatchObject({ held: 300, published: 12 })
    // a later report of process 1 replaces its own, not process 2's
    push.subjectReport(report(11, 150, { worker: 1 }))
    expect(push.frame(100, full(100))).toMatchObject({ held: 350, published: 12 })
    expect(push.summary()).toMatchObject({ held: 350, published: 12 })
  })

  it('counts a report without a process number as process 1’s', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(1, 100))
    push.subjectReport(report(2, 40, { worker: 1 }))
    expect(push.frame(0, full(0))!.held).toBe(40)
  })

  it('takes memory per connection from the process holding the most connections, whichever reported last', () => {
    const push = new PushFigures()
    push.tick(lpTick(0, { subscribers: 900 }))
    push.subjectReport(report(0, 300, { worker: 1, latest: costing(300, 6000) }))
    push.subjectReport(report(0, 600, { worker: 2, latest: costing(600, 3000) }))
    push.subjectReport(report(0, 0, { worker: 3 }))
    expect(push.frame(0, full(0))!.bytesPerHeld).toBe(3000 + NATIVE_BYTES_PER_CONNECTION)
    // the connections move: process 1 now holds the most
    push.subjectReport(report(0, 700, { worker: 1, latest: costing(700, 4000) }))
    push.subjectReport(report(0, 200, { worker: 2, latest: costing(200, 3000) }))
    expect(push.frame(100, full(100))!.bytesPerHeld).toBe(4000 + NATIVE_BYTES_PER_CONNECTION)
  })

  it('adds up the processes’ slow consumers and refusals over the run, whichever process reported last', () => {
    const push = new PushFigures()
    push.tick(pushTick('websocket', [transportTick('websocket', 10)]))
    // process 1 had cut 2 and refused 1 before the run's first report: they are not this run's
    push.subjectReport(report(0, 0, { worker: 1, push: subjectCounts({ websocket: 2 }, { websocket: 1 }) }))
    push.subjectReport(report(0, 0, { worker: 2, push: subjectCounts({}) }))
    push.subjectReport(report(1, 0, { worker: 2, push: subjectCounts({ websocket: 3 }, { websocket: 2 }) }))
    push.subjectReport(report(1, 0, { worker: 1, push: subjectCounts({ websocket: 3 }, { websocket: 1 }) }))
    // this run: process 1 cut 1, process 2 cut 3 and refused 2
    expect(push.summary()).toMatchObject({ slowConsumersCut: 4, refused: 2 })
    // a process that says nothing of its counts takes none away
    push.subjectReport(report(1, 0, { worker: 3, latest: null }))
    expect(push.summary()).toMatchObject({ slowConsumersCut: 4, refused: 2 })
  })

  it('says no slow consumers or refusals when no process said its counts', () => {
    const push = new PushFigures()
    push.tick(lpTick(10))
    push.subjectReport(report(1, 0, { worker: 1, latest: null }))
    push.subjectReport(report(1, 0, { worker: 2, latest: null }))
    expect(push.summary()).toMatchObject({ slowConsumersCut: null, refused: null })
  })

  it('has Redis up only while every process reaches it, and counts the most times any lost it', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(1, 0, { worker: 1, store: { kind: 'redis', up: true, lost: 1 } }))
    push.subjectReport(report(1, 0, { worker: 2, store: { kind: 'redis', up: false, lost: 3 } }))
    push.subjectReport(report(1, 0, { worker: 3 }))
    expect(push.frame(0, full(0))!.redis).toEqual({ up: false, lost: 3 })
    push.subjectReport(report(1, 0, { worker: 2, store: { kind: 'redis', up: true, lost: 3 } }))
    expect(push.frame(0, full(0))!.redis).toEqual({ up: true, lost: 3 })
    expect(push.summary()!.redisLost).toBe(3)
  })

  it('says nothing of Redis when the processes keep the log in memory or say nothing of it', () => {
    const push = new PushFigures()
    push.tick(lpTick(0))
    push.subjectReport(report(1, 0, { worker: 1, store: { kind: 'memory', up: true, lost: 0 } }))
    push.subjectReport(report(1, 0, { worker: 2, store: { kind: 'memory', up: true, lost: 0 } }))
    expect(push.frame(0, full(0))).not.toHaveProperty('redis')
    const silent = new PushFigures()
    silent.tick(lpTick(0))
    silent.subjectReport(report(1, 0, { worker: 1, latest: null }))
    silent.subjectReport(report(1, 0, { worker: 2 }))
    expect(silent.frame(0, full(0))).not.toHaveProperty('redis')
  })
})
