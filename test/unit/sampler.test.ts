import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import { emptyErrorCounts } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import type { CrowdTick, SubjectReport } from '../../src/main/lab/protocol'

function tick(completed: number, latencyMs: number, inFlight: number): CrowdTick {
  const h = buildHistogram()
  for (let i = 0; i < completed; i++) recordMs(h, latencyMs)
  const extreme = completed > 0 ? latencyMs : null
  return {
    type: 'tick', at: 0, sent: completed, completed, errors: emptyErrorCounts(), latencyHistogram: encodeHistogram(h),
    latencyMinMs: extreme, latencyMaxMs: extreme, inFlight, longPoll: null
  }
}

function report(active: number): SubjectReport {
  return {
    type: 'report', active, poolQueued: 0, held: 0, published: 0,
    loopDelay: { p50Ms: 1, p99Ms: 2, maxMs: 3 }, utilization: 0.1, rssBytes: 50e6, heapUsedBytes: 10e6
  }
}

describe('sampler', () => {
  it('reports completions a second and latency over the last second', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    for (let t = 100; t <= 2000; t += 100) {
      s.heartbeat(t, 100)
      s.crowdTick(tick(5, 2000, 100))
      s.frame(t)
    }
    s.crowdTick(tick(5, 2010, 100))
    const f = s.frame(2100)
    expect(f.rps).toBe(50)
    expect(f.latencyMs!.p50).toBeGreaterThanOrEqual(1998)
    expect(f.latencyMs!.max).toBeGreaterThanOrEqual(2008)
    expect(f.theoryRps).toBe(50)
  })

  it('shows the stall growing while no heartbeat arrives, and counts the stalled request as active', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.heartbeat(100, 0)
    s.subjectReport(report(0), 100)
    s.crowdTick(tick(0, 0, 10))
    expect(s.frame(120).stallMs).toBe(20)
    const stalled = s.frame(900)
    expect(stalled.stallMs).toBe(800)
    expect(stalled.active).toBe(1)
    expect(stalled.queued).toBe(9)
    // the blocked loop cannot report, but what it would report is known
    expect(stalled.loopDelayP99Ms).toBe(800)
    expect(stalled.loopUtilization).toBeGreaterThan(0.85)
    s.heartbeat(1000, 0)
    expect(s.summary('stopped', 1000).loop.maxStallMs).toBe(900)
  })

  it('reads in flight from the crowd\'s live gauge and active from the latest heartbeat, so nothing looks queued that is not', () => {
    const s = new Sampler(withDefaults({ concurrency: 100 }), 0)
    const gauge = new Int32Array(1)
    s.useInFlightGauge(gauge)
    s.subjectReport(report(0), 50) // 100 ms old by the frame: the wave had not arrived yet
    s.crowdTick(tick(0, 0, 0))
    Atomics.store(gauge, 0, 100)
    s.heartbeat(140, 100)
    const f = s.frame(150)
    expect(f.inFlight).toBe(100)
    expect(f.active).toBe(100)
    expect(f.queued).toBe(0)
  })

  it('does not count a wave sent since the last heartbeat as queued until the loop has had its turn to read it', () => {
    const s = new Sampler(withDefaults({ concurrency: 20, delayMs: 500 }), 0)
    const gauge = new Int32Array(1)
    s.useInFlightGauge(gauge)
    s.heartbeat(100, 0) // between two waves: nothing in the server, nothing in flight
    Atomics.store(gauge, 0, 20) // the crowd sends the next wave
    const fresh = s.frame(105)
    expect(fresh.inFlight).toBe(20)
    expect(fresh.queued).toBe(0)
    // the loop read them: all 20 are being served
    s.heartbeat(110, 20)
    expect(s.frame(115).queued).toBe(0)
    // a request the loop never got to, because it is blocked, is queued as soon as the stall shows
    Atomics.store(gauge, 0, 21)
    const stalled = s.frame(200)
    expect(stalled.stallMs).toBe(90)
    expect(stalled.queued).toBe(1)
  })

  it('puts a settings change in the next frame only, and in the summary', () => {
    const s = new Sampler(withDefaults({ concurrency: 10 }), 0)
    s.change(withDefaults({ concurrency: 100 }), { label: 'c 10 → 100', patch: { concurrency: 100 } }, 500)
    expect(s.frame(600).marks).toEqual([{ t: 500, label: 'c 10 → 100', patch: { concurrency: 100 } }])
    expect(s.frame(700).marks).toEqual([])
    expect(s.frame(700).theoryRps).toBe(50)
    expect(s.summary('stopped', 700).marks).toHaveLength(1)
  })

  it('summarises the whole run like ab: rps over the crowd\'s duration and the latency table', () => {
    const s = new Sampler(withDefaults({ concurrency: 100, delayMs: 2000 }), 0)
    for (let i = 0; i < 10; i++) s.crowdTick(tick(100, 2000 + i, 0))
    const sum = s.summary('requests', 20_000)
    expect(sum.completed).toBe(1000)
    expect(sum.rps).toBe(50)
    expect(sum.latencyMs!.min).toBe(2000)
    expect(sum.latencyMs!.max).toBe(2009)
    expect(sum.percentilesMs.map((p) => p.percentile)).toEqual([50, 66, 75, 80, 90, 95, 98, 99, 100])
  })
})
