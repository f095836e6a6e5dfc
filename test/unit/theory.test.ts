import { describe, expect, it } from 'vitest'
import { withDefaults } from '../../src/shared/settings'
import { changesBound, servedRps, servers, theoryFormula, theoryRps } from '../../src/shared/theory'
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

  it("predicts min(c, pool size) / delay for work on libuv's pool, and 1 / delay when it blocks the loop", () => {
    expect(theoryRps(withDefaults({ concurrency: 20, delayMs: 500, work: 'libuv', uvThreadpoolSize: 4 }))).toBe(8)
    expect(theoryRps(withDefaults({ concurrency: 20, delayMs: 500, work: 'libuv', uvThreadpoolSize: 16 }))).toBe(32)
    expect(theoryRps(withDefaults({ concurrency: 3, delayMs: 500, work: 'libuv', uvThreadpoolSize: 16 }))).toBe(6)
    expect(theoryFormula(withDefaults({ concurrency: 20, delayMs: 500, work: 'libuv' }))).toBe(
      'min(c = 20, libuv pool = 4) / 500 ms'
    )
    expect(theoryRps(withDefaults({ concurrency: 20, delayMs: 500, work: 'libuv', blocking: true }))).toBe(2)
  })

  it('caps the open loop at its rate', () => {
    expect(theoryRps(withDefaults({ mode: 'open', ratePerS: 20, connections: 100, delayMs: 1000 }))).toBe(20)
    expect(theoryRps(withDefaults({ mode: 'open', ratePerS: 500, connections: 100, delayMs: 1000 }))).toBe(100)
  })

  it("bounds the open loop by its connections, not by the closed loop's concurrency", () => {
    // connections and concurrency set apart, so reading the wrong one gives another number
    const s = withDefaults({ mode: 'open', ratePerS: 1000, connections: 30, concurrency: 7, delayMs: 1000 })
    expect(theoryRps(s)).toBe(30)
    expect(servers(s)).toBe(30)
    expect(theoryFormula(s)).toBe('min(rate = 1000/s, connections = 30 / 1000 ms)')
  })

  it('predicts 1 / delay for computation on the loop, blocking or not', () => {
    expect(theoryRps(withDefaults({ concurrency: 100, delayMs: 500, work: 'cpu', blocking: false }))).toBe(2)
    expect(theoryFormula(withDefaults({ concurrency: 100, delayMs: 500, work: 'cpu', blocking: false }))).toBe(
      "1 / 500 ms (the loop does one request's work at a time)"
    )
  })

  it('caps threads doing computation at the number of cores, but not threads that wait', () => {
    const cpu = withDefaults({ concurrency: 100, delayMs: 1000, threads: 8, work: 'cpu' })
    expect(theoryRps(cpu, 2)).toBe(2)
    expect(theoryRps(cpu, 4)).toBe(4)
    expect(theoryRps({ ...cpu, work: 'wait' }, 2)).toBe(8)
    expect(theoryFormula(cpu)).toBe('min(c = 100, threads = 8, cores) / 1000 ms')
  })

  it('writes the model in force in words, for each shape of settings', () => {
    const f = (patch: object): string => theoryFormula(withDefaults(patch))
    expect(f({ route: 'hello' })).toBe('no bound: there is no delay to divide by')
    expect(f({ delayMs: 0 })).toBe('no bound: there is no delay to divide by')
    expect(f({ concurrency: 20, delayMs: 500 })).toBe('c = 20 / 500 ms')
    expect(f({ concurrency: 20, delayMs: 500, blocking: true })).toBe(
      "1 / 500 ms (the loop does one request's work at a time)"
    )
    expect(f({ concurrency: 20, delayMs: 500, threads: 4 })).toBe('min(c = 20, threads = 4) / 500 ms')
    expect(f({ mode: 'open', ratePerS: 30, connections: 9, delayMs: 500, threads: 4, work: 'cpu' })).toBe(
      'min(rate = 30/s, min(connections = 9, threads = 4, cores) / 500 ms)'
    )
  })

  it('writes the model in words for a subject of several processes, each shape of work', () => {
    const f = (patch: object): string =>
      theoryFormula(withDefaults({ concurrency: 20, delayMs: 500, processes: 2, ...patch }))
    expect(f({ threads: 4 })).toBe('min(c = 20, processes × threads = 2 × 4) / 500 ms')
    expect(f({ threads: 4, work: 'cpu' })).toBe('min(c = 20, processes × threads = 2 × 4, cores) / 500 ms')
    expect(f({ blocking: true })).toBe(
      "min(c = 20, processes = 2) / 500 ms (each process's loop does one request's work at a time)"
    )
    // computation holds each loop whether or not it is called blocking, and the cores bound it too
    expect(f({ work: 'cpu' })).toBe(
      "min(c = 20, processes = 2, cores) / 500 ms (each process's loop does one request's work at a time)"
    )
    // an evented wait on several processes is bounded by the crowd alone, as on one
    expect(f({})).toBe('c = 20 / 500 ms')
  })

  it('counts the threads, not the loop, when blocking work goes to a pool', () => {
    // blocking work on 4 threads: 4 at a time, the loop stays free
    expect(servers(withDefaults({ concurrency: 100, delayMs: 1000, blocking: true, threads: 4 }))).toBe(4)
    expect(servers(withDefaults({ concurrency: 3, delayMs: 1000, threads: 4 }))).toBe(3)
    expect(
      servers(withDefaults({ mode: 'open', connections: 5, concurrency: 100, delayMs: 1000, blocking: true }))
    ).toBe(1)
  })

  it("does not cap the closed loop at the open loop's rate", () => {
    // ratePerS is 50 by default: a closed loop of 100 on a 100-ms delay is bounded at 1000, not 50
    expect(theoryRps(withDefaults({ mode: 'closed', concurrency: 100, delayMs: 100 }))).toBe(1000)
  })

  it('says nothing where there is no delay', () => {
    expect(theoryRps(withDefaults({ delayMs: 0, concurrency: 10 }))).toBeNull()
    expect(theoryRps(withDefaults({ mode: 'open', delayMs: 0 }))).toBeNull()
  })

  it('says nothing for hello world, which has no delay to divide by', () => {
    expect(theoryRps(withDefaults({ route: 'hello' }))).toBeNull()
  })

  it("turns requests in service at once into a rate by Little's law, for any count the sampler sees", () => {
    // 3 served at once, each 200 ms: 15 a second — the uneven spread's rate, beside the bound's
    expect(servedRps(3, withDefaults({ delayMs: 200 }))).toBe(15)
    expect(servedRps(1, withDefaults({ delayMs: 2000 }))).toBe(0.5)
    expect(servedRps(0, withDefaults({ delayMs: 2000 }))).toBe(0)
    expect(servedRps(3, withDefaults({ delayMs: 0 }))).toBeNull()
    expect(servedRps(3, withDefaults({ route: 'hello' }))).toBeNull()
  })
})

