/**
 * The lesson "FriendFeed's backends" run for real (subject process, its backend process, crowd thread), each step
 * judged by the lesson's own checks on the run's summary, as the lesson panel judges them: evented with a connection
 * for each user, through a pool of 10, blocking on the loop, and on 10 threads.
 */
import { describe } from 'vitest'
import { FRIENDFEED } from '../../src/renderer/src/lessons/friendfeed'
import { itRunsEachStep } from '../helpers/lesson-for-real'

describe('the lesson "FriendFeed’s backends", run for real', () => {
  itRunsEachStep(FRIENDFEED, 60_000)
})
