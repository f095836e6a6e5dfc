import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/control'
import { describeValue } from '../../src/shared/describe-value'
import { LabError } from '../../src/shared/errors'
import { applyPatch, DEFAULT_SETTINGS } from '../../src/shared/settings'
import { FakeLab } from './control-fake-lab'
import { refusal as refused } from '../helpers/refusal'

const refusal = (patch: unknown): LabError => refused(() => applyPatch(DEFAULT_SETTINGS, patch))

/** Built in a loop, as JSON.parse builds them: no recursion here either. */
function nestedArrays(levels: number): unknown {
  let value: unknown = []
  for (let i = 1; i < levels; i++) value = [value]
  return value
}
function nestedObjects(levels: number): unknown {
  let value: unknown = { a: 1 }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

describe('a refused value, described', () => {
  it('names the field of 5,000 nested arrays and says what they are', () => {
    expect(refusal({ delayMs: nestedArrays(5000) }).message).toBe(
      'delayMs must be an integer number of milliseconds from 0 to 60000 (got an array nested 5000 levels deep)'
    )
  })

  it('names the field of 5,000 nested objects and says what they are', () => {
    expect(refusal({ requests: nestedObjects(5000) }).message).toBe(
      'requests must be null (no limit) or an integer from 1 to 10000000 (got an object nested 5000 levels deep)'
    )
  })

  it('answers a settings change that is itself 5,000 nested arrays in words', () => {
    expect(refusal(nestedArrays(5000)).message).toBe(
      'a settings change must be an object (got an array nested 5000 levels deep)'
    )
  })

  it('gives a long text its first characters and its length, not all of it', () => {
    const message = refusal({ work: 'x'.repeat(60_000) }).message
    expect(message).toBe(
      `work must be "wait", "cpu", "upstream" (a call to a slow backend service) or "libuv" (a task on libuv's thread pool) (got "${'x'.repeat(24)}…" (a text of 60000 characters))`
    )
  })

  it('shows a short value as it is', () => {
    expect(describeValue([1, 2])).toBe('[1,2]')
    expect(describeValue({ a: true })).toBe('{"a":true}')
    expect(describeValue(1.5)).toBe('1.5')
    expect(describeValue(undefined)).toBe('nothing')
  })

  it('counts a wide value instead of writing it out', () => {
    expect(describeValue(Array.from({ length: 500 }, (_, i) => i))).toBe('an array of 500 items')
  })

  it('describes a value that holds itself', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(describeValue(cycle)).toBe('an object with 1 field')
  })

  it('names at most three unknown settings, each briefly', () => {
    const patch = Object.fromEntries(['a', 'b', 'c', 'd', 'y'.repeat(1000)].map((k) => [k, 1]))
    expect(refusal(patch).message).toMatch(/^unknown setting "a", "b", "c" and 2 more; known settings: delayMs, /)
  })

  it('answers a request named by 5,000 nested arrays in words, never by throwing', async () => {
    const reply = await dispatch(new FakeLab(), nestedArrays(5000), null)
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'LOOPSCOPE_ERR_IPC_INVALID',
        message: expect.stringMatching(/^unknown request an array nested 5000 levels deep; known: start, /)
      }
    })
  })
})
