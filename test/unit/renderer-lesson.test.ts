import { describe, expect, it } from 'vitest'
import { toRow, type Row } from '../../src/renderer/src/frames/frame-window'
import { checkStep, stepSettings, type Lesson, type RunView } from '../../src/renderer/src/lessons/lesson'
import { LESSONS } from '../../src/renderer/src/lessons'
import { NODE_2009 } from '../../src/renderer/src/lessons/node-2009'
import { THREE_WAYS } from '../../src/renderer/src/lessons/three-ways'
import { DEPLOY } from '../../src/renderer/src/lessons/deploy'
import type { Frame, Summary } from '../../src/shared/frame'
import { applyPatch, withDefaults, type Settings } from '../../src/shared/settings'
import { theoryRps } from '../../src/shared/theory'
import { makeFrame, pushFrame } from './renderer-fixtures'

const frame = (i: number, extra: Partial<Frame> = {}): Frame =>
  makeFrame(i * 100, { latencyMs: null, stallMs: 2, ...extra })
const rows = (n: number, extra: (i: number) => Partial<Frame> = () => ({})): Row[] =>
  Array.from({ length: n }, (_, i) => toRow(frame(i, extra(i))))

function summary(settings: Settings, over: Partial<Summary>): Summary {
  return {
    settings,
    reason: 'requests',
    completed: 1000,
    errors: 0,
    errorsByKind: { refused: 0, reset: 0, timeout: 0, non2xx: 0, other: 0 },
    durationMs: 20_100,
    rps: 49.7,
    theoryRps: 50,
    latencyMs: { min: 2000.3, mean: 2007, p50: 2007, p90: 2012, p99: 2017, max: 2022 },
    percentilesMs: [],
    loop: { delayP99Ms: 2, maxStallMs: 20, utilization: 0.04 },
    maxInFlight: 100,
    maxQueued: 3,
    unanswered: { count: 0, oldestWaitMs: null },
    marks: [],
    push: null,
    blockedStacks: [],
    ...over
  }
}

const settingsOf = (lesson: Lesson, i: number): Settings => withDefaults(stepSettings(lesson, i))
const idle: RunView = { running: false, settings: null, rows: [], marks: [], summary: null }

describe('the lessons’ content', () => {
  it('gives every step settings the schema accepts, and at least one check', () => {
    for (const lesson of LESSONS) {
      lesson.steps.forEach((step, i) => {
        expect(() => settingsOf(lesson, i), `${lesson.id} step ${i + 1}`).not.toThrow()
        expect(step.checks.length).toBeGreaterThan(0)
      })
      expect(lesson.steps[0]!.kind).toBe('run')
    }
  })

  it('expects the throughput Little’s law gives for the step’s settings, wherever a step checks req/s', () => {
    // the checks' targets and the dashboard's theory line must tell the same story; the figures are worked out by
    // hand from the steps' settings (not by theoryRps, which is what is being checked against)
    const byHand: Record<string, (number | null)[]> = {
      // (step 1 is the introduction) 100 / 2 s, 1 / 2 s (blocking), min(100, 10 threads) / 2 s
      'node-2009': [null, 50, 0.5, 5],
      // closed c = 10 and c = 100 at a 50-req/s ceiling, open at 40/s, then open at 60/s against the ceiling
      'open-closed': [50, 50, 40, 50],
      // a backend of 500 ms: 50 connections for 50 users, a pool of 10, one call at a time (blocking), 10 threads;
      // then a 500-ms block on 2 processes: min(50, 2) / 500 ms
      friendfeed: [100, 20, 2, 20, 4],
      // min(20, 4 pool threads) / 500 ms, min(20, 16) / 500 ms, min(4, 4) / 1 s, min(3, 4) / 1 s
      'libuv-pool': [8, 32, 4, 3]
    }
    let checked = 0
    for (const lesson of LESSONS) {
      lesson.steps.forEach((step, i) => {
        const rps = step.checks.find((c) => c.id === 'rps')
        if (!rps) return
        const expected = byHand[lesson.id]?.[i]
        expect(expected, `${lesson.id} step ${i + 1} checks req/s: give its figure here`).toEqual(expect.any(Number))
        checked++
        expect(theoryRps(settingsOf(lesson, i)), `${lesson.id} step ${i + 1}: the theory line`).toBe(expected)
        expect(rps.pass(expected!), `${lesson.id} step ${i + 1}: the check`).toBe(true)
        expect(rps.pass(expected! * 0.75)).toBe(false)
        expect(rps.pass(expected! * 1.25)).toBe(false)
      })
    }
    // 2009: evented, blocking, threads; open/closed: all four; friendfeed: all five; libuv's pool: all four
    expect(checked).toBe(16)
  })

  it('builds a change step on the previous step’s settings', () => {
    const blocked = NODE_2009.steps.findIndex((s) => s.id === 'nodecast-blocked')
    expect(NODE_2009.steps[blocked]!.kind).toBe('change')
    expect(stepSettings(NODE_2009, blocked)).toEqual({ ...stepSettings(NODE_2009, blocked - 1), blocking: true })
  })
})

