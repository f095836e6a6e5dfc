import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { emptyErrorCounts, type Frame } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import type { CrowdTick, SubjectReport } from '../../src/main/lab/protocol'

function tick(completed: number, latencyMs: number, inFlight: number, sent = completed): CrowdTick {
  const h = buildHistogram()
  for (let i = 0; i < completed; i++) recordMs(h, latencyMs)
  const extreme = completed > 0 ? latencyMs : null
  return {
    type: 'tick',
    at: 0,
    sent,
    completed,
    errors: emptyErrorCounts(),
    latencyHistogram: encodeHistogram(h),
    latencyMinMs: extreme,
    latencyMaxMs: extreme,
    inFlight,
    push: null
  }
}

function report(active: number, p99Ms = 2, utilization = 0.1): SubjectReport {
  return {
    type: 'report',
    active,
    held: 0,
    published: 0,
    loopDelay: { p50Ms: 1, p99Ms, maxMs: p99Ms },
    utilization,
    rssBytes: 50e6
  }
}

/**
 * A closed loop of `c` connections whose every request takes `periodMs`: all of them answer within a few ms of
 * each other, once a period — the waves that made a 1-s window read 0 and 2× the truth by turns.
 */
function runWaves(
  s: Sampler,
  opts: { c: number; periodMs: number; fromMs: number; toMs: number; firstWaveMs?: number }
): Frame[] {
  const frames: Frame[] = []
  let nextWave = opts.firstWaveMs ?? opts.fromMs + opts.periodMs
  for (let t = opts.fromMs + 100; t <= opts.toMs; t += 100) {
    s.heartbeat(t - 5, opts.c)
    let completed = 0
    while (nextWave <= t) {
      completed += opts.c
      nextWave += opts.periodMs
    }
    // each answer is followed by the next request at once; the first tick sends the first c
    const sent = t === opts.fromMs + 100 && opts.firstWaveMs === undefined ? opts.c : completed
    s.crowdTick(tick(completed, opts.periodMs, opts.c, sent), t - 1)
    frames.push(s.frame(t))
  }
  return frames
}

