/**
 * The summary table of the HTML report and of Compare: each row's label and figure as a user reads them, for a run
 * with every block (subscribers, a backend, libuv's pool, the front door, two processes). The labels and units are
 * written out here by hand: they are ab's names where ab has one, and a rename is something a user notices.
 */
import { describe, expect, it } from 'vitest'
import { fixtureSummary } from '../helpers/run-fixture'
import type { Summary } from '../../src/shared/frame'
import { formatFigure, summaryFigures } from '../../src/shared/summary-figures'

function everyBlock(): Summary {
  return {
    ...fixtureSummary(),
    durationMs: 20_012.5,
    completed: 1000,
    errors: 3,
    rps: 49.96,
    theoryRps: 50,
    crowdBusy: 0.123,
    latencyMs: { min: 2000.1, mean: 2004.56, p50: 2003.04, p90: 2010.11, p99: 2020.26, max: 2101.94 },
    loop: { delayP99Ms: 10.55, maxStallMs: 2007.4, utilization: 0.0234 },
    maxInFlight: 100,
    maxQueued: 7,
    unanswered: { count: 4, oldestWaitMs: 1200 },
    push: {
      transport: 'websocket',
      subscribers: 200,
      held: 180,
      published: 40,
      owed: 8000,
      delivered: 7990,
      undelivered: 10,
      missed: 4,
      inFlight: 6,
      drainMs: 12,
      deliveryP50Ms: 1.5,
      deliveryP99Ms: 8.25,
      deliveryMaxMs: 20,
      timeouts: 0,
      requests: 210,
      bytesInPerDelivery: 310.4,
      bytesOutPerDelivery: 92,
      cpuPerDeliveryUs: 40.26,
      slowConsumersCut: 0,
      refused: 0,
      bytesPerHeld: 7168,
      byTransport: null
    },
    upstream: {
      answered: 990,
      failed: 2,
      answerP50Ms: 200.44,
      answerP99Ms: 230.06,
      answerMaxMs: 250,
      maxBackendInFlight: 10,
      maxWaitingForConnection: 90,
      backendExited: false
    },
    libuvPool: { size: 4, maxBusy: 4, maxWaiting: 16, maxFileReadMs: 1503.27 },
    hold: {
      holds: 2,
      heldRequests: 120,
      longestHoldMs: 3001.6,
      restarts: 1,
      appPids: [100, 200],
      failedAtApp: { reset: 2, refused: 1 }
    },
    processes: [
      { process: 1, delayP99Ms: 10.2, maxStallMs: 12, utilization: 0.5 },
      { process: 2, delayP99Ms: 2011, maxStallMs: 2005, utilization: 0.991 }
    ]
  }
}

const rows = (s: Summary): [string, string][] => summaryFigures(s).map((f) => [f.label, formatFigure(f)])

