/**
 * Several subject processes as the tiles read them (sampler/processes.ts), the theory's bound for them, and the
 * settings they refuse. Time is passed in as `now`.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { spreadCost } from '../../src/main/lab/sampler/spread'
import { processLines } from '../../src/cli/report-processes'
import { formatProgress } from '../../src/cli/report'
import { blockedProcessesText, unevenText } from '../../src/renderer/src/frames/process-rows'
import { parseRunText, runFrames, runSummary, runToJson } from '../../src/shared/run-file'
import type { ProcessFrame } from '../../src/shared/frame'
import type { Settings } from '../../src/shared/settings'
import { fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'
import type { SubjectReport } from '../../src/main/lab/protocol'
import { workerReport } from '../helpers/subject-report'
import { applyPatch, DEFAULT_SETTINGS, withDefaults } from '../../src/shared/settings'
import { theoryFormula, theoryRps } from '../../src/shared/theory'

const report = (worker: number, utilization: number, p99Ms = 2): SubjectReport =>
  workerReport(worker, { utilization, p99Ms })

/** the strip's line for these rows: what the host finds the spread costs (spread.ts), in the renderer's words */
const unevenFor = (rows: ProcessFrame[], s: Settings, cpuCount = 2): string | null =>
  unevenText({ processes: rows, spread: spreadCost(rows, s, cpuCount) })

describe("libuv's pools over two processes", () => {
  it('reads them as one: their threads, busy and waiting added up, the slowest file read of either', () => {
    const settings = withDefaults({ processes: 2, work: 'libuv', uvThreadpoolSize: 4, concurrency: 20 })
    const s = new Sampler(settings, 0)
    // before any report: both pools' threads
    expect(s.frame(50).libuvPool).toEqual({ size: 8, busy: 0, waiting: 0, fileReadMs: null })
    s.subjectReport({ ...report(1, 0.1), libuvPool: { size: 4, busy: 4, waiting: 6, fileReadMs: 2010 } }, 100)
    s.subjectReport({ ...report(2, 0.1), libuvPool: { size: 4, busy: 3, waiting: 0, fileReadMs: 1.5 } }, 100)
    expect(s.frame(150).libuvPool).toEqual({ size: 8, busy: 7, waiting: 6, fileReadMs: 2010 })
    // each process's latest report counts, not both processes' older ones
    s.subjectReport({ ...report(1, 0.1), libuvPool: { size: 4, busy: 4, waiting: 2, fileReadMs: 900 } }, 200)
    expect(s.frame(250).libuvPool).toEqual({ size: 8, busy: 7, waiting: 2, fileReadMs: 900 })
    expect(s.summary('duration', 1000, null, 300).libuvPool).toEqual({
      size: 8,
      maxBusy: 7,
      maxWaiting: 6,
      maxFileReadMs: 2010
    })
  })
})

describe('the tiles over two processes', () => {
  it('one blocked process is not the server stalled; both silent is', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let t = 10; t <= 500; t += 10) s.heartbeat(t, 1, 1)
    // worker 2 beat last at 100 ms: blocked for 400 ms while worker 1 goes on
    for (let t = 10; t <= 100; t += 10) s.heartbeat(t, 1, 2)
    const frame = s.frame(500)
    expect(frame.stalled).toBe(false)
    expect(frame.stallMs).toBe(0)
    expect(frame.maxStallMs).toBe(400)
    // both silent from 500 ms: the server is
    const later = s.frame(900)
    expect(later.stalled).toBe(true)
    expect(later.stallMs).toBe(400)
  })

  it('active requests add up over the processes, utilization is their mean and rss their sum', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    // the crowd has 8 in flight: active is what the processes say, up to that
    s.useInFlightGauge(new Int32Array([8]))
    s.heartbeat(10, 3, 1)
    s.heartbeat(12, 2, 2)
    s.subjectReport(report(1, 0.9, 30), 100)
    s.subjectReport(report(2, 0.1, 4), 100)
    s.heartbeat(105, 3, 1)
    s.heartbeat(106, 2, 2)
    const frame = s.frame(110)
    expect(frame.active).toBe(5)
    expect(frame.loopUtilization).toBe(0.5)
    expect(frame.loopDelayP99Ms).toBe(30)
    expect(frame.rssBytes).toBe(100e6)
  })
})

