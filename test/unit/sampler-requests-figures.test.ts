/**
 * The requests' figures (sampler/requests.ts) as the tiles and the summary show them: errors a second and by kind,
 * the latency tile (p50, p99 and the slowest answer of the window), max in flight and max queued, the queued count
 * taken from the frame's median heartbeat, and the summary's latency table. Host clock times are given by hand, so
 * every expected figure is worked out here from the answers put in, not read back from the code.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { RequestFigures } from '../../src/main/lab/sampler/requests'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { emptyErrorCounts, type ErrorCounts, type Frame } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import type { CrowdTick } from '../../src/main/lab/protocol'

/** `answers`: [latency ms, how many] */
function tick(
  opts: { sent?: number; answers?: [number, number][]; errors?: Partial<ErrorCounts>; inFlight?: number } = {}
): CrowdTick {
  const answers = opts.answers ?? []
  const h = buildHistogram()
  let completed = 0
  for (const [ms, n] of answers) {
    for (let i = 0; i < n; i++) recordMs(h, ms)
    completed += n
  }
  const latencies = answers.filter(([, n]) => n > 0).map(([ms]) => ms)
  return {
    type: 'tick',
    at: 0,
    sent: opts.sent ?? completed,
    completed,
    errors: { ...emptyErrorCounts(), ...opts.errors },
    latencyHistogram: encodeHistogram(h),
    latencyMinMs: latencies.length > 0 ? Math.min(...latencies) : null,
    latencyMaxMs: latencies.length > 0 ? Math.max(...latencies) : null,
    inFlight: opts.inFlight ?? 0,
    push: null
  }
}

/** Frames every 100 ms from `fromMs` (exclusive) to `toMs`; `at(t)`: the tick taken just before the frame at t */
function frames(s: Sampler, fromMs: number, toMs: number, at: (t: number) => CrowdTick | null): Frame[] {
  const out: Frame[] = []
  for (let t = fromMs + 100; t <= toMs; t += 100) {
    const k = at(t)
    if (k) s.crowdTick(k, t - 1)
    out.push(s.frame(t))
  }
  return out
}

const frameAt = (fs: Frame[], t: number): Frame => fs.find((f) => f.t === t)!
const within = (x: number, expected: number, fraction: number): boolean => Math.abs(x / expected - 1) < fraction

describe('errors', () => {
  it('reads errors a second over the same window as the throughput, and counts each kind', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 50)
    // every second 8 answers and 2 errors (a timeout and a reset), 10 sent again
    const fs = frames(s, 0, 6000, (t) =>
      t % 1000 === 0 ? tick({ sent: 10, answers: [[1000, 8]], errors: { timeout: 1, reset: 1 }, inFlight: 10 }) : null
    )
    const last = fs.at(-1)!
    expect(last.window.state).toBe('full')
    // the same buckets and weights: errors a second / throughput = 2 / 8
    expect(last.errorsPerS! / last.rps!).toBeCloseTo(0.25, 1)
    expect(within(last.errorsPerS!, 2, 0.15)).toBe(true)
    expect(last.errors).toBe(12)
    const sum = s.summary('stopped', 6000, null, 6000)
    expect(sum.errors).toBe(12)
    expect(sum.errorsByKind).toEqual({ refused: 0, reset: 6, timeout: 6, non2xx: 0, other: 0 })
    expect(sum.completed).toBe(48)
  })

  it('counts errors among the answers owed to the old settings after a change', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 1000 }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    frames(s, 0, 5000, (t) => (t % 1000 === 0 ? tick({ answers: [[1000, 100]], inFlight: 100 }) : null))
    s.change(
      withDefaults({ concurrency: 100, delayMs: 2000 }),
      { label: 'delay 1 → 2 s', patch: { delayMs: 2000 } },
      5050
    )
    // the 100 old requests end in the frame closing at 5300: 60 answered, 40 timed out; then 100 every 2 s
    const fs = frames(s, 5000, 10_000, (t) =>
      t === 5300
        ? tick({ answers: [[1000, 60]], errors: { timeout: 40 }, inFlight: 100 })
        : t > 5300 && (t - 5300) % 2000 === 0
          ? tick({ answers: [[2000, 100]], inFlight: 100 })
          : null
    )
    // the window starts again at 5300: two round trips of 2 s later the rate shows, over 4 s
    expect(frameAt(fs, 9200).rps).toBeNull()
    expect(frameAt(fs, 9300).window).toEqual({ windowMs: 6000, spanMs: 4000, state: 'since-change' })
  })
})

