/**
 * Work "upstream" through the real Lab: the subject calls a backend in a process of its own, three ways. Rates are
 * read from the run's last frames (their window covers seconds of steady answers) with a tolerance for a loaded
 * 2-core machine; the bounds are theory's, and where the time goes (a connection of the pool, the backend) is counted.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { stackLabel } from '../../src/shared/blocked-stack'
import { LabError } from '../../src/shared/errors'
import type { Frame } from '../../src/shared/frame'
import { frameWhere, median, startLab, type Recorded } from '../helpers/run-lab'
import { alive } from '../helpers/process'

let current: Recorded | null = null
afterEach(async () => {
  await current?.lab.close()
  current = null
})

/** The backend: the subject's one child process. */
function backendPid(subjectPid: number): number {
  const children = readFileSync(`/proc/${subjectPid}/task/${subjectPid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  expect(children).toHaveLength(1)
  return Number(children[0])
}

/** Throughput over the run's last frames, once the rate window has seconds of answers in it. */
function steadyRps(frames: Frame[]): number {
  const late = frames.filter((f) => f.rps !== null && f.window.spanMs >= 3000).slice(-10)
  expect(late.length).toBeGreaterThan(0)
  return median(late.map((f) => f.rps!))
}

describe('work "upstream": a slow backend, fetched three ways', () => {
  it('evented with 10 connections and c = 50: the pool is the bottleneck, ≈ 10 / delay, 40 waiting for a connection', async () => {
    current = await startLab({ work: 'upstream', upstreamConnections: 10, concurrency: 50, delayMs: 500, durationS: 8 })
    const summary = await current.summary
    expect(current.errors).toEqual([])
    expect(summary.theoryRps).toBe(20)
    expect(steadyRps(current.frames)).toBeGreaterThan(20 * 0.85)
    expect(steadyRps(current.frames)).toBeLessThan(20 * 1.1)
    const steady = current.frames.filter((f) => f.t > 2000 && f.upstream)
    // the pool holds 10 at the backend; the other 40 of the crowd wait in it for a connection
    expect(median(steady.map((f) => f.upstream!.backendInFlight))).toBe(10)
    expect(median(steady.map((f) => f.upstream!.waitingForConnection))).toBeGreaterThanOrEqual(38)
    expect(median(steady.map((f) => f.upstream!.answerMs?.p50 ?? 0))).toBeGreaterThanOrEqual(500)
    expect(summary.upstream).toMatchObject({ failed: 0, backendExited: false, maxBackendInFlight: 10 })
    // every answer came from the backend; the reports' last 100 ms may hold one wave of the pool (10) either way
    expect(Math.abs(summary.upstream!.answered - summary.completed)).toBeLessThanOrEqual(10)
    expect(summary.upstream!.answerP50Ms).toBeGreaterThanOrEqual(500)
    // a timer of 500 ms, late by what the loaded machine adds
    expect(summary.upstream!.answerP50Ms).toBeLessThan(700)
    // each request's timeline says its work was at the backend, and took the backend's 500 ms there
    const bars = current.frames.flatMap((f) => f.timeline?.bars ?? []).filter((b) => b.workEndAt > b.workStartAt)
    expect(bars.length).toBeGreaterThan(20)
    expect(new Set(bars.map((b) => b.where))).toEqual(new Set(['backend']))
    // its work is the call on a connection (500 ms and what a loaded machine adds), not its wait for one: 50 calls
    // on 10 connections wait four calls of 500 ms each in the pool (drawn before the work, as the wait for a connection)
    const late = bars.filter((b) => b.handlerAt > 2000)
    expect(late.length).toBeGreaterThan(10)
    expect(median(late.map((b) => b.workEndAt - b.workStartAt))).toBeGreaterThanOrEqual(495)
    expect(median(late.map((b) => b.workEndAt - b.workStartAt))).toBeLessThan(900)
    expect(median(late.map((b) => b.workStartAt - b.handlerAt))).toBeGreaterThan(1500)
  })

  it("blocking: the synchronous call holds the loop for the backend's delay, ≈ 1 / delay, and the stall shows", async () => {
    current = await startLab({ work: 'upstream', blocking: true, concurrency: 10, delayMs: 500, durationS: 6 })
    const summary = await current.summary
    expect(current.errors).toEqual([])
    expect(summary.theoryRps).toBe(2)
    expect(steadyRps(current.frames)).toBeGreaterThan(2 * 0.8)
    expect(steadyRps(current.frames)).toBeLessThan(2 * 1.1)
    // the loop is held while the backend answers: stalls of about the delay, the loop busy throughout
    expect(summary.loop.maxStallMs).toBeGreaterThanOrEqual(450)
    expect(current.frames.some((f) => f.stalled && f.stallMs >= 300)).toBe(true)
    expect(summary.loop.utilization).toBeGreaterThan(0.8)
    // what held it: the synchronous client, called from the handler
    expect(stackLabel(summary.blockedStacks[0]!.stack)).toMatch(/^in syncGet \(sync-http\.js:\d+\) ← .*workHandler$/)
    // one call at a time reaches the backend
    expect(summary.upstream?.maxBackendInFlight).toBe(1)
  })

  it("blocking with a delay of 1 s: while the call holds the loop, the backend's figures keep arriving", async () => {
    current = await startLab({ work: 'upstream', blocking: true, concurrency: 3, delayMs: 1000, durationS: 6 })
    const summary = await current.summary
    expect(current.errors).toEqual([])
    // frames deep inside a stall (the call has reached the backend, its answer is not back yet)
    const held = current.frames.filter((f) => f.stalled && f.stallMs >= 300 && f.stallMs <= 900)
    expect(held.length).toBeGreaterThanOrEqual(10)
    // the subject's loop says nothing now; the backend says it holds the one call
    expect(held.every((f) => f.upstream?.backendInFlight === 1)).toBe(true)
    // and the answer before it, which came while this call held the loop: about the delay
    expect(held.some((f) => (f.upstream?.answerMs?.p50 ?? 0) >= 1000)).toBe(true)
    expect(Math.abs(summary.upstream!.answered - summary.completed)).toBeLessThanOrEqual(1)
  })

  it('on 4 threads with c = 20: ≈ 4 / delay, the loop free', async () => {
    current = await startLab({ work: 'upstream', threads: 4, concurrency: 20, delayMs: 500, durationS: 7 })
    const summary = await current.summary
    expect(current.errors).toEqual([])
    expect(summary.theoryRps).toBe(8)
    expect(steadyRps(current.frames)).toBeGreaterThan(8 * 0.85)
    expect(steadyRps(current.frames)).toBeLessThan(8 * 1.1)
    expect(summary.upstream!.maxBackendInFlight).toBe(4)
    expect(summary.loop.maxStallMs).toBeLessThan(300)
  })

  it('switches to the backend live, and resizes its pool of connections live: the wait moves to the backend', async () => {
    current = await startLab({ work: 'wait', concurrency: 20, delayMs: 300, durationS: 30 })
    await frameWhere(current.frames, (f) => f.completed > 0)
    expect(current.frames.at(-1)!.upstream).toBeUndefined()
    await current.lab.update({ work: 'upstream', upstreamConnections: 5 })
    // the backend starts on the first call that needs it; 5 at it, the other 15 wait for a connection
    await frameWhere(current.frames, (f) => f.upstream?.backendInFlight === 5 && f.upstream.waitingForConnection === 15)
    expect(current.frames.at(-1)!.theoryRps).toBeCloseTo(16.67, 1)
    await current.lab.update({ upstreamConnections: 20 })
    await frameWhere(current.frames, (f) => f.upstream?.backendInFlight === 20 && f.upstream.waitingForConnection === 0)
    expect(current.frames.at(-1)!.theoryRps).toBeCloseTo(66.67, 1)
    expect(current.errors).toEqual([])
    expect(current.frames.at(-1)!.errors).toBe(0)
  })

  it('refuses upstream settings out of range, naming the field and its range; the run keeps its settings', async () => {
    const lab0 = await import('../../src/main/lab/lab')
    const idle = new lab0.Lab()
    const startErr = await idle.start({ work: 'upstream', upstreamConnections: 1001 }).catch((e: unknown) => e)
    expect(startErr).toBeInstanceOf(LabError)
    expect(startErr).toMatchObject({
      field: 'upstreamConnections',
      message: 'upstreamConnections must be an integer number of connections to the backend from 1 to 1000 (got 1001)'
    })
    await idle.close()

    current = await startLab({ work: 'upstream', upstreamConnections: 5, concurrency: 5, delayMs: 200, durationS: 30 })
    await frameWhere(current.frames, (f) => f.completed > 0)
    const err = await current.lab.update({ upstreamJitterMs: -1 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'upstreamJitterMs' })
    expect((err as LabError).message).toContain('from 0 to 10000')
    expect(current.lab.status().settings).toMatchObject({ upstreamConnections: 5, upstreamJitterMs: 0 })
  })

  it('a backend that crashes mid-run is reported, its requests count as errors, and the run ends on time', async () => {
    current = await startLab({ work: 'upstream', concurrency: 5, delayMs: 200, durationS: 4 })
    await frameWhere(current.frames, (f) => f.completed >= 5)
    const pid = backendPid(current.lab.status().subjectPid!)
    process.kill(pid, 'SIGKILL')
    const summary = await current.summary
    expect(alive(pid)).toBe(false)
    expect(current.errors).toContainEqual(
      expect.objectContaining({
        code: 'LOOPSCOPE_ERR_UPSTREAM_EXITED',
        exit: { code: null, signal: 'SIGKILL' }
      })
    )
    expect(summary.reason).toBe('duration')
    expect(summary.errors).toBeGreaterThan(0)
    expect(summary.errorsByKind.non2xx).toBe(summary.errors)
    expect(summary.upstream).toMatchObject({ backendExited: true })
    // the subject's last report may be up to 100 ms older than the crowd's last answer, or newer: a call on the wire
    // when the run ended fails at the subject too, and the crowd counts that request as unanswered, not as an error
    // (CI read 3 such over the crowd's errors at c 5)
    expect(summary.upstream!.failed).toBeGreaterThan(0)
    expect(summary.upstream!.failed).toBeLessThanOrEqual(summary.errors + (summary.unanswered?.count ?? 0))
    expect(current.frames.at(-1)!.upstream).toMatchObject({ up: false, backendInFlight: 0 })
    // each request's bar in order, the failed calls' too: their work ends where the call failed
    const bars = current.frames.flatMap((f) => f.timeline?.bars ?? [])
    expect(bars.length).toBeGreaterThan(5)
    const outOfOrder = bars.filter(
      (b) => !(b.handlerAt <= b.workStartAt && b.workStartAt <= b.workEndAt && b.workEndAt <= b.writtenAt)
    )
    expect(outOfOrder).toEqual([])
  })
})
