/**
 * The lesson "libuv's hidden pool" against the real Lab: the same handler with 4 and 16 pool threads, each run
 * judged by the lesson's own checks on its summary, as the lesson panel judges them.
 */
import { describe, expect, it } from 'vitest'
import { LIBUV_POOL } from '../../src/renderer/src/lessons/libuv-pool'
import { runLab } from '../helpers/run-lab'

describe('the lesson "libuv’s hidden pool", run for real', () => {
  for (const step of LIBUV_POOL.steps) {
    it(`${step.title}: every check passes on the run's own summary`, { timeout: 60_000 }, async () => {
      expect(step.kind).toBe('run')
      const { summary, errors } = await runLab(step.settings)
      expect(errors).toEqual([])
      const judged = step.checks.map((check) => {
        if (check.on !== 'summary') throw new Error(`${step.id}: a live check (${check.id}) needs frames; judge it here too`)
        const value = check.value(summary)
        return { check: check.label, value, passed: value !== null && check.pass(value) }
      })
      expect(judged).toEqual(judged.map((j) => ({ ...j, passed: true })))
    })
  }
})
