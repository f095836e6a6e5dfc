import { describe, expect, it } from 'vitest'
import {
  pushSummaryWords,
  throughputNote,
  tileFigures,
  windowPhrase,
  type TilesInput
} from '../../src/renderer/src/frames/tiles'
import type { Summary } from '../../src/shared/frame'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { makeFrame, pushFrame, pushSummary } from './renderer-fixtures'

const live = (extra: Parameters<typeof makeFrame>[1] = {}): TilesInput => ({
  running: true,
  last: makeFrame(12_000, extra),
  summary: null,
  settingsTheoryRps: 7
})

function summary(over: Partial<Summary> = {}): Summary {
  return {
    settings: DEFAULT_SETTINGS,
    reason: 'stopped',
    completed: 612,
    errors: 0,
    errorsByKind: { refused: 0, reset: 0, timeout: 0, non2xx: 0, other: 0 },
    durationMs: 30_400,
    rps: 20.13,
    theoryRps: 50,
    latencyMs: { min: 2000, mean: 2600, p50: 2007, p90: 6000, p99: 9870, max: 10_100 },
    percentilesMs: [],
    loop: { delayP99Ms: 2010, maxStallMs: 25_800, utilization: 0.6 },
    maxInFlight: 100,
    maxQueued: 99,
    unanswered: { count: 100, oldestWaitMs: 25_000 },
    marks: [],
    push: null,
    blockedStacks: [],
    ...over
  }
}

describe('what the rate window covers, in words', () => {
  it('says the window once it is full', () => {
    expect(windowPhrase({ windowMs: 5000, spanMs: 5000, state: 'full' }, 30_000)).toBe('over the last 5 s')
  })

  it('says since the change, and for how long, before the window is full', () => {
    expect(windowPhrase({ windowMs: 5000, spanMs: 1200, state: 'since-change' }, 20_000)).toBe(
      'since the change · 1.2 s'
    )
  })

  it('says since the start when the span began with the run', () => {
    expect(windowPhrase({ windowMs: 5000, spanMs: 4300, state: 'since-change' }, 4300)).toBe('since the start · 4.3 s')
  })

  it('says settling while the host has no rate yet', () => {
    expect(windowPhrase({ windowMs: 5000, spanMs: 0, state: 'settling' }, 20_000)).toBe('settling…')
  })
})

