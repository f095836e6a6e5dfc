import { describe, expect, it } from 'vitest'
import { compareFigures, differenceWords, ratioWords } from '../../src/shared/compare-figures'
import type { Summary } from '../../src/shared/frame'
import { fixtureSummary } from '../helpers/run-fixture'
import { pushSummary } from './renderer-fixtures'

const withRps = (rps: number, extra: Partial<Summary> = {}): Summary => ({ ...fixtureSummary(), rps, ...extra })

describe('the comparison’s words for a difference', () => {
  it('says twice or more as a factor, less as a change in percent', () => {
    expect(ratioWords(50, 100, 'req/s')).toBe('×2.0')
    expect(ratioWords(12, 2007, 'ms')).toBe('×167')
    expect(ratioWords(100, 25, 'req/s')).toBe('−75%')
    expect(ratioWords(100, 140, 'req/s')).toBe('+40%')
    expect(ratioWords(200, 205, 'ms')).toBe('+2.5%')
    expect(ratioWords(49.7, 0.5, 'req/s')).toBe('−99%')
  })

  it('says nothing where a ratio means nothing', () => {
    expect(ratioWords(7, 7, 'ms')).toBe('same')
    expect(ratioWords(0, 3, '')).toBe('—')
    expect(ratioWords(null, 3, 'ms')).toBe('—')
    expect(ratioWords(40, 80, '%')).toBe('—')
    // both nothing: the same, not a ratio of 0
    expect(ratioWords(0, 0, '')).toBe('same')
    // a change too small to show at the ratio's rounding
    expect(ratioWords(1000, 1000.1, 'ms')).toBe('same')
    // ten times up: a whole factor
    expect(ratioWords(5, 50, 'req/s')).toBe('×10')
  })

  it('gives the difference in the figure’s unit, in points for a percentage, with a real minus', () => {
    expect(differenceWords(2007, 12, { unit: 'ms', digits: 1 })).toBe('−1,995.0 ms')
    expect(differenceWords(40, 80, { unit: '%', digits: 1 })).toBe('+40.0 pts')
    expect(differenceWords(3, null, { unit: '', digits: 0 })).toBe('—')
  })
})

describe('the summaries side by side', () => {
  it('sets B against A: the figure, B − A and B / A', () => {
    const rps = compareFigures([withRps(25), withRps(50)]).find((r) => r.key === 'rps')!
    expect(rps.label).toBe('Requests per second')
    expect(rps.cells).toEqual([
      { value: '25.00 req/s', diff: null, ratio: null },
      { value: '50.00 req/s', diff: '+25.00 req/s', ratio: '×2.0' }
    ])
  })

  it('sets each of three runs against the first, and lists a figure only a later run has', () => {
    const rows = compareFigures([withRps(100), withRps(25), withRps(100, { push: pushSummary() })])
    const rps = rows.find((r) => r.key === 'rps')!
    expect(rps.cells.map((c) => c.ratio)).toEqual([null, '−75%', 'same'])
    const held = rows.find((r) => r.key === 'held')!
    expect(held.cells.map((c) => c.value)).toEqual(['—', '—', '9'])
    expect(held.cells[2]!.diff).toBe('—')
    expect(rows.findIndex((r) => r.key === 'held')).toBeGreaterThan(rows.findIndex((r) => r.key === 'unanswered'))
    // each figure once, however many runs have it
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length)
  })
})
