/**
 * The second lesson's four runs against the real Lab (subject process, crowd thread), each judged by the lesson's own
 * checks on the run's summary, as the lesson panel judges them: the ceiling of 50 req/s under a closed loop of 10
 * and of 100, an open loop below it that keeps up, and one above it whose queue grows without limit.
 */
import { describe, expect, it } from 'vitest'
import { OPEN_CLOSED } from '../../src/renderer/src/lessons/open-closed'
import { runLab } from '../helpers/run-lab'

describe('the lesson "What ab cannot see: closed and open loops", run for real', () => {
  for (const step of OPEN_CLOSED.steps) {
    if (step.kind !== 'run') continue
    it(`${step.title}: every check passes on the run's own summary`, { timeout: 90_000 }, async () => {
      const { summary, errors } = await runLab(step.settings)
      expect(errors).toEqual([])
      const judged = step.checks.map((check) => {
        if (check.on !== 'summary') throw new Error(`${step.id}: a live check (${check.id}) needs frames; judge it here too`)
        const value = check.value(summary)
        return { check: check.label, value, passed: value !== null && check.pass(value) }
      })
      // every check with its measured figure, so a failure says which and by how much
      expect(judged).toEqual(judged.map((j) => ({ ...j, passed: true })))
    })
  }
})