describe('sampler', () => {
  it('reads the throughput of a closed loop that answers in waves within 10% of c / delay in every steady frame', () => {
    for (const periodMs of [500, 1007, 2007, 3010]) {
      const s = new Sampler(withDefaults({ concurrency: 100, delayMs: periodMs }), 0)
      const frames = runWaves(s, { c: 100, periodMs, fromMs: 0, toMs: 40_000 })
      const steady = frames.filter((f) => f.window.state === 'full')
      expect(steady.length).toBeGreaterThan(200)
      for (const f of steady)
        expect(Math.abs(f.rps! / (100_000 / periodMs) - 1), `period ${periodMs} ms at ${f.t} ms`).toBeLessThan(0.1)
      // and the latency tile has a figure in every steady frame (no "–" every other second)
      expect(steady.every((f) => f.latencyMs !== null)).toBe(true)
    }
  })

  it('fits the window to the workload and says which: 3 round trips of the delay rounded up, 3 to 10 s', () => {
    const s1 = new Sampler(withDefaults({ concurrency: 100, delayMs: 1000 }), 0)
    expect(runWaves(s1, { c: 100, periodMs: 1000, fromMs: 0, toMs: 12_000 }).at(-1)!.window).toEqual({
      windowMs: 3000,
      spanMs: 3000,
      state: 'full'
    })
    const s2 = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    expect(runWaves(s2, { c: 100, periodMs: 2007, fromMs: 0, toMs: 12_000 }).at(-1)!.window).toEqual({
      windowMs: 6000,
      spanMs: 6000,
      state: 'full'
    })
    const hello = new Sampler(withDefaults({ route: 'hello' }), 0)
    expect(runWaves(hello, { c: 100, periodMs: 100, fromMs: 0, toMs: 3000 }).at(-1)!.window.windowMs).toBe(3000)
    const slow = new Sampler(withDefaults({ delayMs: 20_000 }), 0)
    expect(slow.frame(100).window.windowMs).toBe(10_000)
    // blocking work answers once a delay though each answer waited c delays: the window follows the delay
    const blocked = new Sampler(withDefaults({ concurrency: 100, delayMs: 1000, blocking: true }), 0)
    let last: Frame | null = null
    for (let t = 100; t <= 8000; t += 100) {
      blocked.crowdTick(tick(t % 1000 === 0 ? 1 : 0, 40_000, 100, t === 100 ? 100 : 0), t - 1)
      last = blocked.frame(t)
    }
    expect(last!.window.windowMs).toBe(3000)
    expect(last!.rps!).toBeCloseTo(1, 0)
  })

  it('says nothing of the rate until two round trips have passed, rather than 0 before the first wave', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    const frames = runWaves(s, { c: 100, periodMs: 2000, fromMs: 0, toMs: 6000 })
    const early = frames.filter((f) => f.t < 4000)
    expect(early.every((f) => f.rps === null && f.window.state === 'settling')).toBe(true)
    const since = frames.filter((f) => f.t > 4100 && f.t < 6000)
    expect(since.every((f) => f.window.state === 'since-change')).toBe(true)
  })

  it('starts the window again after a change, once the requests sent before it are answered', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    const gauge = new Int32Array([100])
    s.useInFlightGauge(gauge)
    runWaves(s, { c: 100, periodMs: 2000, fromMs: 0, toMs: 10_050 })
    // blocking on: the old regime's wave still comes at 12 s, then one answer every 2 s
    s.change(
      withDefaults({ concurrency: 100, delayMs: 2000, blocking: true }),
      { label: 'blocking on', patch: { blocking: true } },
      10_050
    )
    const after = runWaves(s, { c: 100, periodMs: 2000, fromMs: 10_000, toMs: 12_000, firstWaveMs: 12_000 })
    expect(after.every((f) => f.rps === null)).toBe(true)
    const blocked: Frame[] = []
    for (let t = 12_100; t <= 30_000; t += 100) {
      s.crowdTick(tick(t % 2000 === 0 ? 1 : 0, 4000, 100), t - 1)
      blocked.push(s.frame(t))
    }
    const shown = blocked.filter((f) => f.rps !== null)
    expect(shown.length).toBeGreaterThan(0)
    // the old wave of 100 answers is not counted as the blocked regime's throughput
    for (const f of shown) expect(f.rps!).toBeLessThan(1.5)
    expect(blocked.at(-1)!.rps!).toBeCloseTo(0.5, 1)
  })

  it("keeps the old requests' answers and their latencies out of the new window", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000, blocking: true }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.crowdTick(tick(0, 0, 100, 100), 50)
    s.change(
      withDefaults({ concurrency: 100, delayMs: 2000 }),
      { label: 'blocking off', patch: { blocking: false } },
      1000
    )
    // the backlog, sent long before the change, is answered 2 s after it with 6 s of latency each
    s.crowdTick(tick(100, 6000, 100), 3050)
    s.frame(3100)
    const frames = runWaves(s, { c: 100, periodMs: 2000, fromMs: 3100, toMs: 12_000 })
    expect(frames.at(-1)!.window).toMatchObject({ windowMs: 6000, state: 'full' })
    expect(frames.at(-1)!.latencyMs!.max).toBeLessThan(2100)
    expect(frames.at(-1)!.rps!).toBeCloseTo(50, -1)
  })

  it("counts a tick that waited in the crowd's busy thread in the frame it was taken in", () => {
    const rpsAt6700 = (arrivesAt: number): number => {
      const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 500 }), 0)
      runWaves(s, { c: 100, periodMs: 500, fromMs: 0, toMs: 6400 })
      // the wave taken at 6450 arrives on time, or 250 ms late with two frames closed meanwhile
      const wave = { ...tick(100, 500, 100), at: performance.timeOrigin + 6450 }
      if (arrivesAt === 6450) s.crowdTick(wave, 6450)
      s.frame(6500)
      s.frame(6600)
      if (arrivesAt === 6700) s.crowdTick(wave, 6700)
      return s.frame(6700).rps!
    }
    expect(rpsAt6700(6700)).toBe(rpsAt6700(6450))
  })

  it('shows the stall growing while no heartbeat arrives, and counts the stalled request as active', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.heartbeat(100, 0)
    s.subjectReport(report(0), 100)
    s.crowdTick(tick(0, 0, 10), 100)
    expect(s.frame(120).stallMs).toBe(20)
    const stalled = s.frame(900)
    expect(stalled.stallMs).toBe(800)
    expect(stalled.stalled).toBe(true)
    expect(stalled.active).toBe(1)
    expect(stalled.queued).toBe(9)
    // the blocked loop cannot report, but what it would report is known
    expect(stalled.loopDelayP99Ms).toBe(800)
    expect(stalled.loopUtilization).toBeGreaterThan(0.85)
    s.heartbeat(1000, 0)
    expect(s.summary('stopped', 1000, null, 1000).loop.maxStallMs).toBe(900)
  })

  it('counts every request waiting behind a running block as queued from the first frame of the stall', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, blocking: true }), 0)
    const gauge = new Int32Array([100])
    s.useInFlightGauge(gauge)
    // the evented requests of before were all active at the last beat
    s.heartbeat(100, 100)
    expect(s.frame(120)).toMatchObject({ inFlight: 100, active: 100, queued: 0 })
    const f = s.frame(220)
    expect(f).toMatchObject({ stalled: true, inFlight: 100, active: 1, queued: 99 })
  })

  it('leaves evented requests active through a stall that is not a block (a collection, a starved process)', () => {
    const s = new Sampler(withDefaults({ concurrency: 100 }), 0)
    const gauge = new Int32Array([100])
    s.useInFlightGauge(gauge)
    s.heartbeat(100, 100)
    expect(s.frame(300)).toMatchObject({ stalled: true, active: 100, queued: 0 })
    // blocking switched off: the block in progress is still one, the next stall is not
    const b = new Sampler(withDefaults({ concurrency: 100, blocking: true }), 0)
    b.useInFlightGauge(gauge)
    b.heartbeat(100, 1)
    b.change(withDefaults({ concurrency: 100 }), { label: 'blocking off', patch: { blocking: false } }, 200)
    expect(b.frame(400)).toMatchObject({ active: 1, queued: 99 })
    b.heartbeat(2100, 100)
    expect(b.frame(2300)).toMatchObject({ stalled: true, active: 100, queued: 0 })
  })

  it('takes in flight, active and queued at one instant: in flight = active + queued in every frame', () => {
    const s = new Sampler(withDefaults({ concurrency: 100 }), 0)
    const gauge = new Int32Array(1)
    s.useInFlightGauge(gauge)
    for (let t = 100; t <= 3000; t += 100) {
      for (let b = 0; b < 10; b++) {
        Atomics.store(gauge, 0, 50 + ((t / 100 + b) % 7))
        s.heartbeat(t - 100 + b * 10, 40 + ((t / 100 + 2 * b) % 13))
      }
      Atomics.store(gauge, 0, 100) // the crowd moved on since the last beat
      const f = s.frame(t)
      expect(f.inFlight).toBe(f.active + f.queued)
      expect(f.queued).toBeGreaterThanOrEqual(0)
    }
  })

  it('does not count a wave caught in one heartbeat, a millisecond before the loop reads it, as queued', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    const gauge = new Int32Array([100])
    s.useInFlightGauge(gauge)
    for (let b = 0; b < 10; b++) s.heartbeat(10 + b * 10, b === 4 ? 66 : 100)
    expect(s.frame(100).queued).toBe(0)
    // a queue that lasts the frame (90 waiting for 10 threads) shows
    for (let b = 0; b < 10; b++) s.heartbeat(110 + b * 10, 10)
    expect(s.frame(200).queued).toBe(90)
  })

  it('summarises a run blocked throughout as the loop saw it: utilization near 100%, delay p99 at least the block', () => {
    const s = new Sampler(withDefaults({ concurrency: 20, delayMs: 1000, blocking: true }), 0)
    s.heartbeat(100, 0)
    s.crowdTick(tick(0, 0, 20, 20), 50)
    for (let t = 100; t <= 100; t += 10) s.subjectReport(report(1, 2, 0.2), t)
    // each block of 1 s is followed by one report that covers it
    for (let t = 1100; t <= 5100; t += 1000) {
      s.heartbeat(t, 1)
      s.subjectReport(report(1, 1000, 1), t)
    }
    // and the run ends 900 ms into the next block
    const sum = s.summary('duration', 6000, null, 6000)
    expect(sum.loop.utilization).toBeGreaterThanOrEqual(0.9)
    expect(sum.loop.delayP99Ms).toBeGreaterThanOrEqual(1000)
    expect(sum.loop.maxStallMs).toBe(1000)
  })

  it('puts a settings change in the next frame only, and in the summary', () => {
    const s = new Sampler(withDefaults({ concurrency: 10 }), 0)
    s.change(withDefaults({ concurrency: 100 }), { label: 'c 10 → 100', patch: { concurrency: 100 } }, 500)
    expect(s.frame(600).marks).toEqual([{ t: 500, label: 'c 10 → 100', patch: { concurrency: 100 } }])
    expect(s.frame(700).marks).toEqual([])
    expect(s.frame(700).theoryRps).toBe(50)
    expect(s.summary('stopped', 700).marks).toHaveLength(1)
  })

  it("summarises the whole run like ab: rps over the crowd's duration and the latency table", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    for (let i = 0; i < 10; i++) s.crowdTick(tick(100, 2000 + i, 0), i * 2000)
    const sum = s.summary('requests', 20_000)
    expect(sum.completed).toBe(1000)
    expect(sum.rps).toBe(50)
    expect(sum.latencyMs!.min).toBe(2000)
    expect(sum.latencyMs!.max).toBe(2009)
    expect(sum.percentilesMs.map((p) => p.percentile)).toEqual([50, 66, 75, 80, 90, 95, 98, 99, 100])
  })
})
