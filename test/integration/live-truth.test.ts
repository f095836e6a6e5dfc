/**
 * The live figures are right at every moment of a run, not only in its summary: checked on every frame a real Lab
 * emits, as the tiles and charts draw them.
 */
import { describe, expect, it } from 'vitest'
import { runLab } from '../helpers/run-lab'

describe('live truth', () => {
  it('reads the throughput of a steady evented run within 15% of c / delay in every frame, at delays from 500 to 3000 ms', async () => {
    // Four runs at once: evented waits cost the 2-core machine almost nothing, and each run has its own subject.
    const cases = [
      { delayMs: 500, concurrency: 20 },
      { delayMs: 1000, concurrency: 50 },
      { delayMs: 2000, concurrency: 100 },
      { delayMs: 3000, concurrency: 60 }
    ]
    const runs = await Promise.all(cases.map((c) => runLab({ ...c, durationS: 16 })))
    runs.forEach(({ frames, summary }, i) => {
      const { delayMs, concurrency } = cases[i]!
      const theory = concurrency / (delayMs / 1000)
      expect(summary.theoryRps).toBe(theory)
      // steady: a whole window of the same settings behind the frame (it starts again only at a change)
      const steady = frames.filter((f) => f.window.state === 'full')
      expect(steady.length, `delay ${delayMs}`).toBeGreaterThan(30)
      const off = steady.filter((f) => Math.abs(f.rps! / theory - 1) > 0.15).map((f) => `${f.t} ms: ${f.rps}`)
      expect(off, `delay ${delayMs} ms, c ${concurrency}: frames off theory ${theory}`).toEqual([])
      // the latency tile keeps a figure in every one of them
      expect(steady.every((f) => f.latencyMs !== null && f.latencyMs.p99 >= delayMs)).toBe(true)
      // in flight = active + queued in every frame, and nothing of an evented wait queues
      for (const f of frames) expect(f.inFlight, `frame at ${f.t} ms`).toBe(f.active + f.queued)
      expect(summary.maxQueued, `delay ${delayMs}`).toBeLessThanOrEqual(Math.ceil(concurrency / 10))
    })
  })

  it('summarises a run blocked throughout as its charts show it: utilization ≥ 0.9, loop delay p99 ≥ the block', async () => {
    const { summary, frames } = await runLab({ concurrency: 20, delayMs: 1000, blocking: true, durationS: 6 })
    expect(summary.loop.utilization).toBeGreaterThanOrEqual(0.9)
    expect(summary.loop.delayP99Ms).toBeGreaterThanOrEqual(1000)
    // and every frame during the blocks counts one request active, the rest queued behind it
    const stalled = frames.filter((f) => f.stalled && f.inFlight === 20)
    expect(stalled.length).toBeGreaterThan(10)
    for (const f of stalled) expect([f.active, f.queued]).toEqual([1, 19])
  })
})
