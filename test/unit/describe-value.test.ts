/**
 * A refused value in the words of the refusal that names it, at its edges: exactly as long as is shown whole, one
 * character more, what compact JSON cannot say, and the nesting that decides between "nested" and "of N items".
 */
import { describe, expect, it } from 'vitest'
import { describeNames, describeValue } from '../../src/shared/describe-value'

describe('a refused value in words', () => {
  it('shows a text of up to 40 characters whole, a longer one by its first 24 and its length', () => {
    const forty = 'x'.repeat(40)
    expect(describeValue(forty)).toBe(JSON.stringify(forty))
    expect(describeValue(`${forty}y`)).toBe(`"${'x'.repeat(24)}…" (a text of 41 characters)`)
    // characters, not UTF-16 units: 40 emoji are shown whole
    expect(describeValue('🙂'.repeat(40))).toBe(JSON.stringify('🙂'.repeat(40)))
  })

  it('shows a value whose compact JSON is up to 40 characters, and counts one a character longer', () => {
    const json = (v: unknown): string => JSON.stringify(v)
    const exactly = ['x'.repeat(36)]
    expect(json(exactly)).toHaveLength(40)
    expect(describeValue(exactly)).toBe(json(exactly))
    const over = ['x'.repeat(37)]
    expect(describeValue(over)).toBe('an array of 1 item')
    // the last item is what goes over
    const lastOver = [1, 2, 'x'.repeat(33)]
    expect(json(lastOver)).toHaveLength(41)
    expect(describeValue(lastOver)).toBe('an array of 3 items')
  })

  it('writes what JSON writes: null for a missing value, each field once, commas between', () => {
    expect(describeValue([null, undefined, true])).toBe('[null,null,true]')
    expect(describeValue({ a: 1, b: 'two' })).toBe('{"a":1,"b":"two"}')
    expect(describeValue({})).toBe('{}')
    // only the object's own fields
    expect(describeValue(Object.create({ inherited: 1 }) as object)).toBe('{}')
  })

  it('counts what has no short JSON: a long field name, a function inside', () => {
    expect(describeValue({ ['k'.repeat(50)]: 1 })).toBe('an object with 1 field')
    expect(describeValue({ a: 1, b: 2, f: () => 1 })).toBe('an object with 3 fields')
    expect(describeValue([() => 1])).toBe('an array of 1 item')
  })

  it('says "nested" from 4 levels deep, and counts the items of a shallower one', () => {
    const long = 'x'.repeat(50)
    expect(describeValue([[[long]]])).toBe('an array of 1 item')
    expect(describeValue([[[[long]]]])).toBe('an array nested 4 levels deep')
    expect(describeValue({ a: { b: { c: { d: long } } } })).toBe('an object nested 4 levels deep')
    // the deepest branch counts, wherever it is
    expect(describeValue([long, [1], [[[long]]]])).toBe('an array nested 4 levels deep')
  })

  it('measures the nesting over its first 100,000 arrays and objects, and all of a smaller value', () => {
    // a chain 4 levels deep (root, then 3) first in line, behind 99,997 empty arrays: the walk takes the empty ones
    // first (the last pushed) and stops at 100,000 arrays counted, one short of the chain's 4th level
    const chain = [[[[]]]]
    const crowded = [chain, ...Array.from({ length: 99_997 }, () => [])]
    expect(describeValue(crowded)).toBe('an array of 99998 items')
    // with room to spare, the chain's five levels (the root's and its own four) are all counted
    expect(describeValue([chain, ...Array.from({ length: 20 }, () => [])])).toBe('an array nested 5 levels deep')
  })

  it('says a number, a boolean and a bigint as they are, and names other kinds', () => {
    expect(describeValue(10n)).toBe('10')
    expect(describeValue(false)).toBe('false')
    expect(describeValue(null)).toBe('null')
    expect(describeValue(Symbol('s'))).toBe('a symbol')
    expect(describeValue(() => 1)).toBe('a function')
  })
})

describe('unknown names in words', () => {
  it('lists up to three, then says how many more', () => {
    expect(describeNames(['a', 'b', 'c'])).toBe('"a", "b", "c"')
    expect(describeNames(['a', 'b', 'c', 'd', 'e'])).toBe('"a", "b", "c" and 2 more')
    expect(describeNames(['a', 'b'], 1)).toBe('"a" and 1 more')
  })
})
