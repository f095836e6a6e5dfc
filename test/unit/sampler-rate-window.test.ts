/**
 * The rate window (sampler/rate-window.ts) as the tiles show it: the throughput held back ("settling…") until two
 * round trips have passed, "since the start · 2.1 s" or "since the change · 2.0 s" until a whole window has, then
 * "over the last 3 s"; the window fitted to the work's round trip; the latency tile over the same span. Host clock
 * times are given by hand (frames every 100 ms), so every expected span is worked out here from those times.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { hannRate } from '../../src/main/lab/sampler/rate-window'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { emptyErrorCounts, type Frame } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import type { CrowdTick } from '../../src/main/lab/protocol'

function tick(opts: { sent?: number; completed?: number; latencyMs?: number; inFlight?: number }): CrowdTick {
  const completed = opts.completed ?? 0
  const latencyMs = opts.latencyMs ?? 0
  const h = buildHistogram()
  for (let i = 0; i < completed; i++) recordMs(h, latencyMs)
  return {
    type: 'tick',
    at: 0,
    sent: opts.sent ?? completed,
    completed,
    errors: emptyErrorCounts(),
    latencyHistogram: encodeHistogram(h),
    latencyMinMs: completed > 0 ? latencyMs : null,
    latencyMaxMs: completed > 0 ? latencyMs : null,
    inFlight: opts.inFlight ?? 0,
    push: null
  }
}

/** Frames every 100 ms from `fromMs` (exclusive) to `toMs`; `answers(t)`: the tick taken just before the frame at t */
function frames(s: Sampler, fromMs: number, toMs: number, answers: (t: number) => CrowdTick | null): Frame[] {
  const out: Frame[] = []
  for (let t = fromMs + 100; t <= toMs; t += 100) {
    const k = answers(t)
    if (k) s.crowdTick(k, t - 1)
    out.push(s.frame(t))
  }
  return out
}

const at = (fs: Frame[], t: number): Frame => fs.find((f) => f.t === t)!

/** a closed loop of `c` answering once a second, on the second: c answers of 1-s latency, c sent again */
const waves = (c: number) => (t: number) =>
  t % 1000 === 0 ? tick({ completed: c, latencyMs: 1000, inFlight: c }) : null

describe('before the first request', () => {
  it('holds the rate back however long the warm-up takes, rather than read 0 req/s', () => {
    const s = new Sampler(withDefaults({ route: 'hello' }), 0)
    // the subject starting and the crowd warming its connections: frames, heartbeats, nothing sent
    const early = frames(s, 0, 12_000, () => null)
    expect(early.every((f) => f.rps === null && f.window.state === 'settling' && f.window.spanMs === 0)).toBe(true)
  })

  it('holds it back across a settings change made before it, too', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    s.frame(100)
    s.change(withDefaults({ concurrency: 20, delayMs: 1000 }), { label: 'c 10 → 20', patch: { concurrency: 20 } }, 150)
    const early = frames(s, 100, 5000, () => null)
    expect(early.every((f) => f.rps === null && f.window.state === 'settling')).toBe(true)
  })
})

