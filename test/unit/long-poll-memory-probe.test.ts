/** The subject's memory probe: when it forces a GC (rarely), and what it reads right after. */
import { describe, expect, it } from 'vitest'
import {
  MemoryProbe,
  MIN_INTERVAL_MS,
  bytesPerConnection,
  forcedGc,
  sampleMemory
} from '../../src/main/lab/subject/memory-probe'

describe('the memory probe', () => {
  it('can force a GC without --expose-gc, and the garbage is gone after it', () => {
    expect(forcedGc()).toBeTypeOf('function')
    const clean = sampleMemory(0, 0)!
    // ~40 MB of garbage: a heap read now would count it, the sample after a GC must not
    let keep = 0
    for (let i = 0; i < 200_000; i++) keep += JSON.stringify({ i, pad: 'x'.repeat(150) }).length
    expect(keep).toBeGreaterThan(0)
    const after = sampleMemory(0, 0)!
    expect(after.heapUsedBytes - clean.heapUsedBytes).toBeLessThan(5e6)
    expect(after.gcMs).toBeGreaterThanOrEqual(0)
  })

  it('samples at start (the baseline), then only once a changed connection count has settled, at most every 5 s', () => {
    let state = { connections: 0, held: 0 }
    const probe = new MemoryProbe(() => state)
    const at = (ms: number): boolean => probe.check(ms)
    expect(at(0)).toBe(true)
    expect(probe.report().baseline?.connections).toBe(0)
    // nothing changed: never again, however long
    expect(at(20_000)).toBe(false)
    // connections without a held request (a run without subscribers): never
    state = { connections: 100, held: 0 }
    expect(at(20_250)).toBe(false)
    expect(at(59_000)).toBe(false)
    state = { connections: 1000, held: 1000 }
    expect(at(60_250)).toBe(false) // just changed: not settled
    expect(at(61_000)).toBe(false)
    expect(at(61_250)).toBe(true) // a second later (the baseline does not count towards the 5-s spacing)
    expect(probe.report().latest).toMatchObject({ connections: 1000, held: 1000 })
    expect(probe.report().baseline?.connections).toBe(0)
    // a change right after a sample waits for the 5-s minimum
    state = { connections: 1001, held: 1001 }
    expect(at(62_500)).toBe(false)
    expect(at(61_250 + MIN_INTERVAL_MS - 250)).toBe(false)
    // mid fan-out (fewer held than at the last check): not now
    state = { connections: 1001, held: 10 }
    expect(at(61_250 + MIN_INTERVAL_MS + 250)).toBe(false)
    state = { connections: 1001, held: 1001 }
    expect(at(61_250 + MIN_INTERVAL_MS + 500)).toBe(true)
    probe.stop()
  })

  it('turns a sample and its baseline into bytes per connection, JS heap measured and native state added', () => {
    const base = {
      heapUsedBytes: 10e6,
      externalBytes: 1e6,
      rssBytes: 90e6,
      heapPhysicalBytes: 20e6,
      connections: 0,
      held: 0,
      gcMs: 1
    }
    const withThousand = {
      ...base,
      heapUsedBytes: 14e6,
      rssBytes: 130e6,
      heapPhysicalBytes: 40e6,
      connections: 1000,
      held: 1000
    }
    expect(bytesPerConnection(withThousand, base)).toBeGreaterThan(4000)
    expect(bytesPerConnection(withThousand, base)).toBeLessThan(4000 + 4096)
    expect(bytesPerConnection(base, base)).toBeNull()
  })
})
