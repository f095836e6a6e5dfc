/**
 * The classic experiments, shortened for a noisy 2-core machine: each asserts a ratio to the Little's-law bound,
 * never a tight time.
 */
import { describe, expect, it } from 'vitest'
import { median, runLab } from '../helpers/run-lab'

describe('the classic experiments', () => {
  it('evented wait: c requests share one delay, so req/s ≈ c / delay and no request beats the delay', async () => {
    const { summary, errors } = await runLab({ requests: 300, concurrency: 50, delayMs: 250 })
    expect(errors).toEqual([])
    expect(summary.completed).toBe(300)
    expect(summary.errors).toBe(0)
    expect(summary.theoryRps).toBe(200)
    expect(summary.rps / summary.theoryRps!).toBeGreaterThan(0.85)
    expect(summary.rps / summary.theoryRps!).toBeLessThanOrEqual(1.001)
    expect(summary.latencyMs!.min).toBeGreaterThanOrEqual(250)
    // a request budget ends when the last is answered: nothing is left out of the latency figures
    expect(summary.unanswered).toEqual({ count: 0, oldestWaitMs: null })
  })

  it('blocking: one request at a time, req/s ≈ 1 / delay, and the stall shows while it happens', async () => {
    const { summary, frames } = await runLab({ requests: 8, concurrency: 4, delayMs: 200, blocking: true })
    expect(summary.completed).toBe(8)
    expect(summary.theoryRps).toBe(5)
    expect(summary.rps / 5).toBeGreaterThan(0.7)
    expect(summary.rps / 5).toBeLessThanOrEqual(1.05)
    expect(summary.loop.maxStallMs).toBeGreaterThanOrEqual(200)
    // a frame drawn *during* a block already shows the stall and a queue behind it
    expect(frames.some((f) => f.stallMs >= 100 && f.queued >= 1)).toBe(true)
  })

  it('a pool of N threads: req/s ≈ min(c, N) / delay, and about c − N wait in the queue', async () => {
    const { summary, frames } = await runLab({ requests: 40, concurrency: 10, delayMs: 400, threads: 4 })
    expect(summary.completed).toBe(40)
    expect(summary.theoryRps).toBe(10)
    expect(summary.rps / 10).toBeGreaterThan(0.75)
    expect(summary.rps / 10).toBeLessThanOrEqual(1.05)
    const busy = frames.filter((f) => f.inFlight === 10)
    expect(busy.length).toBeGreaterThan(5)
    expect(median(busy.map((f) => f.queued))).toBe(6)
    expect(median(busy.map((f) => f.active))).toBe(4)
  })

  it('open loop above capacity: the queue and latency climb over time', async () => {
    // capacity: 2 threads / 100 ms = 20 req/s; offered: 40 req/s
    const { frames, summary } = await runLab({
      mode: 'open',
      ratePerS: 40,
      connections: 50,
      threads: 2,
      delayMs: 100,
      durationS: 4
    })
    const early = frames.filter((f) => f.t > 800 && f.t < 1500)
    const late = frames.filter((f) => f.t > 3000 && f.t < 3900)
    expect(median(late.map((f) => f.queued))).toBeGreaterThan(median(early.map((f) => f.queued)) + 10)
    expect(median(late.map((f) => f.latencyMs?.p50 ?? 0))).toBeGreaterThan(
      2 * median(early.map((f) => f.latencyMs?.p50 ?? 0))
    )
    // served at the bound, not below it, and never above it
    expect(summary.theoryRps).toBe(20)
    expect(summary.rps / 20).toBeGreaterThan(0.75)
    expect(summary.rps / 20).toBeLessThanOrEqual(1.05)
    // ended by time with ~80 arrivals not yet served: the summary says how many, and that the oldest had already
    // waited longer than the answered requests' median — the tail the latency figures cannot include
    expect(summary.unanswered!.count).toBeGreaterThan(20)
    expect(summary.unanswered!.oldestWaitMs!).toBeGreaterThan(summary.latencyMs!.p50)
  })

  it('open loop below capacity: the queue and latency stay flat', async () => {
    // capacity 20 req/s, offered 8 req/s
    const { frames, summary } = await runLab({
      mode: 'open',
      ratePerS: 8,
      connections: 50,
      threads: 2,
      delayMs: 100,
      durationS: 4
    })
    // below capacity the rate offered is the rate served
    expect(summary.theoryRps).toBe(8)
    expect(summary.errors).toBe(0)
    expect(summary.rps / 8).toBeGreaterThan(0.85)
    expect(summary.rps / 8).toBeLessThanOrEqual(1.05)
    // early and late from the first answer on (a loaded machine can take a second to warm the connections and the
    // pool before the clock starts), to the end
    const measured = frames.filter((f) => f.latencyMs)
    const first = measured[0]!.t
    const last = measured.at(-1)!.t
    const early = measured.filter((f) => f.t >= first + 300 && f.t < first + 1000)
    const late = measured.filter((f) => f.t > last - 900)
    expect(early.length).toBeGreaterThan(3)
    expect(late.length).toBeGreaterThan(3)
    // a noisy machine may queue a request or two for a moment; what must not happen is a queue that grows
    expect(Math.max(...late.map((f) => f.queued))).toBeLessThanOrEqual(5)
    expect(median(late.map((f) => f.queued))).toBeLessThanOrEqual(median(early.map((f) => f.queued)) + 1)
    expect(median(late.map((f) => f.latencyMs!.p50))).toBeLessThan(200)
  })
})
