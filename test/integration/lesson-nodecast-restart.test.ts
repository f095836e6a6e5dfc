/**
 * The restart steps of "The 2009 experiment" run for real in order on one Lab, as a learner runs them: a new subject
 * process with the log in memory starts empty (step 5's messages are gone); on Redis (the lab's own redis-server,
 * in a folder of the test's) the next run starts with the earlier run's messages and delivers none of them again.
 * Each step is judged by the lesson's own checks on its run's summary. Needs redis-server (`.ci/run` installs it).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { NODE_2009 } from '../../src/renderer/src/lessons/node-2009'
import type { Summary } from '../../src/shared/frame'

const dir = mkdtempSync(join(tmpdir(), 'loopscope-lesson-redis-'))
const lab = new Lab({ redisDir: dir })

afterAll(async () => {
  await lab.close()
  rmSync(dir, { recursive: true, force: true })
})

async function judge(id: string): Promise<{ check: string; value: number | null; passed: boolean }[]> {
  const step = NODE_2009.steps.find((s) => s.id === id)!
  const summary = new Promise<Summary>((resolve) => lab.once('summary', resolve))
  await lab.start(step.settings)
  const s = await summary
  return step.checks.map((check) => {
    if (check.on !== 'summary') throw new Error(`${id}: a live check (${check.id}) needs frames`)
    const value = check.value(s)
    return { check: check.label, value, passed: value !== null && check.pass(value) }
  })
}

describe('the 2009 lesson’s restart steps, run for real in order', () => {
  for (const id of ['restart-memory', 'redis', 'redis-restart']) {
    it(`${id}: every check passes on the run's own summary`, { timeout: 60_000 }, async () => {
      const judged = await judge(id)
      expect(judged).toEqual(judged.map((j) => ({ ...j, passed: true })))
    })
  }
})
