/**
 * The subscriber swarm on each transport against the subject's push routes (the long-poll plugin serves /wait,
 * /events and /ws), over real sockets on 127.0.0.1: every message reaches every subscriber exactly once and in
 * order, across a dropped connection and across a transport change, and the books balance.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { SubscriberSwarm, type SwarmTick } from '../../src/main/lab/crowd/subscribers'
import { Publisher } from '../../src/main/lab/crowd/publisher'
import type { LongPollBooks } from '../../src/main/lab/protocol'
import { PUSH_TRANSPORTS, type Message, type PushTransport } from '../../src/shared/wire'
import { until } from '../helpers/push-clients'
import { pushSubject, type PushSubject } from '../helpers/push-subject'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const subject = (logSize = 1000): Promise<PushSubject> => pushSubject(cleanups, { logSize })

/** A swarm that records every delivery per subscriber, and sums its ticks per transport. */
function recordingSwarm(origin: string, transport: PushTransport) {
  const received = new Map<number, number[]>()
  const swarm = new SubscriberSwarm({
    origin,
    pollTimeoutMs: 10_000,
    transport,
    onMessages: (index, messages: readonly Message[]) => {
      let ids = received.get(index)
      if (!ids) received.set(index, (ids = []))
      for (const m of messages) ids.push(m.id)
    }
  })
  cleanups.push(() => swarm.close())
  const sums = { delivered: 0, duplicates: 0, errors: 0, bytesRead: 0, bytesWritten: 0, requests: 0 }
  let books: LongPollBooks | null = null
  let last: SwarmTick | null = null
  const take = (): SwarmTick => {
    const t = swarm.tick()
    for (const x of t.transports) for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += x[k]
    books = t.books
    last = t
    return t
  }
  const connected = (t: PushTransport): number => take().transports.find((x) => x.transport === t)?.subscribers ?? 0
  return { swarm, received, sums, take, connected, books: () => books!, last: () => last! }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

describe('the subscriber swarm, per transport', () => {
  for (const transport of PUSH_TRANSPORTS) {
    it(`${transport}: delivers every message to every subscriber exactly once and in order, and the books balance`, async () => {
      const { app, origin } = await subject()
      const r = recordingSwarm(origin, transport)
      r.swarm.setCount(100)
      await until('100 connected', () => r.connected(transport) === 100)
      if (transport === 'long-poll') await until('100 held', () => app.longPoll.held() === 100)
      const publisher = new Publisher({ origin, onPublished: (id) => r.swarm.noteLatest(id) })
      cleanups.push(() => publisher.close())
      publisher.setRate(40)
      await until('20 publishes', () => app.longPoll.published() >= 20)
      publisher.setRate(0)
      await until('the last publish to settle', () => publisher.pending() === 0)
      const published = app.longPoll.published()
      await until(
        'every delivery',
        () => r.received.size === 100 && [...r.received.values()].every((ids) => ids.length >= published)
      )
      for (let i = 0; i < 100; i++) expect(r.received.get(i)).toEqual(range(published))
      r.take()
      const b = r.books()
      expect(b).toMatchObject({ joined: 100, fromSum: 0, missed: 0, latest: published })
      expect(b.joined * published - b.fromSum + b.closedOwed).toBe(r.sums.delivered)
      expect(r.sums).toMatchObject({ delivered: 100 * published, duplicates: 0, errors: 0 })
      expect(r.swarm.behind()).toBe(0)
      // what the sockets carried: every message in, and (long polling) a request out for each answer
      expect(r.sums.bytesRead).toBeGreaterThan(r.sums.delivered * 40)
      if (transport === 'long-poll') expect(r.sums.requests).toBeGreaterThanOrEqual(100 * published)
      else expect(r.sums.requests).toBe(100)
    })

    it(`${transport}: resumes from last + 1 after the subject drops every connection: nothing lost, nothing twice`, async () => {
      const { app, origin } = await subject()
      const r = recordingSwarm(origin, transport)
      r.swarm.setCount(50)
      await until('50 connected', () => r.connected(transport) === 50)
      for (let i = 1; i <= 5; i++) app.longPoll.publish(`before ${i}`)
      await until('5 each', () => r.received.size === 50 && [...r.received.values()].every((ids) => ids.length === 5))
      app.server.closeAllConnections()
      // published while every subscriber is away (reconnecting after its back-off)
      for (let i = 6; i <= 10; i++) app.longPoll.publish(`while away ${i}`)
      await until('50 back', () => r.connected(transport) === 50)
      for (let i = 11; i <= 12; i++) app.longPoll.publish(`after ${i}`)
      await until('12 each', () => [...r.received.values()].every((ids) => ids.length >= 12))
      for (let i = 0; i < 50; i++) expect(r.received.get(i)).toEqual(range(12))
      r.take()
      expect(r.sums.duplicates).toBe(0)
      expect(r.swarm.behind()).toBe(0)
    })
  }

  it('moves every subscriber to each transport in turn while messages flow: nothing lost, nothing twice, in order', async () => {
    const { app, origin } = await subject()
    const r = recordingSwarm(origin, 'long-poll')
    r.swarm.setCount(200)
    await until('200 held', () => app.longPoll.held() === 200)
    const publisher = new Publisher({ origin, onPublished: (id) => r.swarm.noteLatest(id) })
    cleanups.push(() => publisher.close())
    publisher.setRate(50)
    for (const next of ['sse', 'websocket', 'long-poll', 'websocket'] as const) {
      await new Promise((res) => setTimeout(res, 300))
      r.swarm.setTransport(next)
      await until(`200 on ${next}`, () => r.connected(next) === 200)
      expect(r.last().transport).toBe(next)
    }
    await new Promise((res) => setTimeout(res, 300))
    publisher.setRate(0)
    await until('the last publish to settle', () => publisher.pending() === 0)
    const published = app.longPoll.published()
    expect(published).toBeGreaterThan(20)
    await until('every delivery', () => [...r.received.values()].every((ids) => ids.length >= published))
    for (let i = 0; i < 200; i++) expect(r.received.get(i)).toEqual(range(published))
    r.take()
    expect(r.sums).toMatchObject({ delivered: 200 * published, duplicates: 0 })
    // the moves are closes the swarm asked for, not failures
    expect(r.sums.errors).toBe(0)
    expect(r.books()).toMatchObject({ joined: 200, fromSum: 0, missed: 0 })
  })
})
