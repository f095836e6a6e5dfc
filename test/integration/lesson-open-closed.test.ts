/**
 * The second lesson's four runs against the real Lab (subject process, crowd thread), each judged by the lesson's own
 * checks on the run's summary, as the lesson panel judges them: the ceiling of 50 req/s under a closed loop of 10
 * and of 100, an open loop below it that keeps up, and one above it whose queue grows without limit.
 */
import { describe } from 'vitest'
import { OPEN_CLOSED } from '../../src/renderer/src/lessons/open-closed'
import { itRunsEachStep } from '../helpers/lesson-for-real'

describe('the lesson "What ab cannot see: closed and open loops", run for real', () => {
  itRunsEachStep(OPEN_CLOSED, 90_000)
})
