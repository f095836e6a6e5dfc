/** The comet lab through the whole Lab: frames and summaries carry the long-poll figures. */
import { afterEach, describe, expect, it } from 'vitest'
import { frameWhere, runLab, startLab, type Recorded } from '../helpers/run-lab'

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
    // one blocking request at a time: a publish waits for at most one block of 200 ms before the loop sees it
    const base = { subscribers: 50, publishRatePerS: 3, concurrency: 1, delayMs: 200, durationS: 4 }
    const evented = await runLab({ ...base, blocking: false })
    const blocking = await runLab({ ...base, blocking: true })
    const p99 = (r: typeof evented): number => r.summary.longPoll!.deliveryP99Ms!
    expect(evented.summary.longPoll!.delivered).toBeGreaterThan(200)
    expect(blocking.summary.longPoll!.delivered).toBeGreaterThan(200)
    expect(p99(evented)).toBeLessThan(150)
    expect(p99(blocking) - p99(evented)).toBeGreaterThan(100)
    expect(p99(blocking)).toBeLessThan(1000)
  })

  it('answers a poll with [] after the poll timeout, counted as a timeout', async () => {
    current = await startLab({ subscribers: 20, pollTimeoutMs: 300, concurrency: 1, delayMs: 100, durationS: 30 })
    // 20 subscribers, each answered [] every 300 ms: about 66 timeouts a second once they are all held
    const f = await frameWhere(current.frames, (x) => (x.longPoll?.timeoutsPerS ?? 0) > 10)
    expect(f.longPoll!.deliveriesPerS).toBe(0)
  })
})