describe('judging a step', () => {
  const evented = 1 // the 2-s experiment

  it('waits for a run, and says so', () => {
    expect(checkStep(NODE_2009, evented, idle).every((c) => c.state === 'waiting' && c.why === 'run this step')).toBe(
      true
    )
  })

  it('judges the ended run with the step’s settings on its summary, with the figures', () => {
    const s = settingsOf(NODE_2009, evented)
    const passed = checkStep(NODE_2009, evented, { ...idle, settings: s, summary: summary(s, {}) })
    expect(passed.map((c) => c.state)).toEqual(['passed', 'passed', 'passed', 'passed'])
    expect(passed[0]).toEqual({ state: 'passed', value: '49.7 req/s' })
    const blocked = checkStep(NODE_2009, evented, {
      ...idle,
      settings: s,
      summary: summary(s, { rps: 0.5, maxQueued: 99 })
    })
    expect(blocked.map((c) => c.state)).toEqual(['failed', 'passed', 'passed', 'failed'])
  })

  it('does not judge a run with other settings: a summary of another step, or a setting changed by hand', () => {
    const other = settingsOf(NODE_2009, 0)
    expect(
      checkStep(NODE_2009, evented, { ...idle, summary: summary(other, {}) }).every((c) => c.state === 'waiting')
    ).toBe(true)
    const changed = applyPatch(settingsOf(NODE_2009, evented), { concurrency: 10 })
    const states = checkStep(NODE_2009, evented, {
      running: true,
      settings: changed,
      rows: rows(30),
      marks: [],
      summary: null
    })
    expect(states.every((c) => c.state === 'waiting' && c.why === 'the run on now has other settings')).toBe(true)
  })

  it('does not judge a run that was changed on the way or stopped before its end', () => {
    const s = settingsOf(NODE_2009, evented)
    const changed = checkStep(NODE_2009, evented, {
      ...idle,
      summary: summary(s, { marks: [{ t: 5000, label: 'c 10 → 100', patch: { concurrency: 100 } }] })
    })
    expect(changed.every((c) => c.state === 'waiting' && c.why.startsWith('settings changed'))).toBe(true)
    const stopped = checkStep(NODE_2009, evented, { ...idle, summary: summary(s, { reason: 'stopped', rps: 40 }) })
    expect(stopped.every((c) => c.state === 'waiting' && c.why.startsWith('the run did not reach its end'))).toBe(true)
  })

  it('judges a live check on the frames since the step’s settings took effect, once there are enough', () => {
    const blockedStep = NODE_2009.steps.findIndex((st) => st.id === 'nodecast-blocked')
    const s = settingsOf(NODE_2009, blockedStep)
    const lp = (held: number, p99: number) => ({
      push: pushFrame({ held, deliveryMs: { p50: p99, p90: p99, p99, max: p99 } })
    })
    const change = { t: 10_000, label: 'blocking on', patch: { blocking: true } }
    // 2 s after the change (figures from 1 s after it count): not enough for the 5-s check yet, enough for the 1-s one
    const early = rows(120, (i) => lp(1000, i < 100 ? 20 : 300))
    const [delivery, held] = checkStep(NODE_2009, blockedStep, {
      running: true,
      settings: s,
      rows: early,
      marks: [change],
      summary: null
    })
    expect(delivery).toEqual({ state: 'waiting', why: 'measuring…' })
    expect(held).toEqual({ state: 'passed', value: '1,000' })
    // 6 s after: judged on those frames only (the evented 20 ms from before the change do not count)
    const later = rows(160, (i) => lp(i % 10 === 0 ? 0 : 1000, i < 100 ? 20 : i === 150 ? 320 : 90))
    const judged = checkStep(NODE_2009, blockedStep, {
      running: true,
      settings: s,
      rows: later,
      marks: [change],
      summary: null
    })
    expect(judged).toEqual([
      { state: 'passed', value: '320 ms' },
      { state: 'passed', value: '1,000' }
    ])
  })

  it('tells the transports apart in the three-ways lesson: long polling’s re-polls and big deliveries, the streams’ none and small', () => {
    const lpStep = THREE_WAYS.steps.findIndex((st) => st.id === 'long-poll')
    const sseStep = THREE_WAYS.steps.findIndex((st) => st.id === 'sse')
    const storm = rows(60, () => ({
      loopUtilization: 0.9,
      push: pushFrame({ subscribers: 5_000, requestsPerS: 9_000, bytesInPerDelivery: 385 })
    }))
    const lpView: RunView = {
      running: true,
      settings: settingsOf(THREE_WAYS, lpStep),
      rows: storm,
      marks: [],
      summary: null
    }
    expect(checkStep(THREE_WAYS, lpStep, lpView).map((c) => c.state)).toEqual(['passed', 'passed', 'passed'])
    // the SSE step judged on frames that are still long polling's: its checks fail, they do not pass by default
    const moved = { t: 1_000, label: 'transport long polling → SSE', patch: { transport: 'sse' as const } }
    const sseView: RunView = {
      running: true,
      settings: settingsOf(THREE_WAYS, sseStep),
      rows: storm,
      marks: [moved],
      summary: null
    }
    expect(checkStep(THREE_WAYS, sseStep, sseView).map((c) => c.state)).toEqual(['passed', 'failed', 'failed'])
    const streams = rows(60, () => ({
      push: pushFrame({ transport: 'sse', subscribers: 5_000, held: 0, requestsPerS: 0, bytesInPerDelivery: 77 })
    }))
    expect(checkStep(THREE_WAYS, sseStep, { ...sseView, rows: streams }).map((c) => c.state)).toEqual([
      'passed',
      'passed',
      'passed'
    ])
  })
})