describe('the summary table', () => {
  it('reads, for a run with every block, row by row in this order', () => {
    expect(rows(everyBlock())).toEqual([
      ['Time taken', '20.013 s'],
      ['Complete requests', '1,000'],
      ['Failed requests', '3'],
      ['Requests per second', '49.96 req/s'],
      ["Theory (Little's law)", '50.00 req/s'],
      ['Measured / theory', '99.9%'],
      ['Latency mean', '2,004.6 ms'],
      ['Latency p50', '2,003.0 ms'],
      ['Latency p90', '2,010.1 ms'],
      ['Latency p99', '2,020.3 ms'],
      ['Latency max', '2,101.9 ms'],
      ['Loop delay p99', '10.6 ms'],
      ['Longest stall', '2,007 ms'],
      ['Loop utilization', '2.3%'],
      ["Crowd's own loop busy", '12.3%'],
      ['In flight at most', '100'],
      ['Queued at most', '7'],
      ['Unanswered at the end', '4'],
      ['Held at most', '180'],
      ['Delivered', '7,990'],
      ['Undelivered', '10'],
      ['Delivery p99', '8.3 ms'],
      ['Memory per connection', '7.0 KiB'],
      ['Subscriber requests', '210'],
      ['Subject CPU per delivery', '40.3 µs'],
      ['Bytes in per delivery', '310 B'],
      ['Backend answers', '990'],
      ['Backend answer p50', '200.4 ms'],
      ['Backend answer p99', '230.1 ms'],
      ['Backend answer max', '250.0 ms'],
      ['Backend in flight at most', '10'],
      ['Waiting for a connection at most', '90'],
      ['Backend calls failed', '2'],
      ["libuv's pool", '4 threads'],
      ['Pool threads busy at most', '4'],
      ['Waiting for a pool thread at most', '16'],
      ['Slowest unrelated file read', '1,503.3 ms'],
      ['Held at the front door', '120'],
      ['Longest hold', '3,002 ms'],
      ['App restarts', '1'],
      ['Failed at the app', '3'],
      ['Process 1: loop delay p99', '10.2 ms'],
      ['Process 1: longest stall', '12 ms'],
      ['Process 1: loop utilization', '50.0%'],
      ['Process 2: loop delay p99', '2,011.0 ms'],
      ['Process 2: longest stall', '2,005 ms'],
      ['Process 2: loop utilization', '99.1%']
    ])
  })

  it('keys each row — the Runs view’s data-figure, by which Compare lines up two runs — one row per process', () => {
    expect(summaryFigures(everyBlock()).map((f) => f.key)).toEqual([
      'durationS',
      'completed',
      'errors',
      'rps',
      'theoryRps',
      'ofTheory',
      'latencyMean',
      'latencyP50',
      'latencyP90',
      'latencyP99',
      'latencyMax',
      'loopDelayP99',
      'maxStall',
      'utilization',
      'crowdBusy',
      'maxInFlight',
      'maxQueued',
      'unanswered',
      'held',
      'delivered',
      'undelivered',
      'deliveryP99',
      'bytesPerHeld',
      'subscriberRequests',
      'cpuPerDelivery',
      'bytesInPerDelivery',
      'backendAnswered',
      'backendAnswerP50',
      'backendAnswerP99',
      'backendAnswerMax',
      'backendInFlight',
      'waitingForConnection',
      'backendFailed',
      'libuvPoolSize',
      'libuvMaxBusy',
      'libuvMaxWaiting',
      'libuvMaxFileRead',
      'heldRequests',
      'longestHold',
      'restarts',
      'failedAtApp',
      'process1DelayP99',
      'process1MaxStall',
      'process1Utilization',
      'process2DelayP99',
      'process2MaxStall',
      'process2Utilization'
    ])
  })

  it('has only the rows of the blocks a run has, and "—" for a figure it could not have', () => {
    const plain: Summary = {
      ...fixtureSummary(),
      theoryRps: null,
      latencyMs: null,
      unanswered: null,
      push: { ...everyBlock().push!, bytesPerHeld: null, deliveryP99Ms: null }
    }
    const got = new Map(rows(plain))
    expect(got.get('Measured / theory')).toBe('—')
    expect(got.get("Theory (Little's law)")).toBe('—')
    expect(got.get('Latency mean')).toBe('—')
    expect(got.get('Latency max')).toBe('—')
    expect(got.get('Unanswered at the end')).toBe('—')
    expect(got.get("Crowd's own loop busy")).toBe('—') // the fixture's summary predates the crowd's own loop
    expect(got.get('Memory per connection')).toBe('—')
    expect(got.get('Delivery p99')).toBe('—')
    for (const absent of ['Backend answers', "libuv's pool", 'Held at the front door', 'Process 1: longest stall']) {
      expect(got.has(absent)).toBe(false)
    }
    const without = new Map(
      rows({ ...plain, push: null, libuvPool: null, upstream: null, hold: null, processes: null })
    )
    expect(without.has('Delivered')).toBe(false)
    expect(without.size).toBe(18)
  })

  it('reads a theory of 0 as no theory, not a division by it', () => {
    const got = new Map(rows({ ...fixtureSummary(), theoryRps: 0, rps: 0 }))
    expect(got.get('Measured / theory')).toBe('—')
  })
})

describe('formatFigure', () => {
  it('groups thousands, keeps the digits, and puts a unit after a space but % straight after', () => {
    expect(formatFigure({ value: 2007, unit: 'ms', digits: 0 })).toBe('2,007 ms')
    expect(formatFigure({ value: 49.784, unit: 'req/s', digits: 2 })).toBe('49.78 req/s')
    expect(formatFigure({ value: 3, unit: 'req/s', digits: 2 })).toBe('3.00 req/s')
    expect(formatFigure({ value: 12.34, unit: '%', digits: 1 })).toBe('12.3%')
    expect(formatFigure({ value: 12, unit: '', digits: 0 })).toBe('12')
    expect(formatFigure({ value: null, unit: 'ms', digits: 1 })).toBe('—')
  })

  it('signs a difference when asked: + above 0, none at 0, the minus below', () => {
    expect(formatFigure({ value: 1.5, unit: 'ms', digits: 1 }, true)).toBe('+1.5 ms')
    expect(formatFigure({ value: 0, unit: 'ms', digits: 1 }, true)).toBe('0.0 ms')
    expect(formatFigure({ value: -1.5, unit: 'ms', digits: 1 }, true)).toBe('-1.5 ms')
    expect(formatFigure({ value: 1.5, unit: 'ms', digits: 1 })).toBe('1.5 ms')
  })
})