describe('a row per process', () => {
  it('names the blocked process in its row; one process has no rows at all', () => {
    const s = new Sampler(withDefaults({ processes: 2 }), 0)
    for (let t = 10; t <= 500; t += 10) s.heartbeat(t, 1, 1)
    s.heartbeat(100, 1, 2)
    const rows = s.frame(500).processes!
    expect(rows.map((r) => [r.process, r.stalled, r.stallMs])).toEqual([
      [1, false, 0],
      [2, true, 400]
    ])
    const summary = s.summary('stopped', 500, null, 500)
    expect(summary.processes!.map((r) => [r.process, r.maxStallMs])).toEqual([
      [1, 10],
      [2, 400]
    ])
    expect(summary.loop.maxStallMs).toBe(400)

    const one = new Sampler(withDefaults({}), 0)
    one.heartbeat(10, 1)
    expect('processes' in one.frame(20)).toBe(false)
    expect('processes' in one.summary('stopped', 20, null, 20)).toBe(false)
  })

  it('carries what an uneven spread costs in the frame, for the strip, the CLI and a saved run alike', () => {
    // blocking work, 10 users on 2 processes: one process holds all 10, so 1 is served where 2 could be
    const s = new Sampler(withDefaults({ blocking: true, delayMs: 200, concurrency: 10, processes: 2 }), 0)
    s.heartbeat(10, 10, 1)
    s.heartbeat(10, 0, 2)
    const uneven = s.frame(20)
    expect(uneven.spread).toEqual({ perProcess: 1, served: 1, even: 2, servedRps: 5 })
    s.heartbeat(100, 5, 1)
    s.heartbeat(100, 5, 2)
    const even = s.frame(110)
    expect('spread' in even).toBe(false)
    const frames = [uneven, even]
    const back = runFrames(parseRunText(runToJson(fixtureRun({ frames })), 'x.json'))
    expect(back.map((f) => f.spread)).toEqual([uneven.spread, undefined])
    expect(unevenText(back[0])).toBe(
      'unevenly spread: 10 / 0 active — each process serves one request at a time, so 1 is served (≈ 5 req/s) where an even spread would serve 2'
    )
    expect(unevenText(back[1])).toBeNull()
    expect(formatProgress(uneven)).toContain(' · uneven spread 10/0: 1 served at once, an even spread 2')
    expect(formatProgress(even)).not.toContain('uneven')
  })

  it('words: the tile names a blocked process, the strip an uneven spread, the report a row each', () => {
    const row = (process: number, stalled: boolean, active: number): ProcessFrame => ({
      process,
      loopDelayP99Ms: 2,
      loopUtilization: 0.5,
      stallMs: stalled ? 1300 : 0,
      stalled,
      active
    })
    expect(blockedProcessesText([row(1, false, 2), row(2, true, 2)])).toBe('process 2 blocked 1.30 s')
    expect(blockedProcessesText([row(1, true, 2), row(2, true, 2)])).toBeNull()
    expect(blockedProcessesText([row(1, false, 2), row(2, false, 2)])).toBeNull()
    // blocking work: one request at a time in each process
    const blocking = withDefaults({ blocking: true, delayMs: 200, concurrency: 10, processes: 2 })
    expect(unevenFor([row(1, false, 5), row(2, false, 5)], blocking)).toBeNull()
    // one connection each would do: the rest wait anyway
    expect(unevenFor([row(1, false, 8), row(2, false, 2)], blocking)).toBeNull()
    expect(unevenFor([row(1, false, 10), row(2, false, 0)], blocking)).toBe(
      'unevenly spread: 10 / 0 active — each process serves one request at a time, so 1 is served (≈ 5 req/s) where an even spread would serve 2'
    )
    // a pool of 2 backend connections in each: 19 / 1 serves 3, an even spread 4
    const upstream = withDefaults({
      work: 'upstream',
      upstreamConnections: 2,
      concurrency: 20,
      processes: 2,
      delayMs: 200
    })
    expect(unevenFor([row(1, false, 19), row(2, false, 1)], upstream)).toContain(
      'each process serves at most 2 at once, so 3 are served (≈ 15 req/s) where an even spread would serve 4'
    )
    expect(unevenFor([row(1, false, 11), row(2, false, 9)], upstream)).toBeNull()
    // evented work on the loop: every process serves all it holds, and no spread costs anything
    expect(unevenFor([row(1, false, 19), row(2, false, 1)], withDefaults({ processes: 2 }))).toBeNull()
    // fewer requests than the processes could serve: 1 / 0 serves the one there is
    expect(unevenFor([row(1, false, 1), row(2, false, 0)], blocking)).toBeNull()
    // computation on more processes than cores: 4 / 4 / 0 / 0 on 2 cores serves the 2 an even spread would
    const cpu = withDefaults({ work: 'cpu', delayMs: 100, concurrency: 8, processes: 4 })
    const four = (...a: number[]): ProcessFrame[] => a.map((n, i) => row(i + 1, false, n))
    expect(unevenFor(four(4, 4, 0, 0), cpu, 2)).toBeNull()
    expect(unevenFor(four(8, 0, 0, 0), cpu, 2)).toBe(
      'unevenly spread: 8 / 0 / 0 / 0 active — each process serves one request at a time, so 1 is served (≈ 10 req/s) where an even spread would serve 2'
    )
    // hello world holds nothing, whatever blocking says; an open loop's counts of the moment say nothing lasting
    expect(unevenFor([row(1, false, 5), row(2, false, 0)], { ...blocking, route: 'hello' })).toBeNull()
    expect(unevenFor([row(1, false, 5), row(2, false, 0)], { ...blocking, mode: 'open' })).toBeNull()
    const lines = processLines({
      ...fixtureSummary(),
      processes: [
        { process: 1, delayP99Ms: 1012, maxStallMs: 1022, utilization: 0.994 },
        { process: 2, delayP99Ms: 3.5, maxStallMs: 0, utilization: 0.01 }
      ]
    })
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/process 1 +delay p99 1012 ms · longest stall 1022 ms · utilization 99\.4%/)
    expect(processLines(fixtureSummary())).toEqual([])
  })

  it('a saved run keeps the rows; a file from before them still loads, without them', () => {
    const rows: ProcessFrame[] = [
      { process: 1, loopDelayP99Ms: 3, loopUtilization: 0.9, stallMs: 0, stalled: false, active: 2 }
    ]
    const frames = fixtureFrames().map((f) => ({ ...f, processes: rows }))
    const saved = fixtureRun({ frames })
    saved.summary = { ...saved.summary, processes: [{ process: 1, delayP99Ms: 3, maxStallMs: 5, utilization: 0.9 }] }
    const back = parseRunText(runToJson(saved), 'x.json')
    expect(runFrames(back)).toEqual(frames)
    expect(runSummary(back).processes).toEqual(saved.summary.processes)

    const old = JSON.parse(runToJson(fixtureRun()))
    delete old.frames.processes
    delete old.settings.processes
    delete old.summary.settings.processes
    const read = parseRunText(JSON.stringify(old), 'old.json')
    expect(read.settings.processes).toBe(1)
    expect(runFrames(read).some((f) => 'processes' in f)).toBe(false)
  })
})

