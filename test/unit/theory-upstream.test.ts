import { describe, expect, it } from 'vitest'
import { withDefaults } from '../../src/shared/settings'
import { theoryFormula, theoryRps } from '../../src/shared/theory'

describe('theory of work "upstream"', () => {
  it('bounds the evented client by its pool of connections to the backend: min(c, connections) / delay', () => {
    expect(theoryRps(withDefaults({ work: 'upstream', concurrency: 50, upstreamConnections: 10, delayMs: 500 }))).toBe(
      20
    )
    expect(theoryRps(withDefaults({ work: 'upstream', concurrency: 5, upstreamConnections: 10, delayMs: 500 }))).toBe(
      10
    )
    expect(
      theoryFormula(withDefaults({ work: 'upstream', concurrency: 50, upstreamConnections: 10, delayMs: 500 }))
    ).toBe('min(c = 50, backend connections = 10) / 500 ms')
  })

  it('gives 1 / delay for the blocking call, whatever the pool of connections', () => {
    expect(
      theoryRps(
        withDefaults({ work: 'upstream', blocking: true, concurrency: 50, upstreamConnections: 100, delayMs: 500 })
      )
    ).toBe(2)
  })

  it('gives min(c, N) / delay on N threads, not capped by the cores: a waiting thread burns none', () => {
    expect(theoryRps(withDefaults({ work: 'upstream', threads: 4, concurrency: 50, delayMs: 500 }), 2)).toBe(8)
    expect(theoryRps(withDefaults({ work: 'upstream', threads: 16, concurrency: 8, delayMs: 500 }), 2)).toBe(16)
  })
})
