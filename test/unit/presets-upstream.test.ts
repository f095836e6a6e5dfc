import { describe, expect, it } from 'vitest'
import { runLength } from '../../src/renderer/src/run-length'
import { PRESETS } from '../../src/renderer/src/presets'
import { withDefaults } from '../../src/shared/settings'
import { theoryRps } from '../../src/shared/theory'

describe('the slow-backend preset', () => {
  it('is valid settings whose pool of 10 is the bound: 10 / 500 ms = 20 req/s, 400 requests in about 20 s', () => {
    const s = withDefaults(PRESETS.find((p) => p.id === 'backend-pool')!.patch)
    expect(s).toMatchObject({ work: 'upstream', blocking: false, threads: 0, upstreamConnections: 10, concurrency: 50 })
    expect(theoryRps(s)).toBe(20)
    expect(runLength(s)).toEqual({ kind: 'budget', seconds: 20 })
  })
})
