import { describe, expect, it } from 'vitest'
import { withDefaults } from '../../src/shared/settings'
import { theoryRps } from '../../src/shared/theory'
import { markLabel } from '../../src/shared/marks'

describe('theory', () => {
  it('predicts c / delay for the evented wait: the 2-s experiment gives 50 req/s', () => {
    expect(theoryRps(withDefaults({ concurrency: 100, delayMs: 2000 }))).toBe(50)
  })

  it('predicts 1 / delay when the work blocks the loop', () => {
    expect(theoryRps(withDefaults({ concurrency: 100, delayMs: 2000, blocking: true }))).toBe(0.5)
  })

  it('predicts min(c, N) / delay for a pool of N threads', () => {
    expect(theoryRps(withDefaults({ concurrency: 100, delayMs: 1000, threads: 10 }))).toBe(10)
    expect(theoryRps(withDefaults({ concurrency: 4, delayMs: 1000, threads: 10 }))).toBe(4)
  })

  it('caps the open loop at its rate', () => {
    expect(theoryRps(withDefaults({ mode: 'open', ratePerS: 20, connections: 100, delayMs: 1000 }))).toBe(20)
    expect(theoryRps(withDefaults({ mode: 'open', ratePerS: 500, connections: 100, delayMs: 1000 }))).toBe(100)
  })

  it('says nothing for hello world, which has no delay to divide by', () => {
    expect(theoryRps(withDefaults({ route: 'hello' }))).toBeNull()
  })
})

describe('marks', () => {
  it('labels a change the way the charts draw it', () => {
    const prev = withDefaults({ concurrency: 10 })
    expect(markLabel(prev, { concurrency: 100 })).toBe('c 10 → 100')
    expect(markLabel(prev, { blocking: true })).toBe('blocking on')
    expect(markLabel(prev, { delayMs: 500 })).toBe('delay 2000 → 500 ms')
  })
})
