/** The comet lab through the whole Lab: frames and summaries carry the long-poll figures. */
import { afterEach, describe, expect, it } from 'vitest'
import type { Frame } from '../../src/shared/frame'
import { frameWhere, sleep, startLab, type Recorded } from '../helpers/run-lab'

let current: Recorded | null = null
afterEach(async () => {
  await current?.lab.close()
  current = null
})

describe('long-poll subscribers in the Lab', () => {
  it('holds the subscribers, delivers what is published, and reports memory per held connection', async () => {
    current = await startLab({ subscribers: 300, publishRatePerS: 0, concurrency: 1, delayMs: 100, durationS: 30 })
    const held = await frameWhere(current.frames, (f) => (f.longPoll?.held ?? 0) >= 300 && f.longPoll!.subscribers === 300, 15_000)
    expect(held.longPoll!.bytesPerHeld).toBeGreaterThan(0)
    await current.lab.broadcast('hello, room')
    const delivered = await frameWhere(current.frames, (f) => (f.longPoll?.deliveriesPerS ?? 0) > 0)
    expect(delivered.longPoll!.deliveryMs!.p50).toBeLessThan(1000)
    await current.lab.update({ subscribers: 100 })
    await frameWhere(current.frames, (f) => f.longPoll?.held === 100, 10_000)
    const summary = await current.lab.stop()
    expect(summary!.longPoll).toMatchObject({ subscribers: 100, published: 1, delivered: 300, timeouts: 0 })
    expect(summary!.longPoll!.held).toBeGreaterThanOrEqual(300)
  })

  it('with blocking on, delivery latency rises by about the blocking time', async () => {
    // Blocking is switched on once every subscriber is held and the publisher connected, as a teacher would: a
    // blocked loop accepts one new connection per turn (libuv), so connecting 50 subscribers under 200-ms blocks
    // takes seconds — real, but a different lesson. On held connections, a publish waits for the block in progress
    // (and at most the next one) before the loop reads it.
    current = await startLab({ subscribers: 50, publishRatePerS: 3, concurrency: 1, delayMs: 200, durationS: 30 })
    const lp = (f: Frame): NonNullable<Frame['longPoll']> => f.longPoll!
    await frameWhere(current.frames, (f) => f.longPoll?.held === 50 && lp(f).published >= 3, 15_000)
    const at = current.frames.length
    await sleep(2_000)
    const evented = current.frames.slice(at).filter((f) => lp(f).deliveryMs)
    await current.lab.update({ blocking: true })
    const switched = current.frames.length
    await sleep(4_000)
    // from a second after the switch: each frame's figures cover the last second
    const blocking = current.frames.slice(switched + 10).filter((f) => lp(f).deliveryMs)
    const worstP99 = (fs: Frame[]): number => Math.max(...fs.map((f) => lp(f).deliveryMs!.p99))
    expect(evented.length).toBeGreaterThan(10)
    expect(blocking.length).toBeGreaterThan(10)
    expect(worstP99(evented)).toBeLessThan(150)
    expect(worstP99(blocking) - worstP99(evented)).toBeGreaterThan(100)
    expect(worstP99(blocking)).toBeLessThan(1000)
  })

  it('answers a poll with [] after the poll timeout, counted as a timeout', async () => {
    current = await startLab({ subscribers: 20, pollTimeoutMs: 300, concurrency: 1, delayMs: 100, durationS: 30 })
    // 20 subscribers, each answered [] every 300 ms: about 66 timeouts a second once they are all held
    const f = await frameWhere(current.frames, (x) => (x.longPoll?.timeoutsPerS ?? 0) > 10)
    expect(f.longPoll!.deliveriesPerS).toBe(0)
  })
})
