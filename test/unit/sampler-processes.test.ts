/**
 * Several processes (sampler/processes.ts) as the tiles, the rows and the summary show them: a row per process from
 * the first frame and in process order, a replaced process starting again, the server's silence, loop turns and
 * events per turn over the processes, and the summary's worst delay, longest stall and mean utilization. Host clock
 * times are given by hand, so every expected figure is worked out here from the reports put in.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { buildHistogram, encodeHistogram } from '../../src/main/lab/histogram'
import { emptyErrorCounts } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import type { CrowdTick } from '../../src/main/lab/protocol'
import { workerReport } from '../helpers/subject-report'

const report = workerReport

/** the crowd's first request: the summary's figures start here */
function firstRequest(): CrowdTick {
  return {
    type: 'tick',
    at: 0,
    sent: 1,
    completed: 0,
    errors: emptyErrorCounts(),
    latencyHistogram: encodeHistogram(buildHistogram()),
    latencyMinMs: null,
    latencyMaxMs: null,
    inFlight: 1,
    push: null
  }
}

describe('the rows', () => {
  it('has a row for each process from the first frame, before any of them has spoken', () => {
    const s = new Sampler(withDefaults({ processes: 3 }), 0)
    const rows = s.frame(100).processes!
    expect(rows.map((r) => [r.process, r.stalled, r.stallMs, r.active])).toEqual([
      [1, false, 0, 0],
      [2, false, 0, 0],
      [3, false, 0, 0]
    ])
  })

  it('keeps process order after process 1 dies and a new one takes its number, whose silence is no stall', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    s.crowdTick(firstRequest(), 0)
    // process 1 beats until 300 ms and dies; process 2 goes on
    for (let t = 10; t <= 300; t += 10) s.heartbeat(t, 1, 1)
    for (let t = 10; t <= 1500; t += 10) s.heartbeat(t, 1, 2)
    expect(s.frame(900).processes!.map((r) => [r.process, r.stalled])).toEqual([
      [1, true],
      [2, false]
    ])
    s.processReplaced(1)
    const rows = s.frame(1500).processes!
    expect(rows.map((r) => [r.process, r.stalled, r.stallMs])).toEqual([
      [1, false, 0],
      [2, false, 0]
    ])
    expect(s.summary('stopped', 1500, null, 1500).processes!.map((r) => r.process)).toEqual([1, 2])
  })

  it('counts the reports of a process that took over after the first request in its summary row', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    s.crowdTick(firstRequest(), 50)
    for (let t = 100; t <= 1000; t += 100) {
      s.subjectReport(report(1, { utilization: 0.2 }), t)
      s.subjectReport(report(2, { utilization: 0.2 }), t)
    }
    s.processReplaced(2)
    // the new process 2 is busy 80% of the time from its first report on
    for (let t = 1100; t <= 2000; t += 100) {
      s.subjectReport(report(1, { utilization: 0.2 }), t)
      s.subjectReport(report(2, { utilization: 0.8 }), t)
    }
    const rows = s.summary('stopped', 2000, null, 2000).processes!
    expect(rows[1]!.process).toBe(2)
    expect(rows[1]!.utilization).toBeGreaterThanOrEqual(0.8)
  })
})

describe('the server as a whole', () => {
  it('is silent only while every process is: the shortest of their silences', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let t = 10; t <= 500; t += 10) s.heartbeat(t, 0, 1)
    s.heartbeat(100, 0, 2)
    expect(s.stallMs(500)).toBe(0)
    expect(s.stallMs(900)).toBe(400)
  })

  it("after the app's process is replaced, its silence until the new one speaks is no stall", () => {
    const s = new Sampler(withDefaults({ frontDoor: true }), 0)
    s.heartbeat(100, 0)
    s.appGone()
    expect(s.frame(1000)).toMatchObject({ stallMs: 0, stalled: false })
    expect(s.stallMs(1000)).toBe(0)
  })

  it('adds up loop turns over the processes and weighs events per turn by each one’s turns', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    // every 500 ms process 1 turns 500 times with 5 events each, process 2 turns 1500 times with 1 event each
    for (let i = 0; i <= 2; i++) {
      const t = 100 + i * 500
      s.heartbeat(t, 0, 1)
      s.heartbeat(t, 0, 2)
      s.subjectReport(report(1, { loopCount: 500 * i, events: 2500 * i }), t)
      s.subjectReport(report(2, { loopCount: 1500 * i, events: 1500 * i }), t)
    }
    const f = s.frame(1100)
    expect(f.processes).toHaveLength(2)
    // 1000 + 3000 turns a second; (5 × 1000 + 1 × 3000) / 4000 events per turn
    expect(f.loopTurnsPerS).toBe(4000)
    expect(f.eventsPerTurn).toBe(2)
  })

  it('takes events per turn from the process still turning while the other is stalled', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let i = 0; i <= 2; i++) {
      const t = 100 + i * 500
      s.subjectReport(report(1, { loopCount: 500 * i, events: 2500 * i }), t)
      s.subjectReport(report(2, { loopCount: 1500 * i, events: 1500 * i }), t)
    }
    for (let t = 10; t <= 1100; t += 10) s.heartbeat(t, 0, 1)
    s.heartbeat(500, 0, 2)
    const f = s.frame(1100)
    expect(f.processes!.map((r) => r.stalled)).toEqual([false, true])
    expect(f.loopTurnsPerS).toBe(1000)
    expect(f.eventsPerTurn).toBe(5)
  })

  it("says nothing of loop turns where the subject's Node cannot count them, rather than 0", () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let t = 100; t <= 1100; t += 100) {
      s.heartbeat(t, 0, 1)
      s.heartbeat(t, 0, 2)
      s.subjectReport(report(1), t)
      s.subjectReport(report(2), t)
    }
    expect(s.frame(1100)).toMatchObject({ loopTurnsPerS: null, eventsPerTurn: null })
  })

  it('shows 0 turns and no events per turn while every process is stalled', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let i = 0; i <= 2; i++) {
      const t = 100 + i * 500
      s.heartbeat(t, 0, 1)
      s.heartbeat(t, 0, 2)
      s.subjectReport(report(1, { loopCount: 500 * i, events: 2500 * i }), t)
      s.subjectReport(report(2, { loopCount: 1500 * i, events: 1500 * i }), t)
    }
    expect(s.frame(1400)).toMatchObject({ stalled: true, loopTurnsPerS: 0, eventsPerTurn: null })
  })
})

describe('the summary over several processes', () => {
  it('gives the worst delay p99, the longest stall and the mean of the utilizations', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    s.crowdTick(firstRequest(), 0)
    for (let t = 100; t <= 1000; t += 100) {
      s.heartbeat(t, 0, 1)
      if (t !== 500) s.heartbeat(t, 0, 2)
      s.subjectReport(report(1, { utilization: 0.9, p99Ms: 30 }), t)
      s.subjectReport(report(2, { utilization: 0.2, p99Ms: 4 }), t)
    }
    const sum = s.summary('stopped', 1000, null, 1000)
    // process 2 missed the beat at 500: 200 ms between 400 and 600
    expect(sum.loop).toEqual({ delayP99Ms: 30, maxStallMs: 200, utilization: 0.55 })
    expect(sum.processes).toEqual([
      { process: 1, delayP99Ms: 30, maxStallMs: 100, utilization: 0.9 },
      { process: 2, delayP99Ms: 4, maxStallMs: 200, utilization: 0.2 }
    ])
  })
})