describe('the latency tile', () => {
  it("shows the window's median, p99 and its slowest answer", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 100 }), 0)
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    // every frame 90 answers of 100 ms and 10 of 900 ms
    const fs = frames(s, 0, 4000, () =>
      tick({
        answers: [
          [100, 90],
          [900, 10]
        ],
        inFlight: 100
      })
    )
    const l = fs.at(-1)!.latencyMs!
    expect(within(l.p50, 100, 0.01)).toBe(true)
    expect(within(l.p99, 900, 0.01)).toBe(true)
    expect(l.p99).toBeLessThanOrEqual(900)
    expect(l.max).toBe(900)
  })

  it('follows the answers as they come while the window fills after the start', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 50)
    // answers of 1 s every second; at 2.5 s one that took 2.5 s
    const fs = frames(s, 0, 2900, (t) =>
      t % 1000 === 0
        ? tick({ answers: [[1000, 10]], inFlight: 10 })
        : t === 2500
          ? tick({ answers: [[2500, 1]], inFlight: 10 })
          : null
    )
    expect(frameAt(fs, 900).latencyMs).toBeNull()
    expect(frameAt(fs, 1000).latencyMs!.max).toBe(1000)
    expect(frameAt(fs, 2400).window.state).toBe('since-change')
    expect(frameAt(fs, 2400).latencyMs!.max).toBe(1000)
    expect(frameAt(fs, 2500).latencyMs!.max).toBe(2500)
  })

  it("covers the wider window in the frame where hello world's latency widens it", () => {
    const s = new Sampler(withDefaults({ route: 'hello', concurrency: 100 }), 0)
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    // answers of 10 ms every frame; at 2 s a lone one of 3 s; in the frame at 6 s, 400 answers of 1.6 s
    const fs = frames(s, 0, 6000, (t) =>
      tick({
        answers: [
          [10, 10],
          [3000, t === 2000 ? 1 : 0],
          [1600, t === 6000 ? 400 : 0]
        ],
        inFlight: 100
      })
    )
    expect(frameAt(fs, 5900).window.windowMs).toBe(3000)
    expect(frameAt(fs, 5900).latencyMs!.max).toBe(10)
    // a median of 1.6 s: 3 round trips are 4.8 s, a 5-s window, which takes in the answer of 3 s at 2 s
    expect(frameAt(fs, 6000).window).toEqual({ windowMs: 5000, spanMs: 5000, state: 'full' })
    expect(frameAt(fs, 6000).latencyMs!.max).toBe(3000)
    // and its median is the 5 s's: 500 answers of 10 ms against 401 slower ones (over the last 3 s alone, 1.6 s)
    expect(within(frameAt(fs, 6000).latencyMs!.p50, 10, 0.01)).toBe(true)
  })

  it('keeps a slow answer in view for the whole of a 10-s window, and no longer', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 4000 }), 0)
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 50)
    // every 4 s ten answers of 4 s; in the wave at 12 s, one took 9 s
    const fs = frames(s, 0, 22_000, (t) =>
      t % 4000 === 0
        ? tick({
            answers: [
              [4000, t === 12_000 ? 9 : 10],
              [9000, t === 12_000 ? 1 : 0]
            ],
            inFlight: 10
          })
        : null
    )
    expect(frameAt(fs, 21_900).window).toMatchObject({ windowMs: 10_000, state: 'full' })
    expect(frameAt(fs, 21_900).latencyMs!.max).toBe(9000)
    expect(frameAt(fs, 22_000).latencyMs!.max).toBe(4000)
  })
})

