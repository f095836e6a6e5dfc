import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { decodeFromCompressedBase64 } from 'hdr-histogram-js'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/wire'
import { until } from '../helpers/push-clients'
import { pushSubject, type PushSubject } from '../helpers/push-subject'
import { SubscriberSwarm, type SwarmTick } from '../../src/main/lab/crowd/subscribers'
import type { PushTransportTick } from '../../src/main/lab/protocol'
import { Publisher } from '../../src/main/lab/crowd/publisher'

const cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const subject = (settings = { pollTimeoutMs: 10_000, logSize: 1000 }): Promise<PushSubject> =>
  pushSubject(cleanups, settings)

/** the long-poll part of a swarm tick (the only transport these tests use) */
const lp = (tick: SwarmTick): PushTransportTick => tick.transports.find((t) => t.transport === 'long-poll')!

const connections = (app: FastifyInstance): Promise<number> =>
  new Promise((resolve, reject) => app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))))

describe('the subscriber swarm and the publisher against the long-poll plugin', () => {
  it('delivers every message to every subscriber exactly once and in order, follows setCount down, and closes clean', async () => {
    const { app, origin } = await subject()
    const received = new Map<number, number[]>()
    const swarm = new SubscriberSwarm({
      origin,
      pollTimeoutMs: 10_000,
      onMessages: (index, messages: readonly Message[]) => {
        let ids = received.get(index)
        if (!ids) received.set(index, (ids = []))
        for (const m of messages) ids.push(m.id)
      }
    })
    const publisher = new Publisher({ origin })
    cleanups.push(
      () => swarm.close(),
      () => publisher.close()
    )

    swarm.setCount(200)
    await until('200 held requests', () => app.longPoll.held() === 200)
    const first = swarm.tick()
    expect(first.limitNote).toBeNull()
    expect(lp(first)).toMatchObject({ subscribers: 200, delivered: 0 })

    publisher.setRate(20)
    await until('20 publishes', () => app.longPoll.published() >= 20)
    publisher.setRate(0)
    await until('the last publish to settle', () => publisher.pending() === 0)
    const published = app.longPoll.published()
    const all = Array.from({ length: published }, (_, i) => i + 1)
    await until(
      'every delivery',
      () => [...received.values()].every((ids) => ids.length >= published) && received.size === 200
    )
    for (let i = 0; i < 200; i++) expect(received.get(i)).toEqual(all)

    const tick = lp(swarm.tick())
    expect(tick.delivered).toBe(200 * published)
    expect(tick.errors).toBe(0)
    const histogram = decodeFromCompressedBase64(tick.deliveryHistogram)
    expect(histogram.totalCount).toBe(200 * published)
    expect(histogram.minNonZeroValue).toBeGreaterThan(0)
    expect(lp(swarm.tick()).deliveryHistogram).toBe('')

    swarm.setCount(50)
    await until('held requests to follow setCount down', () => app.longPoll.held() === 50)
    expect(lp(swarm.tick()).subscribers).toBe(50)

    const last = await app.longPoll.publish('after the cut')
    await until('the remaining 50 to get it', () =>
      Array.from({ length: 50 }, (_, i) => received.get(i)!.at(-1)).every((id) => id === last.id)
    )
    for (let i = 50; i < 200; i++) expect(received.get(i)!.at(-1)).toBe(published)

    await Promise.all([swarm.close(), publisher.close()])
    await until('no held request', () => app.longPoll.held() === 0)
    let open = await connections(app)
    const start = Date.now()
    while (open > 0 && Date.now() - start < 5_000) {
      await new Promise((r) => setTimeout(r, 20))
      open = await connections(app)
    }
    expect(open).toBe(0)
    expect(lp(swarm.tick())).toMatchObject({ subscribers: 0 })
  })

  it('keeps books that close: received + missed covers every message from where each subscriber joined', async () => {
    const { app, origin } = await subject({ pollTimeoutMs: 10_000, logSize: 2 })
    const swarm = new SubscriberSwarm({ origin, pollTimeoutMs: 10_000 })
    cleanups.push(() => swarm.close())
    let delivered = 0
    let books = swarm.tick().books
    const settle = (what: string, deliveredAtLeast: number): Promise<void> =>
      until(what, () => {
        const t = swarm.tick()
        delivered += lp(t).delivered
        books = t.books
        return delivered >= deliveredAtLeast && swarm.behind() === 0
      })
    const owed = (last: number): number => books.joined * last - books.fromSum + books.closedOwed

    swarm.setCount(10)
    await until('10 held', () => app.longPoll.held() === 10)
    // five publishes in one turn: the first wakes all ten, the next four find no one held, and the log keeps only
    // the last two, so each re-poll (since=2) gets 4 and 5 with x-loopscope-missed: 2
    for (let i = 1; i <= 5; i++) app.longPoll.publish(`m${i}`)
    await settle('every subscriber up to date', 30)
    expect(books).toMatchObject({ joined: 10, fromSum: 0, closedOwed: 0, missed: 20, latest: 5 })
    expect(delivered).toBe(30)
    expect(owed(5)).toBe(delivered + books.missed)

    // two late joiners are owed from message 6 on; then eight leave, each owed what it had
    swarm.setCount(12)
    await until('12 held', () => app.longPoll.held() === 12)
    app.longPoll.publish('m6')
    await settle('message 6 to all twelve', 42)
    expect(books).toMatchObject({ joined: 12, fromSum: 2 * 5, latest: 6 })
    expect(owed(6)).toBe(12 * 6 - 10)
    expect(owed(6)).toBe(delivered + books.missed)
    swarm.setCount(4)
    books = swarm.tick().books
    expect(books).toMatchObject({ joined: 4, fromSum: 0, closedOwed: 6 * 6 + 2 * 1 })
    expect(owed(6)).toBe(delivered + books.missed)
  })

  it('counts an empty answer after the poll timeout as a timeout and polls again', async () => {
    const { origin } = await subject({ pollTimeoutMs: 200, logSize: 1000 })
    const swarm = new SubscriberSwarm({ origin, pollTimeoutMs: 200 })
    cleanups.push(() => swarm.close())
    swarm.setCount(10)
    let timeouts = 0
    await until('two rounds of timeouts', () => (timeouts += lp(swarm.tick()).timeouts) >= 20, 5_000)
  })

  it('backs off when the subject cannot be reached instead of hammering it', async () => {
    // a port that was free a moment ago: connections are refused
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as { port: number }
    await new Promise((resolve) => probe.close(resolve))

    const swarm = new SubscriberSwarm({ origin: `http://127.0.0.1:${port}`, pollTimeoutMs: 10_000 })
    swarm.setCount(5)
    await new Promise((r) => setTimeout(r, 600))
    const tick = lp(swarm.tick())
    expect(tick.subscribers).toBe(0)
    expect(tick.errors).toBeGreaterThan(0)
    // 100, 200, 400 ms ceilings (jittered down to half): at most ~5 tries each in 600 ms
    expect(tick.errors).toBeLessThanOrEqual(5 * 5)
    await swarm.close()
  })

  it('rejects a one-off publish the subject refuses, with its code and message', async () => {
    const { origin } = await subject()
    const accepted: number[] = []
    const publisher = new Publisher({ origin, onPublished: (id) => accepted.push(id) })
    cleanups.push(() => publisher.close())
    await expect(publisher.publishNow('')).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
      message: expect.stringMatching(/^text must be/)
    })
    await publisher.publishNow('fine')
    expect(accepted).toEqual([1])
  })
})