describe('requests on a blocked process', () => {
  it('a process stalled by blocking work is serving one request, counted in its row and in active', () => {
    const s = new Sampler(withDefaults({ processes: 2, blocking: true }), 0)
    s.useInFlightGauge(new Int32Array([3]))
    // process 1 beat last at 100 ms with nothing active: the request that holds it came after
    s.heartbeat(100, 0, 1)
    for (let t = 10; t <= 500; t += 10) s.heartbeat(t, 0, 2)
    const frame = s.frame(500)
    expect(frame.processes!.map((r) => [r.process, r.stalled, r.active])).toEqual([
      [1, true, 1],
      [2, false, 0]
    ])
    expect(frame.active).toBe(1)
    expect(frame.queued).toBe(2)
  })

  it('every process blocked: one request running on each, the rest queued', () => {
    const s = new Sampler(withDefaults({ processes: 2, blocking: true }), 0)
    s.useInFlightGauge(new Int32Array([5]))
    s.heartbeat(100, 0, 1)
    s.heartbeat(100, 0, 2)
    const frame = s.frame(600)
    expect(frame.stalled).toBe(true)
    expect([frame.active, frame.queued]).toEqual([2, 3])
  })
})

describe('the bound with several processes', () => {
  it('blocking work on the loop: min(c, processes) / delay', () => {
    const s = withDefaults({ blocking: true, delayMs: 200, concurrency: 10, processes: 4 })
    expect(theoryRps(s)).toBe(20)
    expect(theoryRps({ ...s, concurrency: 3 })).toBe(15)
    expect(theoryFormula(s)).toContain('min(c = 10, processes = 4) / 200 ms')
  })

  it('computation: at most one process per core; threads: processes × threads', () => {
    expect(theoryRps(withDefaults({ work: 'cpu', delayMs: 100, concurrency: 10, processes: 4 }), 2)).toBe(20)
    expect(theoryRps(withDefaults({ delayMs: 100, concurrency: 20, processes: 2, threads: 3 }), 2)).toBe(60)
  })
})