describe('the tiles', () => {
  it('show the last frame while a run is on, with the host’s theory and maxima', () => {
    const t = tileFigures(live({ rps: 49.2, inFlight: 100, active: 1, queued: 99, maxQueued: 99, theoryRps: 50 }))
    expect(t).toMatchObject({
      mode: 'live',
      caption: null,
      rps: '49.2',
      theory: '50',
      span: 'over the last 5 s',
      inFlight: '100',
      active: '1',
      queued: '99',
      maxQueued: '99'
    })
  })

  it("say under the queue how many of libuv's threads are busy and how many requests wait for one, only with its work", () => {
    const busy = tileFigures(live({ queued: 16, libuvPool: { size: 4, busy: 4, waiting: 16, fileReadMs: 1234 } }))
    expect(busy).toMatchObject({ libuvPool: 'pool 4/4 busy · 16 wait', libuvFileRead: 'file read 1.23 s' })
    expect(tileFigures(live()).libuvPool).toBeNull()
    const ended = { running: false, last: null, settingsTheoryRps: 7 }
    expect(
      tileFigures({
        ...ended,
        summary: summary({ libuvPool: { size: 8, maxBusy: 8, maxWaiting: 12, maxFileReadMs: 0.4 } })
      })
    ).toMatchObject({
      libuvPool: 'pool of 8 · 12 waited at most',
      libuvFileRead: 'file read ≤ 0.40 ms'
    })
    expect(tileFigures({ ...ended, summary: summary() }).libuvPool).toBeNull()
  })

  it('show no throughput while the window settles, and say so', () => {
    const t = tileFigures(live({ rps: null, window: { windowMs: 5000, spanMs: 0, state: 'settling' } }))
    expect(t.rps).toBe('–')
    expect(t.span).toBe('settling…')
    expect(t.rpsHelp).toMatch(/Settling/)
  })

  it('say what the latency covers while the rate settles: what was answered since the change', () => {
    const t = tileFigures(live({ rps: null, window: { windowMs: 5000, spanMs: 1500, state: 'settling' } }))
    expect([t.rps, t.span, t.latencySpan]).toEqual(['–', 'settling…', 'since the change · 1.5 s'])
    expect(tileFigures(live({ rps: null, window: { windowMs: 5000, spanMs: 0, state: 'settling' } })).latencySpan).toBe(
      'settling…'
    )
  })

  it('say the latency covers the same window as throughput', () => {
    const t = tileFigures(live({ window: { windowMs: 5000, spanMs: 1200, state: 'since-change' } }))
    expect(t.span).toBe('since the change · 1.2 s')
    expect(t.latencySpan).toBe(t.span)
    expect(t.latencyHelp).toMatch(/same window as throughput/)
    expect(t.rpsHelp).not.toMatch(/last second/)
  })

  it('say under BLOCKED what the loop is stuck in, once the host has caught it, and nothing once it is free', () => {
    const blockedStack = {
      frames: [
        { functionName: 'cpuBlocking', file: 'pool-task.js', line: 24, column: 5, kind: 'user' as const },
        { functionName: 'workHandler', file: 'routes.ts', line: 15, column: 49, kind: 'user' as const }
      ],
      native: null
    }
    expect(tileFigures(live({ stallMs: 700, stalled: true, blockedStack })).blockedIn).toBe(
      'in cpuBlocking (pool-task.js:24) ← workHandler'
    )
    expect(tileFigures(live({ stallMs: 70, stalled: true, blockedStack: null })).blockedIn).toBeNull()
    expect(tileFigures(live({ stallMs: 3, stalled: false, blockedStack })).blockedIn).toBeNull()
  })

  it('say BLOCKED only when the host says the loop is stalled, and the run’s longest stall otherwise', () => {
    expect(tileFigures(live({ stallMs: 1300, stalled: true }))).toMatchObject({
      stalled: true,
      stall: 'BLOCKED 1.30 s'
    })
    expect(tileFigures(live({ stallMs: 9, stalled: false, maxStallMs: 2040 }))).toMatchObject({
      stalled: false,
      stall: 'longest stall 2.04 s'
    })
  })

  it('say live how many requests failed, and how fast; nothing while none has', () => {
    expect(tileFigures(live({ errors: 0, errorsPerS: 0 })).failed).toBeNull()
    expect(tileFigures(live({ errors: 1354, errorsPerS: 120 })).failed).toBe('1,354 failed · 120/s')
    // failed earlier, none in the window now: the count stays, the rate goes
    expect(tileFigures(live({ errors: 354, errorsPerS: 0 })).failed).toBe('354 failed')
    expect(tileFigures({ ...live(), summary: summary({ errors: 354 }) }).failed).toBe('354 failed')
    expect(tileFigures({ ...live(), summary: summary({ errors: 0 }) }).failed).toBeNull()
  })

  it('say the app is restarting behind the front door, not a loop delay of 0 ms, until the new one is up', () => {
    const hold = { held: true, waiting: 20, atApp: 0, restarting: true, appPid: 10 }
    const t = tileFigures(live({ loopDelayP99Ms: 0, maxStallMs: 185, hold }))
    expect(t).toMatchObject({ loopP99: '–', stall: 'app restarting' })
    // the drain before it (under a hold, what is at the old app finishes first): the old app is there, perhaps blocked
    const draining = { ...hold, appDown: false }
    expect(tileFigures(live({ stallMs: 900, stalled: true, hold: draining }))).toMatchObject({
      stall: 'BLOCKED 900 ms'
    })
    expect(tileFigures(live({ loopDelayP99Ms: 0, hold: { ...hold, appDown: true } }))).toMatchObject({
      loopP99: '–',
      stall: 'app restarting'
    })
    const up = tileFigures(live({ loopDelayP99Ms: 2.5, maxStallMs: 185, hold: { ...hold, restarting: false } }))
    expect(up).toMatchObject({ loopP99: '2.50 ms', stall: 'longest stall 185 ms' })
  })

  it('show the ended run’s whole-run figures, labelled, never a live badge', () => {
    const t = tileFigures({
      running: false,
      last: makeFrame(30_000, { stallMs: 25_800, stalled: true, inFlight: 100, queued: 99 }),
      summary: summary(),
      settingsTheoryRps: 7
    })
    expect(t).toMatchObject({
      mode: 'ended',
      rps: '20.1',
      theory: '50',
      span: 'whole run · 30.4 s',
      p99: '9.87 s',
      inFlight: '100',
      inFlightSub: 'unanswered at the end',
      active: null,
      queued: '–',
      maxQueued: '99',
      stalled: false,
      stall: 'longest stall 25.8 s'
    })
    expect(t.caption).toBe('Run ended — whole-run figures (stopped by you, 30.4 s)')
  })

  it('show the summary even while the status still says running (the summary comes first)', () => {
    expect(tileFigures({ ...live({ stalled: true, stallMs: 9000 }), summary: summary() }).mode).toBe('ended')
  })

  it('after a killed subject, show its figures the same way, with no unanswered count it could not know', () => {
    const t = tileFigures({
      running: false,
      last: makeFrame(3000, { stalled: true, stallMs: 400 }),
      summary: summary({ reason: 'error', unanswered: null }),
      settingsTheoryRps: 7
    })
    expect(t).toMatchObject({ mode: 'ended', stalled: false, inFlight: '–' })
    expect(t.caption).toMatch(/ended by an error/)
  })

  it('clear when no run is on and no summary is shown, keeping the theory for the settings', () => {
    const t = tileFigures({
      running: false,
      last: makeFrame(30_000, { stalled: true, stallMs: 9000 }),
      summary: null,
      settingsTheoryRps: 5
    })
    expect(t).toMatchObject({
      mode: 'idle',
      rps: '–',
      inFlight: '–',
      queued: '–',
      stalled: false,
      theory: '5',
      caption: null
    })
  })
})

