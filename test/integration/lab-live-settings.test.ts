/**
 * Settings reach the subject out of band: through its control thread, so a loop held by blocking work takes a
 * change as soon as the request in progress ends, and a change or a stop sent while a run starts is not lost.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { FRAME_INTERVAL_MS, type Frame } from '../../src/shared/frame'
import { Lab } from '../../src/main/lab/lab'
import type { SubjectProcess } from '../../src/main/lab/protocol'
import { frameWhere, sleep, startLab, type Recorded } from '../helpers/run-lab'
import { alive } from '../helpers/process'

let current: Recorded | null = null
let lab: Lab | null = null
afterEach(async () => {
  await current?.lab.close()
  await lab?.close()
  current = lab = null
})

/** The frame nearest to t (ms since the run started). */
const at = (frames: Frame[], t: number): Frame =>
  frames.reduce((best, f) => (Math.abs(f.t - t) < Math.abs(best.t - t) ? f : best))

const CONCURRENCY = 20
const WAVES = 3
/**
 * Longer than any evented hiccup (a wave of 20 answers, a GC, a busy machine: up to ~100 ms seen), shorter than any
 * block here (≥ 500 ms): a frame whose loop has gone this long without a heartbeat is inside a block.
 */
const BLOCKED_MS = 250

describe('blocking off while the loop is blocked', () => {
  for (const delayMs of [500, 2000]) {
    it(`ends the stall within delay + 1 s and then answers at the evented rate (delay ${delayMs} ms)`, async () => {
      current = await startLab({ concurrency: CONCURRENCY, delayMs, blocking: true, durationS: 60 })
      // the loop is well into a block (the crowd's start-up takes a second or more on a busy machine)
      await frameWhere(current.frames, (f) => f.stallMs > delayMs * 0.9, 15_000)
      await current.lab.update({ blocking: false })
      const markT = (await frameWhere(current.frames, (f) => f.marks.length > 0)).marks[0]!.t
      // Time for the block in progress to end, then for WAVES evented round trips, plus a margin.
      await sleep(delayMs + 1000 + WAVES * delayMs + 500)
      const frames = current.frames
      const lastBlocked = frames.filter((f) => f.t > markT && f.stallMs > BLOCKED_MS).at(-1)
      const recoveredT = (lastBlocked?.t ?? markT) + FRAME_INTERVAL_MS
      expect(recoveredT - markT, 'the stall ended this long after the change').toBeLessThanOrEqual(delayMs + 1000)
      // From then on no block at all, and every connection's request completes once a delay: c / delay.
      expect(frames.filter((f) => f.t >= recoveredT).every((f) => f.stallMs <= BLOCKED_MS)).toBe(true)
      const completed = at(frames, recoveredT + WAVES * delayMs + 300).completed - at(frames, recoveredT).completed
      expect(completed, `${WAVES} round trips at c ${CONCURRENCY}`).toBeGreaterThanOrEqual(0.75 * WAVES * CONCURRENCY)
    })
  }
})

describe('changes while a run starts', () => {
  it('applies an update sent while the run is starting to the run it starts, and marks it', async () => {
    lab = new Lab()
    const frames: Frame[] = []
    lab.on('frame', (f) => frames.push(f))
    const starting = lab.start({ concurrency: 2, delayMs: 300, durationS: 30 })
    const updated = lab.update({ delayMs: 40 })
    const status = await starting
    expect((await updated).settings.delayMs).toBe(40)
    expect(await (await fetch(`${status.subjectUrl}/work`)).json()).toEqual({
      ok: true,
      delayMs: 40,
      mode: 'evented-wait'
    })
    const marked = await frameWhere(frames, (f) => f.marks.length > 0)
    expect(marked.marks[0]!.label).toBe('delay 300 → 40 ms')
  })

  it('stops the run when the stop is sent while it is starting, and leaves no process', async () => {
    lab = new Lab()
    const starting = lab.start({ concurrency: 2, delayMs: 100, durationS: 30 })
    const stopped = lab.stop()
    const { subjectPid } = await starting
    expect((await stopped)?.reason).toBe('stopped')
    expect(lab.status().running).toBe(false)
    expect(alive(subjectPid!)).toBe(false)
  })

  it('after a start that fails, applies an update to the settings only and a stop returns null', async () => {
    // A subject that exits before it listens.
    const exits: SubjectProcess = {
      send() {},
      onMessage() {},
      onExit: (listener) => void setTimeout(() => listener(1, null), 50),
      kill() {}
    }
    lab = new Lab({ spawnSubject: () => exits })
    const starting = lab.start({ delayMs: 100 }).catch((e: unknown) => e)
    const updated = lab.update({ delayMs: 250 })
    const stopped = lab.stop()
    expect(await starting).toMatchObject({ code: 'LOOPSCOPE_ERR_SUBJECT_START' })
    expect(await updated).toMatchObject({ running: false, settings: { delayMs: 250 } })
    expect(await stopped).toBe(null)
  })
})
