import { describe, expect, it } from 'vitest'
import type { BackendReport, SubjectUpstreamReport } from '../../src/main/lab/protocol'
import { UpstreamFigures } from '../../src/main/lab/sampler/upstream'

function report(part: Partial<SubjectUpstreamReport> = {}): SubjectUpstreamReport {
  return { up: true, waitingForConnection: 0, failed: 0, ...part }
}

function line(inFlight: number, answerMs: number[] = []): BackendReport {
  return { inFlight, answered: answerMs.length, answerMs }
}

describe("the backend's figures (sampler/upstream.ts)", () => {
  it('has no block until a report carries the backend', () => {
    const u = new UpstreamFigures()
    u.report(undefined)
    expect(u.frame(100)).toBeNull()
    expect(u.summary()).toBeNull()
  })

  it('gives the gauges of the last report and line, and the answer times of the last second only', () => {
    const u = new UpstreamFigures()
    u.report(report({ waitingForConnection: 40 }))
    u.backend(line(10, [900, 900, 900]), 0)
    u.report(report({ waitingForConnection: 38 }))
    u.backend(line(9, [500, 500]), 600)
    // histograms keep 3 significant digits: 900 ms is known to within 1 ms
    const near = (ms: number): unknown => expect.closeTo(ms, -0.3)
    expect(u.frame(700)).toEqual({
      up: true,
      backendInFlight: 9,
      waitingForConnection: 38,
      answerMs: { p50: near(900), p99: near(900) },
      failed: 0
    })
    // a second after the first line, only the second's answers are left
    expect(u.frame(1100)!.answerMs).toEqual({ p50: near(500), p99: near(500) })
    expect(u.frame(1700)!.answerMs).toBeNull()
  })

  it("adds up the processes' calls waiting for a connection (a pool each, one backend); a replaced one's go", () => {
    const u = new UpstreamFigures()
    u.report(report({ waitingForConnection: 7 }), 1)
    u.report(report({ waitingForConnection: 9 }), 2)
    u.backend(line(4), 0)
    expect(u.frame(50)).toMatchObject({ backendInFlight: 4, waitingForConnection: 16 })
    // each process's latest report counts, once
    u.report(report({ waitingForConnection: 5 }), 1)
    expect(u.frame(100)!.waitingForConnection).toBe(14)
    expect(u.summary()!.maxWaitingForConnection).toBe(16)
    // process 2 died: its calls went with it, and its new process has not asked for the backend yet
    u.forget(2)
    expect(u.frame(150)!.waitingForConnection).toBe(5)
    // one process that saw the backend end says it for all
    u.report(report({ up: false }), 1)
    expect(u.frame(200)).toMatchObject({ up: false, backendInFlight: 0 })
    // every process gone at once (a restart behind the front door): the block stays, with nothing waiting, and the
    // run's books keep what happened
    u.newSubject()
    expect(u.frame(250)).toMatchObject({ up: true, waitingForConnection: 0 })
    expect(u.summary()).toMatchObject({ backendExited: true, maxWaitingForConnection: 16 })
  })

  it("takes the backend's lines while no subject report comes (its loop held by a blocking call)", () => {
    const u = new UpstreamFigures()
    u.report(report())
    u.backend(line(0, [1000]), 0)
    // the subject's loop is held from here on; only the backend's lines arrive
    u.backend(line(1), 100)
    expect(u.frame(150)).toMatchObject({ backendInFlight: 1 })
    u.backend(line(1, [1001]), 1050)
    expect(u.frame(1100)!.answerMs).toEqual({ p50: expect.closeTo(1001, -0.3), p99: expect.closeTo(1001, -0.3) })
    expect(u.summary()).toMatchObject({ answered: 2, maxBackendInFlight: 1 })
  })

  it('sums the run: answers, failures, the most in flight and waiting, and a backend that ended', () => {
    const u = new UpstreamFigures()
    u.report(report({ waitingForConnection: 2, failed: 1 }))
    u.backend(line(7, [100]), 0)
    u.backend(line(3, [200, 300]), 50)
    u.report(report({ up: false, failed: 4 }))
    // an ended backend holds nothing, whatever its last line said
    expect(u.frame(150)).toMatchObject({ up: false, backendInFlight: 0, failed: 5 })
    const near = (ms: number): unknown => expect.closeTo(ms, -0.3)
    expect(u.summary()).toEqual({
      answered: 3,
      failed: 5,
      answerP50Ms: near(200),
      answerP99Ms: near(300),
      answerMaxMs: near(300),
      maxBackendInFlight: 7,
      maxWaitingForConnection: 2,
      backendExited: true
    })
  })
})

describe('the backend over a run where nothing went wrong', () => {
  it('did not end, and with lines but no answers has no answer time', () => {
    const u = new UpstreamFigures()
    u.report(report({ waitingForConnection: 3 }))
    u.backend(line(10), 0)
    u.backend(line(10), 100)
    expect(u.frame(150)).toMatchObject({ up: true, backendInFlight: 10, answerMs: null })
    expect(u.summary()).toMatchObject({
      answered: 0,
      answerP50Ms: null,
      answerMaxMs: null,
      backendExited: false,
      maxWaitingForConnection: 3
    })
  })
})
