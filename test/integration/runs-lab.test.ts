import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { Runs } from '../../src/main/runs/runs'
import type { Frame, Summary } from '../../src/shared/frame'
import type { ErrorInfo } from '../../src/shared/errors'
import { runFrames, runSummary, type RunEntry } from '../../src/shared/run-file'
import { keepBars, type TimelineBar } from '../../src/shared/timeline'
import { sleep } from '../helpers/run-lab'

let dir: string
let lab: Lab
let runs: Runs
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopscope-runs-'))
  lab = new Lab()
  runs = new Runs({ dir })
  runs.record(lab, '0.1.0-test')
})
afterEach(async () => {
  await lab.close()
  await runs.settled()
  await rm(dir, { recursive: true, force: true })
})

function watch(): { frames: Frame[]; errors: ErrorInfo[]; summary: Promise<Summary>; saved: Promise<RunEntry> } {
  const frames: Frame[] = []
  const errors: ErrorInfo[] = []
  lab.on('frame', (f) => frames.push(f))
  lab.on('error', (e) => errors.push(e))
  return {
    frames,
    errors,
    summary: new Promise((r) => lab.once('summary', r)),
    saved: new Promise((r) => runs.once('saved', r))
  }
}

describe('every run is saved when it ends', () => {
  it('a saved file gives back its summary and its frames exactly, changes included, under the label it started with; of the timeline, the last bars', async () => {
    const w = watch()
    await lab.start({ delayMs: 200, concurrency: 20, requests: 100 }, 'The 200-ms experiment')
    await sleep(300)
    await lab.update({ concurrency: 25 })
    const summary = await w.summary
    const entry = await w.saved
    const run = await runs.get(entry.id)
    expect(runSummary(run)).toEqual(summary)
    // every figure of every frame; each request's timeline is kept as the swimlane showed it at the end (on the
    // last frame), not as the frames' deltas
    const saved = runFrames(run)
    const withoutTimeline = (frames: Frame[]): Frame[] => frames.map(({ timeline: _timeline, ...f }) => f)
    expect(withoutTimeline(saved)).toEqual(withoutTimeline(w.frames))
    const shown = w.frames.reduce<readonly TimelineBar[]>((kept, f) => keepBars(kept, f.timeline?.bars ?? [], f.t), [])
    expect(shown.length).toBeGreaterThan(50)
    expect(saved.at(-1)!.timeline).toEqual({ bars: shown, answered: null })
    expect(run).toMatchObject({
      name: 'The 200-ms experiment',
      endReason: 'requests',
      appVersion: '0.1.0-test',
      settings: { concurrency: 20 }
    })
    expect(run.changes).toEqual([expect.objectContaining({ label: 'c 20 → 25', patch: { concurrency: 25 } })])
    expect(summary.completed).toBe(100)
    expect(await runs.list()).toEqual([entry])
  })

  it('a run ended by Stop is saved with what it had', async () => {
    const w = watch()
    await lab.start({ delayMs: 100, concurrency: 5, durationS: 60 })
    await sleep(800)
    const summary = await lab.stop()
    const run = await runs.get((await w.saved).id)
    expect(run.endReason).toBe('stopped')
    expect(runSummary(run)).toEqual(summary)
  })

  it('a run whose subject crashed is saved too, with the end reason and what was said', async () => {
    const w = watch()
    await lab.start({ delayMs: 200, concurrency: 5, durationS: 60 })
    await sleep(500)
    process.kill(lab.status().subjectPid!, 'SIGKILL')
    const entry = await w.saved
    const run = await runs.get(entry.id)
    expect(run.endReason).toBe('error')
    expect(run.errors.map((e) => e.code)).toContain('LOOPSCOPE_ERR_SUBJECT_EXITED')
    // no label: the settings in words
    expect(run.name).toBe('wait 200 ms, evented · c 5 · 60 s')
  })
})