describe('the subscribers’ tiles', () => {
  it('name the transport beside memory per connection, and show long polling’s re-polls beside its cost', () => {
    const lp = tileFigures(
      live({ push: pushFrame({ held: 4_990, subscribers: 5_000, requestsPerS: 10_000, cpuPerDeliveryUs: 41.25 }) })
    )
    expect(lp.bytesPerHeld).toEqual({ value: '8.8 KB', held: '5,000 on long polling' })
    expect(lp.pushCost).toMatchObject({ value: '41.3 µs', sub: '310 B in · 90 B out · 10,000 re-polls/s' })
    const sse = tileFigures(
      live({
        push: pushFrame({
          transport: 'sse',
          held: 0,
          subscribers: 5_000,
          requestsPerS: 0,
          cpuPerDeliveryUs: 3.5,
          bytesInPerDelivery: 75,
          bytesOutPerDelivery: 0
        })
      })
    )
    expect(sse.bytesPerHeld!.held).toBe('5,000 on SSE')
    expect(sse.pushCost).toMatchObject({ value: '3.5 µs', sub: '75 B in · 0 B out' })
    expect(sse.pushCost!.help).toContain('SSE: one frame written to an open connection')
  })

  it('give the whole run’s cost at the end, naming every transport it used', () => {
    const t = tileFigures({
      running: false,
      last: null,
      settingsTheoryRps: null,
      summary: summary({
        push: pushSummary({
          transport: 'websocket',
          byTransport: [pushSummary(), pushSummary({ transport: 'websocket' })]
        })
      })
    })
    expect(t.pushCost).toMatchObject({ value: '40.0 µs', sub: '310 B in · 90 B out · 50 requests' })
    expect(t.pushCost!.help).toContain('(long polling, WebSocket)')
    expect(t.bytesPerHeld!.held).toBe('10 on WebSocket')
  })
})

describe('the summary panel’s words on the subscribers', () => {
  it('names the transport, and gives each transport a line when the run changed transport', () => {
    expect(pushSummaryWords(pushSummary({ transport: 'sse', held: 0 })).main).toBe(
      '10 over SSE; 45 delivered, p99 3.00 ms; 8.0 KB per connection'
    )
    expect(pushSummaryWords(pushSummary()).main).toContain('10 over long polling, 9 held at /wait at most;')
    expect(pushSummaryWords(pushSummary({ transport: 'websocket', slowConsumersCut: 3 })).main).toMatch(
      /; 3 cut by the subject as slow consumers$/
    )
    const changed = pushSummary({
      transport: 'websocket',
      byTransport: [
        pushSummary({ delivered: 20 }),
        pushSummary({ transport: 'websocket', delivered: 25, requests: null })
      ]
    })
    expect(pushSummaryWords(changed).perTransport).toEqual([
      'long polling: 20 delivered · 40.0 µs CPU · 310 B in, 90 B out · 50 requests',
      'WebSocket: 25 delivered · 40.0 µs CPU · 310 B in, 90 B out'
    ])
  })
})

describe("the throughput chart's note", () => {
  it('says the window it averages over, and never a count of round trips the window may not hold', () => {
    const note = throughputNote(3000)
    expect(note.long).toBe('Answers come in waves: averaged over the last 3 s, a window fitted to the round trip.')
    expect(note.short).toBe('Answers come in waves: averaged over the last 3 s.')
    expect(note.help).toContain('3 round trips of the delay, kept within 3 to 10 s')
    expect(throughputNote(null).short).toBe('Answers come in waves: averaged over a fitted window.')
  })
})
