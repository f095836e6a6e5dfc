/**
 * A lesson's runs against the real Lab (subject process, crowd thread), one test per run step, each judged by the
 * lesson's own checks on the run's summary, as the lesson panel judges them once a run has ended.
 */
import { expect, it } from 'vitest'
import type { Lesson } from '../../src/renderer/src/lessons/lesson'
import { runLab } from './run-lab'

export function itRunsEachStep(lesson: Lesson, timeoutMs: number): void {
  for (const step of lesson.steps) {
    if (step.kind !== 'run') continue
    it(`${step.title}: every check passes on the run's own summary`, { timeout: timeoutMs }, async () => {
      const { summary, errors } = await runLab(step.settings)
      expect(errors).toEqual([])
      const judged = step.checks.map((check) => {
        if (check.on !== 'summary')
          throw new Error(`${step.id}: a live check (${check.id}) needs frames; judge it here too`)
        const value = check.value(summary)
        return { check: check.label, value, passed: value !== null && check.pass(value) }
      })
      // every check with its measured figure, so a failure says which and by how much
      expect(judged).toEqual(judged.map((j) => ({ ...j, passed: true })))
    })
  }
}
