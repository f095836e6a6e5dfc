/**
 * The lesson "libuv's hidden pool" against the real Lab: the same handler with 4 and 16 pool threads, each run
 * judged by the lesson's own checks on its summary, as the lesson panel judges them.
 */
import { describe, expect, it } from 'vitest'
import { LIBUV_POOL } from '../../src/renderer/src/lessons/libuv-pool'
import { itRunsEachStep } from '../helpers/lesson-for-real'

describe('the lesson "libuv’s hidden pool", run for real', () => {
  // the pool's size applies when a run starts: every step is a run of its own, none a change to the one before
  it('is runs only', () => expect(LIBUV_POOL.steps.map((s) => s.kind)).toEqual(LIBUV_POOL.steps.map(() => 'run')))
  itRunsEachStep(LIBUV_POOL, 60_000)
})