describe('in flight, queued and their maxima', () => {
  it('keeps the most in flight and the most queued of the run, in the frames and the summary', () => {
    const s = new Sampler(withDefaults({ concurrency: 100 }), 0)
    const gauge = new Int32Array([10])
    s.useInFlightGauge(gauge)
    const beats = (fromMs: number, active: number): void => {
      for (let b = 0; b < 10; b++) s.heartbeat(fromMs + b * 10, active)
    }
    beats(0, 10)
    expect(s.frame(100)).toMatchObject({ inFlight: 10, queued: 0, maxInFlight: 10, maxQueued: 0 })
    Atomics.store(gauge, 0, 100)
    beats(100, 10)
    expect(s.frame(200)).toMatchObject({ inFlight: 100, queued: 90, maxInFlight: 100, maxQueued: 90 })
    Atomics.store(gauge, 0, 20)
    beats(200, 20)
    expect(s.frame(300)).toMatchObject({ inFlight: 20, queued: 0, maxInFlight: 100, maxQueued: 90 })
    const sum = s.summary('stopped', 300, null, 300)
    expect(sum.maxInFlight).toBe(100)
    expect(sum.maxQueued).toBe(90)
  })

  it("takes the frame's median heartbeat, not its last one: a wave caught in the last beat is no queue", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    // the frame's last beat came a millisecond before the loop read the wave: 34 seemed to wait
    for (let b = 0; b < 10; b++) s.heartbeat(10 + b * 10, b === 9 ? 66 : 100)
    expect(s.frame(100)).toMatchObject({ inFlight: 100, active: 100, queued: 0 })
  })

  it('shows a queue that lasts most of the frame, even with a lull in its middle', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, threads: 10 }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    // six beats see 90 waiting for 10 threads; four in the middle of the frame see all of them running
    const active = [10, 10, 10, 100, 100, 100, 100, 10, 10, 10]
    active.forEach((a, b) => s.heartbeat(10 + b * 10, a))
    expect(s.frame(100)).toMatchObject({ inFlight: 100, active: 10, queued: 90 })
  })
  it('reads a queue that rose and drained within the frame at its middle beats, not at its peak', () => {
    const s = new Sampler(withDefaults({ concurrency: 110 }), 0)
    s.useInFlightGauge(new Int32Array([110]))
    // the queue rises to 100 in the middle of the frame and drains again
    const queued = [10, 30, 50, 70, 90, 100, 80, 60, 40, 20]
    queued.forEach((q, b) => s.heartbeat(10 + b * 10, 110 - q))
    // the two middle beats of ten, ordered by queued, saw 50 and 60
    const f = s.frame(100)
    expect(f.queued).toBeGreaterThanOrEqual(50)
    expect(f.queued).toBeLessThanOrEqual(60)
    expect(f.inFlight).toBe(f.active + f.queued)
  })
})

describe('the summary', () => {
  it('has no latency table when nothing was answered', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000, blocking: true }), 0)
    s.crowdTick(tick({ sent: 10, errors: { refused: 10 } }), 50)
    const sum = s.summary('stopped', 1000, null, 1000)
    expect(sum.completed).toBe(0)
    expect(sum.errors).toBe(10)
    expect(sum.latencyMs).toBeNull()
    expect(sum.percentilesMs).toEqual([])
  })

  it("gives the run's mean latency and ab's percentile table, the 100th being the slowest answer", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 100 }), 0)
    // 900 answers of 100 ms, 100 of 300 ms: a mean of 120 ms; 90% at 100 ms, the rest at 300
    for (let i = 0; i < 10; i++)
      s.crowdTick(
        tick({
          answers: [
            [100, 90],
            [300, 10]
          ]
        }),
        i * 100
      )
    const sum = s.summary('requests', 1000, null, 1000)
    expect(within(sum.latencyMs!.mean, 120, 0.01)).toBe(true)
    expect(sum.latencyMs!.min).toBe(100)
    expect(sum.latencyMs!.max).toBe(300)
    const table = Object.fromEntries(sum.percentilesMs.map((p) => [p.percentile, p.ms]))
    for (const p of [50, 66, 75, 80, 90]) expect(within(table[p]!, 100, 0.01), `p${p}`).toBe(true)
    for (const p of [95, 98, 99]) expect(within(table[p]!, 300, 0.01), `p${p}`).toBe(true)
    expect(table[100]).toBe(300)
  })
})

describe('a tick taken as a frame closed', () => {
  it('belongs to that frame whether it arrived before the frame closed or after, one frame or two', () => {
    const span = { windowMs: 3000, spanMs: 3000, state: 'full' as const, fromAt: 6500 }
    // 10 answers in every frame; a wave of 1000 taken at the very instant the frame at 6500 closed
    const rpsAt9500 = (arrival: 'on time' | 'after 6500 closed' | 'after 6600 closed'): number | null => {
      const r = new RequestFigures()
      for (let t = 100; t <= 9500; t += 100) {
        r.tick(tick({ answers: [[100, 10]] }), t - 50)
        if (t === 6500 && arrival === 'on time') r.tick(tick({ answers: [[100, 1000]] }), 6500)
        r.close(t)
        if (t === 6500 && arrival === 'after 6500 closed') r.tick(tick({ answers: [[100, 1000]] }), 6500)
        if (t === 6600 && arrival === 'after 6600 closed') r.tick(tick({ answers: [[100, 1000]] }), 6500)
      }
      return r.frame(9500, span, 0).rps
    }
    // at 9.5 s the 3-s window is (6500, 9500]: the frame at 6500, and the wave with it, just left it
    expect(rpsAt9500('on time')).toBeCloseTo(100, 0)
    expect(rpsAt9500('after 6500 closed')).toBe(rpsAt9500('on time'))
    expect(rpsAt9500('after 6600 closed')).toBe(rpsAt9500('on time'))
  })
})
