/**
 * The crowd's own loop, measured for real: busy while it sends hello world as fast as the server answers, nearly idle
 * while the server blocks (it has nothing to do but wait) — in the frames during the run, not only in the summary.
 */
import { describe, expect, it } from 'vitest'
import { runLab } from '../helpers/run-lab'

describe("the crowd's own loop", () => {
  it('is busy sending hello world flat out, and nearly idle behind a blocked server', { timeout: 60_000 }, async () => {
    const hello = await runLab({ route: 'hello', concurrency: 50, requests: null, durationS: 4 })
    const blocked = await runLab({ delayMs: 500, blocking: true, concurrency: 1, requests: null, durationS: 4 })
    for (const run of [hello, blocked]) {
      expect(run.errors).toEqual([])
      // every frame after the first second has the last second's figure
      const later = run.frames.filter((f) => f.t >= 1500)
      expect(later.length).toBeGreaterThan(10)
      for (const f of later) {
        expect(f.crowdBusy).toBeGreaterThanOrEqual(0)
        expect(f.crowdBusy).toBeLessThanOrEqual(1)
      }
    }
    const steady = (frames: typeof hello.frames) => frames.filter((f) => f.t >= 1500).map((f) => f.crowdBusy!)
    // 2 requests a second: the crowd waits nearly all the time
    expect(Math.max(...steady(blocked.frames))).toBeLessThan(0.2)
    expect(blocked.summary.crowdBusy!).toBeLessThan(0.2)
    // tens of thousands a second: a good share of its time goes to sending and reading them (here ~35%, the
    // server's loop ~88%: hello world's limit on this machine is the server's, not the crowd's)
    expect(Math.min(...steady(hello.frames))).toBeGreaterThan(0.15)
    expect(hello.summary.crowdBusy!).toBeGreaterThan(blocked.summary.crowdBusy! + 0.15)
  })
})