describe('the deploy lesson', () => {
  const hold = (over: Partial<NonNullable<Summary['hold']>>): NonNullable<Summary['hold']> => ({
    holds: 0,
    heldRequests: 0,
    longestHoldMs: null,
    restarts: 1,
    appPids: [10, 11],
    failedAtApp: { reset: 0, refused: 0 },
    ...over
  })
  const acts = [
    { t: 3000, label: 'hold', patch: { hold: true } },
    { t: 4000, label: 'restart (process 10)', patch: {} },
    { t: 6000, label: 'release', patch: { hold: false } }
  ]

  it('judges a run whose only marks are the hold, the restart and the release: what the step asks the reader to do', () => {
    const s = settingsOf(DEPLOY, 1)
    const clean = summary(s, {
      reason: 'duration',
      marks: acts,
      hold: hold({ holds: 1, heldRequests: 50, longestHoldMs: 3000 })
    })
    expect(checkStep(DEPLOY, 1, { ...idle, summary: clean }).map((c) => c.state)).toEqual([
      'passed',
      'passed',
      'passed'
    ])
    const failed = summary(s, {
      reason: 'duration',
      marks: acts,
      errors: 3,
      hold: hold({ holds: 1, heldRequests: 50 })
    })
    expect(checkStep(DEPLOY, 1, { ...idle, summary: failed }).map((c) => c.state)).toEqual([
      'passed',
      'passed',
      'failed'
    ])
    const changed = summary(s, {
      reason: 'duration',
      marks: [...acts, { t: 7000, label: 'c 50 → 10', patch: { concurrency: 10 } }],
      hold: hold({})
    })
    expect(
      checkStep(DEPLOY, 1, { ...idle, summary: changed }).every(
        (c) => c.state === 'waiting' && c.why.startsWith('settings changed')
      )
    ).toBe(true)
  })

  it('fails the first step’s checks for a run that was not restarted, or restarted without a failure', () => {
    const s = settingsOf(DEPLOY, 0)
    const restarted = summary(s, { reason: 'duration', marks: [acts[1]!], errors: 48, hold: hold({}) })
    expect(checkStep(DEPLOY, 0, { ...idle, summary: restarted }).map((c) => c.state)).toEqual(['passed', 'passed'])
    const not = summary(s, { reason: 'duration', hold: hold({ restarts: 0, appPids: [10] }) })
    expect(checkStep(DEPLOY, 0, { ...idle, summary: not }).map((c) => c.state)).toEqual(['failed', 'failed'])
  })
})