describe('marks', () => {
  it('labels a change the way the charts draw it', () => {
    const prev = withDefaults({ concurrency: 10 })
    expect(markLabel(prev, { concurrency: 100 })).toBe('c 10 → 100')
    expect(markLabel(prev, { blocking: true })).toBe('blocking on')
    expect(markLabel(prev, { delayMs: 500 })).toBe('delay 2000 → 500 ms')
  })

  it('names a transport change in the words a learner reads on the chart', () => {
    expect(markLabel(withDefaults(), { transport: 'sse' })).toBe('transport long polling → SSE')
    expect(markLabel(withDefaults({ transport: 'sse' }), { transport: 'websocket' })).toBe('transport SSE → WebSocket')
  })

  it('says a hold and a release as the actions they are, no limit as ∞, and several changes in one line', () => {
    expect(markLabel(withDefaults(), { hold: true })).toBe('hold')
    expect(markLabel(withDefaults({ hold: true }), { hold: false })).toBe('release')
    expect(markLabel(withDefaults({ blocking: true }), { blocking: false })).toBe('blocking off')
    expect(markLabel(withDefaults({ requests: 1000 }), { requests: null })).toBe('requests 1000 → ∞')
    expect(markLabel(withDefaults(), { concurrency: 10, blocking: true, ratePerS: 80 })).toBe(
      'c 100 → 10, blocking on, rate 50 → 80/s'
    )
  })
})

describe('which changes move the bound', () => {
  it('the fields the bound reads, and not the others', () => {
    expect(changesBound({ blocking: true })).toBe(true)
    expect(changesBound({ concurrency: 200 })).toBe(true)
    expect(changesBound({ upstreamConnections: 5 })).toBe(true)
    expect(changesBound({ hold: true })).toBe(false)
    expect(changesBound({ timeoutMs: 5000, subscribers: 100, transport: 'sse' })).toBe(false)
    expect(changesBound({})).toBe(false)
  })
})
