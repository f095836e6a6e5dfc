/** The crowd's own loop as the dashboard shows it: busy over the last second, over the run, and when it is the limit. */
import { describe, expect, it } from 'vitest'
import { CrowdLoopFigures } from '../../src/main/lab/sampler/crowd-loop'
import { crowdLimitWords } from '../../src/shared/run-words'

describe("the crowd's own loop", () => {
  it('reads the busy share of the last second, and of the whole run', () => {
    const c = new CrowdLoopFigures()
    expect(c.frame(0)).toBeNull()
    c.sample(0, { idle: 0, active: 0 })
    // the first 2 s: 90% busy; then 1 s at 10%
    for (let t = 100; t <= 2000; t += 100) c.sample(t, { idle: t * 0.1, active: t * 0.9 })
    expect(c.frame(2000)).toBe(0.9)
    for (let t = 2100; t <= 3000; t += 100)
      c.sample(t, { idle: 200 + (t - 2000) * 0.9, active: 1800 + (t - 2000) * 0.1 })
    // the last second only: the busy stretch before it does not count
    expect(c.frame(3000)).toBe(0.1)
    // the run: 1,900 ms busy of 3,000
    expect(c.summary()).toBe(0.633)
  })

  it('says nothing before two samples, and ignores the zeros of a thread that has ended', () => {
    const c = new CrowdLoopFigures()
    c.sample(0, { idle: 50, active: 50 })
    expect(c.summary()).toBeNull()
    c.sample(100, { idle: 60, active: 140 })
    expect(c.summary()).toBe(0.9)
    c.sample(200, { idle: 0, active: 0 })
    expect(c.summary()).toBe(0.9)
    expect(c.frame(200)).toBe(0.9)
  })
})

describe('the crowd as the limit, in words', () => {
  it('speaks up from 90% busy, live and for a whole run', () => {
    expect(crowdLimitWords(0.89, 'live')).toBeNull()
    expect(crowdLimitWords(undefined, 'run')).toBeNull()
    expect(crowdLimitWords(0.97, 'live')).toBe(
      "The crowd's own loop is 97% busy: it cannot send faster, so this throughput is the crowd's limit, not the server's."
    )
    expect(crowdLimitWords(0.9, 'run')).toContain('was 90% busy over the run')
  })
})
