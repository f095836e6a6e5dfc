/** The crowd's own loop as the dashboard shows it: busy over the last second, over the run, and when it is the limit. */
import { describe, expect, it } from 'vitest'
import { CrowdLoopFigures } from '../../src/main/lab/sampler/crowd-loop'
import { crowdLimitWords } from '../../src/shared/run-words'

describe("the crowd's own loop", () => {
  it('reads the busy share of the last second, and of the whole run', () => {
    const c = new CrowdLoopFigures()
    expect(c.frame(0)).toBeNull()
    expect(c.summary()).toBeNull()
    // ticks of 100 ms: 2 s at 90% busy, then 1 s at 10%
    for (let t = 100; t <= 2000; t += 100) c.tick(t, { idle: 10, active: 90 })
    expect(c.frame(2000)).toBe(0.9)
    for (let t = 2100; t <= 3000; t += 100) c.tick(t, { idle: 90, active: 10 })
    // the last second only: the busy stretch before it does not count
    expect(c.frame(3000)).toBe(0.1)
    // the run: 1,900 ms busy of 3,000
    expect(c.summary()).toBe(0.633)
    // a second with no tick (the crowd's thread held): no figure rather than an old one
    expect(c.frame(4100)).toBeNull()
  })

  it('ignores a tick with a negative span (nothing to count), and counts one of 0 idle or 0 busy', () => {
    const c = new CrowdLoopFigures()
    c.tick(100, { idle: 50, active: 50 })
    c.tick(200, { idle: -5, active: 100 })
    c.tick(300, { idle: 100, active: -1 })
    expect(c.frame(300)).toBe(0.5)
    expect(c.summary()).toBe(0.5)
    c.tick(400, { idle: 0, active: 100 })
    expect(c.frame(400)).toBe(0.75)
    c.tick(500, { idle: 100, active: 0 })
    expect(c.summary()).toBe(0.5)
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
