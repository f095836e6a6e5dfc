/**
 * The loop tile's figures (sampler/loop.ts) as a frame and the summary show them: the stall and its threshold, the
 * loop delay p99 over the last second, the time-weighted utilization, libuv's turns, and the summary's
 * time-weighted p99. Host clock times are given by hand, so every expected figure is worked out here from the
 * reports, not read back from the code.
 */
import { describe, expect, it } from 'vitest'
import { LoopFigures } from '../../src/main/lab/sampler/loop'
import { STALL_THRESHOLD_MS } from '../../src/shared/frame'
import type { SubjectReport, UvMetrics } from '../../src/main/lab/protocol'

function report(p99Ms: number, utilization: number, uv?: Pick<UvMetrics, 'loopCount' | 'events'>): SubjectReport {
  return {
    type: 'report',
    active: 0,
    held: 0,
    published: 0,
    loopDelay: { p50Ms: 1, p99Ms, maxMs: p99Ms },
    utilization,
    rssBytes: 50e6,
    ...(uv ? { uv: { ...uv, eventsWaiting: 0 } } : {})
  }
}

describe('the stall', () => {
  it('reads 0 before the first heartbeat, however long the subject has been starting', () => {
    const loop = new LoopFigures(0)
    expect(loop.frame(5_000)).toMatchObject({ stallMs: 0, stalled: false, maxStallMs: 0 })
  })

  it('is the time since the last heartbeat, a stall only past the threshold', () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    expect(loop.frame(130)).toMatchObject({ stallMs: 30, stalled: false })
    expect(loop.frame(100 + STALL_THRESHOLD_MS)).toMatchObject({ stallMs: STALL_THRESHOLD_MS, stalled: false })
    expect(loop.frame(100 + STALL_THRESHOLD_MS + 1)).toMatchObject({ stallMs: STALL_THRESHOLD_MS + 1, stalled: true })
    expect(loop.stalled(100 + STALL_THRESHOLD_MS)).toBe(false)
    expect(loop.stalled(100 + STALL_THRESHOLD_MS + 1)).toBe(true)
    // a heartbeat stamped a moment after the frame's clock reading is not a negative stall
    expect(loop.frame(90).stallMs).toBe(0)
  })

  it('keeps the longest stall seen, between heartbeats and while one is under way, in frames and the summary', () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.heartbeat(400)
    loop.heartbeat(410)
    expect(loop.frame(420).maxStallMs).toBe(300)
    expect(loop.frame(1_000.4)).toMatchObject({ stallMs: 590, maxStallMs: 590 })
    expect(loop.summary(1_200).maxStallMs).toBe(790)
    loop.heartbeat(1_300)
    expect(loop.frame(1_310).maxStallMs).toBe(890)
  })

  it('is not a stall while the subject is replaced: the old process is not heard and the new one has not spoken', () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(2, 0.1, { loopCount: 1_000, events: 5_000 }), 100)
    loop.newSubject()
    expect(loop.frame(1_000)).toMatchObject({ stallMs: 0, stalled: false })
    // the new process counts its turns from its own start: its first report is no difference from the old one's
    loop.heartbeat(1_050)
    loop.report(report(2, 0.1, { loopCount: 10, events: 20 }), 1_050)
    expect(loop.frame(1_060)).toMatchObject({ stalled: false, loopTurnsPerS: null })
  })
})

