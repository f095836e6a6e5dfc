/**
 * work "libuv" through the real Lab: an "asynchronous" handler whose work holds a thread of libuv's pool queues
 * behind UV_THREADPOOL_SIZE threads. Ratios to the Little's-law bound with honest tolerances, never a tight time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Frame } from '../../src/shared/frame'
import { frameWhere, median, runLab, startLab, type Recorded } from '../helpers/run-lab'
import { Lab } from '../../src/main/lab/lab'

/** frames taken while the whole crowd was in flight (the first requests sent, none of the last answered yet) */
const full = (frames: Frame[], c: number): Frame[] => frames.filter((f) => f.inFlight === c && f.libuvPool)

describe('work "libuv": the pool of four', () => {
  let current: Recorded | null = null
  afterEach(async () => {
    await current?.lab.close()
    current = null
  })

  it('with 4 pool threads and c = 20, req/s ≈ 4 / delay and about 16 requests wait for a pool thread', async () => {
    const { summary, frames, errors } = await runLab({
      work: 'libuv',
      uvThreadpoolSize: 4,
      concurrency: 20,
      delayMs: 500,
      requests: 48
    })
    expect(errors).toEqual([])
    expect(summary.completed).toBe(48)
    expect(summary.errors).toBe(0)
    expect(summary.theoryRps).toBe(8)
    expect(summary.rps / 8).toBeGreaterThan(0.75)
    expect(summary.rps / 8).toBeLessThanOrEqual(1.05)
    // no request beats its delay: each held a thread for all of it
    expect(summary.latencyMs!.min).toBeGreaterThanOrEqual(500)
    const busy = full(frames, 20)
    expect(busy.length).toBeGreaterThan(5)
    expect(median(busy.map((f) => f.libuvPool!.busy))).toBe(4)
    expect(median(busy.map((f) => f.libuvPool!.waiting))).toBe(16)
    // the requests waiting inside libuv are queued, not being served
    expect(median(busy.map((f) => f.active))).toBe(4)
    expect(median(busy.map((f) => f.queued))).toBe(16)
    expect(summary.libuvPool).toMatchObject({ size: 4, maxBusy: 4, maxWaiting: 16 })
    // an unrelated file read on the same pool waits behind the queued tasks: at least a delay
    expect(summary.libuvPool!.maxFileReadMs).toBeGreaterThanOrEqual(500)
    expect(Math.max(...busy.map((f) => f.libuvPool!.fileReadMs ?? 0))).toBeGreaterThanOrEqual(500)
  })

  it('starves an unrelated file read while every thread is held, and not with one thread spare', async () => {
    const held = await runLab({ work: 'libuv', uvThreadpoolSize: 4, concurrency: 4, delayMs: 1000, requests: 12 })
    expect(held.summary.libuvPool).toMatchObject({ maxBusy: 4, maxWaiting: 0 })
    // it waits for the first thread to come free: up to a delay, so at least half of one at some point
    expect(held.summary.libuvPool!.maxFileReadMs).toBeGreaterThanOrEqual(500)
    const spare = await runLab({ work: 'libuv', uvThreadpoolSize: 4, concurrency: 3, delayMs: 1000, requests: 9 })
    expect(spare.summary.libuvPool!.maxBusy).toBe(3)
    // a spare thread takes it at once: nowhere near a delay
    expect(spare.summary.libuvPool!.maxFileReadMs).toBeLessThan(250)
  })

  it('with 8 pool threads the same handler does twice as much: ≈ 8 / delay, about 12 waiting', async () => {
    const { summary, frames } = await runLab({
      work: 'libuv',
      uvThreadpoolSize: 8,
      concurrency: 20,
      delayMs: 500,
      requests: 96
    })
    expect(summary.completed).toBe(96)
    expect(summary.theoryRps).toBe(16)
    expect(summary.rps / 16).toBeGreaterThan(0.75)
    expect(summary.rps / 16).toBeLessThanOrEqual(1.05)
    const busy = full(frames, 20)
    expect(median(busy.map((f) => f.libuvPool!.busy))).toBe(8)
    expect(median(busy.map((f) => f.libuvPool!.waiting))).toBe(12)
    expect(summary.libuvPool!.size).toBe(8)
  })

  it('blocking: the same work synchronously on the loop, one request at a time (1 / delay), the pool unused', async () => {
    const { summary, frames } = await runLab({
      work: 'libuv',
      blocking: true,
      concurrency: 4,
      delayMs: 200,
      requests: 8
    })
    expect(summary.completed).toBe(8)
    expect(summary.theoryRps).toBe(5)
    expect(summary.rps / 5).toBeGreaterThan(0.7)
    expect(summary.rps / 5).toBeLessThanOrEqual(1.05)
    expect(summary.loop.maxStallMs).toBeGreaterThanOrEqual(200)
    expect(frames.some((f) => f.libuvPool)).toBe(false)
    expect(summary.libuvPool).toBeUndefined()
  })

  it('refuses a pool size out of range, and a change of it mid-run, naming the field; the run goes on', async () => {
    for (const bad of [0, 129, 2.5]) {
      const lab = new Lab()
      await expect(lab.start({ work: 'libuv', uvThreadpoolSize: bad })).rejects.toMatchObject({
        code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
        field: 'uvThreadpoolSize',
        message: expect.stringContaining('from 1 to 128')
      })
      expect(lab.status().running).toBe(false)
    }
    current = await startLab({ work: 'libuv', uvThreadpoolSize: 4, concurrency: 8, delayMs: 300, durationS: 10 })
    await frameWhere(current.frames, (f) => (f.libuvPool?.busy ?? 0) === 4)
    await expect(current.lab.update({ uvThreadpoolSize: 16 })).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
      field: 'uvThreadpoolSize',
      message: 'uvThreadpoolSize applies when a run starts: stop the run, change it, and start again'
    })
    expect(current.lab.status().settings.uvThreadpoolSize).toBe(4)
    const seen = current.frames.length
    await frameWhere(
      current.frames,
      (f) => current!.frames.indexOf(f) > seen && f.libuvPool!.size === 4 && f.libuvPool!.busy === 4
    )
  })

  it('refuses work "libuv" with threads, naming threads', async () => {
    const lab = new Lab()
    const err = await lab.start({ work: 'libuv', threads: 4 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'threads' })
    expect(String((err as Error).message)).toContain('threads must be 0 with work "libuv"')
  })
})