describe('the span the rates cover', () => {
  it("counts from the crowd's first request, not from the frame after it", () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    // the crowd's ticks before it sends (nothing sent, nothing answered) do not start the span
    frames(s, 0, 1000, (t) => (t === 500 ? tick({ sent: 0 }) : null))
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 1010)
    const fs = frames(s, 1000, 4000, waves(10))
    // two round trips (2 s) after 1010 is 3010: the frame at 3100 is the first with a rate, over 3100 − 1010 ms
    expect(at(fs, 3000).rps).toBeNull()
    expect(at(fs, 3100).window).toEqual({ windowMs: 3000, spanMs: 2090, state: 'since-change' })
  })

  it('shows the rate from exactly two round trips, and calls it the full window at exactly three', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    frames(s, 0, 1000, () => null)
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 1000)
    const fs = frames(s, 1000, 5000, waves(10))
    expect(at(fs, 2900).window.state).toBe('settling')
    expect(at(fs, 3000).window).toEqual({ windowMs: 3000, spanMs: 2000, state: 'since-change' })
    expect(at(fs, 3000).rps).not.toBeNull()
    expect(at(fs, 3900).window).toEqual({ windowMs: 3000, spanMs: 2900, state: 'since-change' })
    expect(at(fs, 4000).window).toEqual({ windowMs: 3000, spanMs: 3000, state: 'full' })
  })

  it('starts again at the change itself when nothing sent before it is still owed', () => {
    const s = new Sampler(withDefaults({ mode: 'open', ratePerS: 5, delayMs: 1000 }), 0)
    const gauge = new Int32Array([0])
    s.useInFlightGauge(gauge)
    s.crowdTick(tick({ sent: 5 }), 50)
    frames(s, 0, 5000, waves(5))
    // between two waves nothing is in flight
    s.change(
      withDefaults({ mode: 'open', ratePerS: 10, delayMs: 1000 }),
      { label: 'rate 5 → 10', patch: { ratePerS: 10 } },
      5050
    )
    const fs = frames(s, 5000, 8000, waves(10))
    expect(at(fs, 7000).rps).toBeNull()
    expect(at(fs, 7100).window).toEqual({ windowMs: 3000, spanMs: 7100 - 5050, state: 'since-change' })
  })

  it('starts again at the close of the frame that held the last answer owed to the old settings', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 1000 }), 0)
    const gauge = new Int32Array([100])
    s.useInFlightGauge(gauge)
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    frames(s, 0, 5000, waves(100))
    s.change(
      withDefaults({ concurrency: 100, delayMs: 2000 }),
      { label: 'delay 1 → 2 s', patch: { delayMs: 2000 } },
      5050
    )
    // the 100 old requests answer in the frame closing at 5300; the new ones every 2 s from 7300
    const fs = frames(s, 5000, 12_000, (t) =>
      t === 5300 || (t > 5300 && (t - 5300) % 2000 === 0)
        ? tick({ completed: 100, latencyMs: 1000, inFlight: 100 })
        : null
    )
    // two round trips of 2 s after 5300
    expect(at(fs, 9200).rps).toBeNull()
    expect(at(fs, 9300).window).toEqual({ windowMs: 6000, spanMs: 4000, state: 'since-change' })
    expect(at(fs, 9300).rps).not.toBeNull()
  })

  it('starts again 10 s after the change when the old requests are still not all answered', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 1000 }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    frames(s, 0, 5000, waves(100))
    // blocking on: the 100 requests in flight are answered one a second from now on
    s.change(
      withDefaults({ concurrency: 100, delayMs: 1000, blocking: true }),
      { label: 'blocking on', patch: { blocking: true } },
      5000
    )
    const fs = frames(s, 5000, 20_000, (t) => (t % 1000 === 0 ? tick({ completed: 1, latencyMs: 50_000 }) : null))
    expect(at(fs, 15_000).window.state).toBe('settling')
    // 10 s after the change is 15 000; two round trips later, the rate shows
    expect(at(fs, 16_900).rps).toBeNull()
    expect(at(fs, 17_000).window).toEqual({ windowMs: 3000, spanMs: 2000, state: 'since-change' })
    expect(at(fs, 20_000).window.state).toBe('full')
    expect(at(fs, 20_000).rps).toBeCloseTo(1, 0)
  })
})

describe('the window fitted to hello world', () => {
  it("takes hello world's round trip from its median latency: 1.9 s of latency, a 6-s window", () => {
    const s = new Sampler(withDefaults({ route: 'hello', concurrency: 100 }), 0)
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    // a server so slow that hello world's answers come once every 1.9 s
    const fs = frames(s, 0, 20_000, (t) => (t % 1900 === 0 ? tick({ completed: 100, latencyMs: 1900 }) : null))
    expect(fs.at(-1)!.window).toEqual({ windowMs: 6000, spanMs: 6000, state: 'full' })
    // and the rate waits for two of its round trips (3.8 s) before it says anything
    expect(at(fs, 3800).rps).toBeNull()
    expect(Math.abs(fs.at(-1)!.rps! / (100 / 1.9) - 1)).toBeLessThan(0.1)
  })
})

describe('the latency tile over the same span', () => {
  it("leaves out the frame that held the old settings' last answers", () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000, blocking: true }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.crowdTick(tick({ sent: 100, inFlight: 100 }), 50)
    s.change(
      withDefaults({ concurrency: 100, delayMs: 2000 }),
      { label: 'blocking off', patch: { blocking: false } },
      1000
    )
    // the backlog answers in the frame closing at 1100, each after 6 s; the new regime's first wave at 3100
    const fs = frames(s, 1000, 3200, (t) =>
      t === 1100
        ? tick({ completed: 100, latencyMs: 6000 })
        : t === 3100
          ? tick({ completed: 100, latencyMs: 2000 })
          : null
    )
    expect(at(fs, 3100).latencyMs!.max).toBe(2000)
    expect(at(fs, 3100).latencyMs!.p99).toBeLessThanOrEqual(2000)
  })

  it('shows a slow answer for one window exactly, then no more', () => {
    const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 1000 }), 0)
    s.crowdTick(tick({ sent: 10, inFlight: 10 }), 50)
    // every second ten answers of 1 s; the one at 5 s took 4 s
    const fs = frames(s, 0, 9000, (t) =>
      t % 1000 === 0 ? tick({ completed: 10, latencyMs: t === 5000 ? 4000 : 1000, inFlight: 10 }) : null
    )
    expect(at(fs, 7900).latencyMs!.max).toBe(4000)
    // at 8 s the window is (5000, 8000]: the frame that closed at 5000 is out
    expect(at(fs, 8000).window).toMatchObject({ windowMs: 3000, state: 'full' })
    expect(at(fs, 8000).latencyMs!.max).toBe(1000)
  })
})

describe('hannRate', () => {
  it('reads 0, not NaN, over a span with no frame in it', () => {
    const span = { windowMs: 3000, spanMs: 3000, state: 'full' as const, fromAt: 5000 }
    expect(hannRate([{ at: 4000, n: 10 }], span, 8000, (b) => b.n)).toBe(0)
    expect(hannRate([], span, 8000, (b: { at: number; n: number }) => b.n)).toBe(0)
  })
})