describe('a frame over the last second of reports', () => {
  it('shows the highest delay p99 of the last second, to 2 decimals, and forgets reports a second old', () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(7.123, 0.1), 100)
    loop.heartbeat(600)
    loop.report(report(3.456, 0.1), 600)
    expect(loop.frame(620).loopDelayP99Ms).toBe(7.12)
    // at 1100 the report at 100 is a full second old: out of the window
    loop.heartbeat(1_090)
    expect(loop.frame(1_100).loopDelayP99Ms).toBe(3.46)
    loop.heartbeat(1_600)
    expect(loop.frame(1_600)).toMatchObject({ loopDelayP99Ms: 0, loopUtilization: 0 })
  })

  it("weighs each report's utilization by the time it covers, to 3 decimals", () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    // covers 0–100 at 20%, then 100–600 at 80%: (20 + 400) / 600
    expect(loop.report(report(1, 0.2), 100)).toBeCloseTo(20, 9)
    loop.heartbeat(600)
    expect(loop.report(report(1, 0.8), 600)).toBeCloseTo(400, 9)
    expect(loop.frame(610).loopUtilization).toBe(0.7)
    loop.heartbeat(900)
    // 600–900 at 1/3: (20 + 400 + 100) / 900 = 0.5777…
    loop.report(report(1, 1 / 3), 900)
    expect(loop.frame(900).loopUtilization).toBe(0.578)
  })

  it('counts a report at the same moment as the one before as covering 1 ms, not nothing', () => {
    const loop = new LoopFigures(100)
    expect(loop.report(report(1, 0.5), 100)).toBe(0.5)
  })

  it('reads a stalled loop as busy and at least as late as the stall, over at most the last second', () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(2, 0.1, { loopCount: 100, events: 100 }), 100)
    loop.heartbeat(150)
    loop.report(report(2, 0.1, { loopCount: 150, events: 200 }), 150)
    // stalled since 150; at 450 the window holds the reports at 100 and 150 (0.1 busy over 150 ms) and 300 ms busy
    const f = loop.frame(450)
    expect(f).toMatchObject({ stalled: true, stallMs: 300, loopDelayP99Ms: 300, loopTurnsPerS: 0, eventsPerTurn: null })
    expect(f.loopUtilization).toBe(Math.round(((0.1 * 100 + 0.1 * 50 + 300) / 450) * 1000) / 1000)
    // at 3150 the reports are out of the window; the open stretch counts for the last second only
    expect(loop.frame(3_150)).toMatchObject({
      stalled: true,
      stallMs: 3_000,
      loopDelayP99Ms: 3_000,
      loopUtilization: 1
    })
  })

  it("shows libuv's loop turns a second and events per turn from the differences between reports", () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(1, 0.1, { loopCount: 1_000, events: 4_000 }), 100)
    // the first report's counts go back to the process's start
    expect(loop.frame(110)).toMatchObject({ loopTurnsPerS: null, eventsPerTurn: null })
    loop.heartbeat(200)
    loop.report(report(1, 0.1, { loopCount: 1_050, events: 4_150 }), 200)
    loop.heartbeat(400)
    loop.report(report(1, 0.1, { loopCount: 1_070, events: 4_160 }), 400)
    // (50 + 20) turns over (100 + 200) ms; (150 + 10) events over 70 turns
    expect(loop.frame(410)).toMatchObject({ loopTurnsPerS: 233, eventsPerTurn: 2.29 })
  })

  it("reads 0 turns and no events per turn when the loop did not turn, and null without libuv's counts", () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(1, 0.1, { loopCount: 10, events: 10 }), 100)
    loop.heartbeat(200)
    loop.report(report(1, 0.1, { loopCount: 10, events: 10 }), 200)
    expect(loop.frame(210)).toMatchObject({ loopTurnsPerS: 0, eventsPerTurn: null })
    const old = new LoopFigures(0)
    old.heartbeat(100)
    old.report(report(1, 0.1), 100)
    old.heartbeat(200)
    old.report(report(1, 0.1), 200)
    expect(old.frame(210)).toMatchObject({ loopTurnsPerS: null, eventsPerTurn: null })
  })
})

describe('the summary', () => {
  it("starts at the crowd's first request: the warm-up's reports are not in it", () => {
    const loop = new LoopFigures(0)
    loop.heartbeat(100)
    loop.report(report(40, 0.9), 100)
    expect(loop.summary(150)).toEqual({ delayP99Ms: 0, maxStallMs: 50, utilization: 0 })
    // a stall during the warm-up is not the run's either (its longest stall is still shown)
    expect(loop.summary(180)).toEqual({ delayP99Ms: 0, maxStallMs: 80, utilization: 0 })
    loop.startClock(150)
    loop.heartbeat(200)
    loop.report(report(2, 0.25), 200)
    loop.startClock(250)
    loop.heartbeat(300)
    loop.report(report(4, 0.75), 300)
    // each report covers 100 ms: utilization (25 + 75) / 200; p99 of the time covered: 4 ms covers the top half
    expect(loop.summary(300)).toEqual({ delayP99Ms: 4, maxStallMs: 100, utilization: 0.5 })
  })

  it('weighs the delay p99 by time: a 2-s block among a hundred 10-ms reports is the p99', () => {
    const loop = new LoopFigures(0)
    loop.startClock(0)
    let t = 0
    for (let i = 0; i < 100; i++) {
      t += 10
      loop.heartbeat(t)
      loop.report(report(1.5, 0.1), t)
    }
    t += 2_000
    loop.heartbeat(t)
    loop.report(report(2_000.456, 1), t)
    expect(loop.summary(t).delayP99Ms).toBe(2_000.46)
  })

  it('takes the delay the loop was at or below for 99% of the time: exactly 99% at 2 ms reads 2 ms', () => {
    const loop = new LoopFigures(0)
    loop.startClock(0)
    // 990 ms at 2 ms, then 10 ms at 900 ms: the loop was at 2 ms or below for 99% of the time
    loop.heartbeat(990)
    loop.report(report(2, 0.1), 990)
    loop.heartbeat(1_000)
    loop.report(report(900, 0.1), 1_000)
    expect(loop.summary(1_000).delayP99Ms).toBe(2)
  })

  it("counts a stall under way at the end as busy time at the stall's delay, however long it lasted", () => {
    const loop = new LoopFigures(0)
    loop.startClock(0)
    loop.heartbeat(100)
    loop.report(report(1, 0), 100)
    // blocked from 100 to 3100: 3 s busy after 100 ms idle
    expect(loop.summary(3_100)).toEqual({ delayP99Ms: 3_000, maxStallMs: 3_000, utilization: 0.968 })
  })
})
