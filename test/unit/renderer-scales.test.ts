import { describe, expect, it } from 'vitest'
import { DELAY_STOPS_MS, latencyScale, nearestStop, niceTicks } from '../../src/renderer/src/scales'
import { PRESETS } from '../../src/renderer/src/presets'
import { withDefaults } from '../../src/shared/settings'
import { theoryRps } from '../../src/shared/theory'

describe('the delay slider', () => {
  it('reaches 0, 10, 100, 1000, 2000 and 10000 ms exactly', () => {
    for (const ms of [0, 10, 100, 1000, 2000, 10_000]) expect(DELAY_STOPS_MS[nearestStop(DELAY_STOPS_MS, ms)]).toBe(ms)
  })

  it('rises strictly, so every arrow-key press changes the delay', () => {
    for (let i = 1; i < DELAY_STOPS_MS.length; i++) expect(DELAY_STOPS_MS[i]!).toBeGreaterThan(DELAY_STOPS_MS[i - 1]!)
  })

  it('shows an exact typed value at the nearest stop on a log-ish axis', () => {
    expect(DELAY_STOPS_MS[nearestStop(DELAY_STOPS_MS, 1800)]).toBe(2000)
    expect(DELAY_STOPS_MS[nearestStop(DELAY_STOPS_MS, 60_000)]).toBe(10_000)
  })
})

describe('chart axes', () => {
  it('use a log latency axis once values span more than two decades', () => {
    expect(latencyScale([2000, 2010, 2020]).scale).toBe('linear')
    const log = latencyScale([1.2, 30, 2500, null])
    expect(log).toEqual({ scale: 'log', domain: [1, 10_000], ticks: [1, 10, 100, 1000, 10_000] })
  })

  it('use round linear ticks', () => {
    expect(niceTicks(2340)).toEqual([0, 1000, 2000, 3000])
    expect(niceTicks(98)).toEqual([0, 25, 50, 75, 100])
  })
})

describe('presets', () => {
  it('are valid settings that give the classic bounds: 50, 0.5 and 5 req/s, and an open loop above capacity', () => {
    const [classic, blocking, threads, open] = PRESETS.map((p) => withDefaults(p.patch))
    expect(theoryRps(classic!)).toBe(50)
    expect(theoryRps(blocking!)).toBe(0.5)
    expect(theoryRps(threads!)).toBe(5)
    expect(open!.ratePerS).toBeGreaterThan((open!.connections * 1000) / open!.delayMs)
  })
})