describe('the processes setting', () => {
  it('takes work "upstream" with several processes: one backend, a pool each, and the bound counts every pool', () => {
    const s = applyPatch(DEFAULT_SETTINGS, {
      processes: 2,
      work: 'upstream',
      upstreamConnections: 2,
      concurrency: 20,
      delayMs: 300
    })
    expect(theoryRps(s)).toBeCloseTo(13.33, 2)
    expect(theoryFormula(s)).toBe('min(c = 20, processes × backend connections = 2 × 2) / 300 ms')
    // the connections of the crowd are the bound when they are fewer than the pools'
    expect(theoryRps({ ...s, concurrency: 3 })).toBe(10)
    // blocking: each process's loop makes one call at a time
    expect(theoryRps({ ...s, blocking: true })).toBeCloseTo(6.67, 2)
  })

  it('takes the front door with several processes: a restart behind it replaces the whole app', () => {
    const patch = { processes: 2, frontDoor: true }
    expect(applyPatch(DEFAULT_SETTINGS, patch)).toMatchObject(patch)
  })

  it("takes work on libuv's pool with several processes: a pool each, and the bound counts them all", () => {
    const s = applyPatch(DEFAULT_SETTINGS, {
      processes: 2,
      work: 'libuv',
      uvThreadpoolSize: 4,
      concurrency: 20,
      delayMs: 500
    })
    expect(theoryRps(s)).toBe(16)
    expect(theoryFormula(s)).toBe('min(c = 20, processes × libuv pool = 2 × 4) / 500 ms')
    // blocking: each process's loop does one task at a time
    expect(theoryRps({ ...s, blocking: true })).toBe(4)
  })

  it('takes subscribers and publishing with several processes: the broadcast log is shared by them all', () => {
    for (const store of ['memory', 'redis'] as const) {
      const patch = { processes: 2, subscribers: 10, publishRatePerS: 5, store }
      expect(applyPatch(DEFAULT_SETTINGS, patch)).toMatchObject(patch)
    }
  })
})
