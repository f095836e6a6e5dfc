/**
 * Several subject processes with work "upstream" and with the front door, through the real Lab: the workers share
 * one backend (the cluster primary's) through a pool of connections each, the bound counts every pool, a backend
 * that dies is reported once for all of them, and a restart behind the front door replaces the whole app (primary
 * and workers) without failing a request under a hold. Rates as ratios to the bound, never a tight time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Frame } from '../../src/shared/frame'
import { alive, childPids, runsScript } from '../helpers/process'
import { frameWhere, median, sleep, startLab, type Recorded } from '../helpers/run-lab'

let current: Recorded | null = null
afterEach(async () => {
  await current?.lab.close()
  current = null
})

/** The primary's children that run the backend, and the workers' own children that do (there should be none). */
function backends(primaryPid: number): { primary: number[]; workers: number[] } {
  const children = childPids(primaryPid)
  const isBackend = (pid: number): boolean => runsScript(pid, 'backend.js')
  return {
    primary: children.filter(isBackend),
    workers: children.filter((pid) => !isBackend(pid)).flatMap((w) => childPids(w).filter(isBackend))
  }
}

const steady = (frames: Frame[]): Frame[] => frames.filter((f) => f.rps !== null && f.window.spanMs >= 3000)

describe('work "upstream" with two processes', () => {
  it('one backend for both, a pool of 2 connections in each: the bound counts every pool, and the waiting adds up', async () => {
    current = await startLab({
      processes: 2,
      work: 'upstream',
      upstreamConnections: 2,
      concurrency: 20,
      delayMs: 300,
      durationS: 8
    })
    await frameWhere(current.frames, (f) => f.completed >= 8, 15_000)
    // the primary started the one backend; no worker started one of its own
    const found = backends(current.lab.status().subjectPid!)
    expect(found.primary).toHaveLength(1)
    expect(found.workers).toEqual([])
    const summary = await current.summary
    expect(current.errors).toEqual([])
    // min(c 20, 2 processes × 2 connections) / 300 ms, with the connections spread evenly
    expect(summary.theoryRps).toBe(13.33)
    // The crowd opens its 20 connections at once, and round-robin hands one only to a worker that has taken its
    // last: here 11 / 9 most often, once in five runs 19 / 1 (the strip says so). Each process serves at most its
    // pool's 2 at a time, so what the two serve together is read from the spread the run got.
    const late = steady(current.frames).slice(-12, -2)
    expect(late.length).toBeGreaterThan(0)
    const spread = [0, 1].map((i) => median(late.map((f) => f.processes![i]!.active)))
    // (a heartbeat may come between an answer and the crowd's next request)
    expect(spread.reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(18)
    const atBackend = spread.reduce((a, n) => a + Math.min(n, 2), 0)
    const rps = median(late.map((f) => f.rps!))
    expect(rps / (atBackend / 0.3)).toBeGreaterThan(0.85)
    expect(rps / (atBackend / 0.3)).toBeLessThan(1.1)
    // both pools reach the one backend; the rest of the crowd waits in the two pools together
    // (a gauge sampled each 100 ms: a call between its answer and the next may be missing from one)
    expect(Math.abs(median(late.map((f) => f.upstream!.backendInFlight)) - atBackend)).toBeLessThanOrEqual(1)
    expect(median(late.map((f) => f.upstream!.waitingForConnection))).toBeGreaterThanOrEqual(18 - atBackend)
    expect(summary.upstream).toMatchObject({ failed: 0, backendExited: false })
    expect(summary.upstream!.maxBackendInFlight).toBeGreaterThanOrEqual(atBackend - 1)
    // never more at the backend than the two pools hold
    expect(summary.upstream!.maxBackendInFlight).toBeLessThanOrEqual(4)
    expect(summary.processes?.map((p) => p.process)).toEqual([1, 2])
  })

  it('the backend killed mid-run: said once (not once per process), every call fails with a 502, the run ends on time', async () => {
    current = await startLab({ processes: 2, work: 'upstream', concurrency: 6, delayMs: 200, durationS: 5 })
    await frameWhere(current.frames, (f) => f.completed >= 10, 15_000)
    const [backend] = backends(current.lab.status().subjectPid!).primary
    expect(backend).toBeDefined()
    process.kill(backend!, 'SIGKILL')
    const summary = await current.summary
    expect(alive(backend!)).toBe(false)
    const exited = current.errors.filter((e) => e.code === 'LOOPSCOPE_ERR_UPSTREAM_EXITED')
    expect(exited).toHaveLength(1)
    expect(exited[0]).toMatchObject({ exit: { code: null, signal: 'SIGKILL' } })
    expect(summary.reason).toBe('duration')
    expect(summary.errors).toBeGreaterThan(0)
    expect(summary.errorsByKind.non2xx).toBe(summary.errors)
    expect(summary.upstream).toMatchObject({ backendExited: true })
    expect(current.frames.at(-1)!.upstream).toMatchObject({ up: false, backendInFlight: 0 })
    // after the kill, nothing is answered: every request of both processes fails at once
    const killedAt = current.frames.find((f) => f.upstream && !f.upstream.up)!.t
    const atKill = current.frames.find((f) => f.t >= killedAt)!.completed
    expect(current.frames.at(-1)!.completed - atKill).toBeLessThanOrEqual(6)
  })
})

describe('the front door with two processes', () => {
  it('a restart under a hold replaces the primary and both workers, and not one request fails', async () => {
    current = await startLab({ processes: 2, frontDoor: true, concurrency: 20, delayMs: 200, durationS: 60 })
    const r = current
    await frameWhere(r.frames, (f) => f.completed >= 60, 15_000)
    const firstPid = r.lab.status().subjectPid!
    const firstWorkers = childPids(firstPid)
    expect(firstWorkers).toHaveLength(2)
    await r.lab.update({ hold: true })
    await r.lab.restartApp()
    const pid = r.lab.status().subjectPid!
    expect(pid).not.toBe(firstPid)
    // the whole app went: the old primary and its workers (a kill of the group; each gone once it is reaped)
    const old = [firstPid, ...firstWorkers]
    for (let i = 0; i < 20 && old.some(alive); i++) await sleep(100)
    expect(old.filter(alive)).toEqual([])
    expect(childPids(pid)).toHaveLength(2)
    await r.lab.update({ hold: false })
    const after = r.frames.at(-1)!.completed
    // the new processes serve, both of them
    await frameWhere(r.frames, (f) => f.completed >= after + 60, 15_000)
    const s = (await r.lab.stop())!
    expect(s.errors).toBe(0)
    expect(s.hold).toMatchObject({ restarts: 1, appPids: [firstPid, pid], failedAtApp: { reset: 0, refused: 0 } })
    const served = r.frames.filter((f) => f.hold?.appPid === pid && f.processes)
    expect(served.length).toBeGreaterThan(0)
    expect(served.every((f) => f.processes!.length === 2)).toBe(true)
    expect(served.some((f) => f.processes!.every((p) => !p.stalled))).toBe(true)
    // the replacement's silence was no stall, of the server or of either process
    const during = r.frames.filter((f) => f.hold?.restarting)
    expect(during.every((f) => !f.stalled && f.processes!.every((p) => !p.stalled))).toBe(true)
  })
})
