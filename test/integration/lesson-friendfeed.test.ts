/**
 * The lesson "FriendFeed's backends" run for real (subject process, its backend process, crowd thread), each step
 * judged by the lesson's own checks on the run's summary, as the lesson panel judges them: evented with a connection
 * for each user, through a pool of 10, blocking on the loop, and on 10 threads.
 */
import { describe, expect, it } from 'vitest'
import { FRIENDFEED } from '../../src/renderer/src/lessons/friendfeed'
import { runLab } from '../helpers/run-lab'

describe('the lesson "FriendFeed’s backends", run for real', () => {
  for (const step of FRIENDFEED.steps) {
    it(`${step.title}: every check passes on the run's own summary`, { timeout: 60_000 }, async () => {
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
