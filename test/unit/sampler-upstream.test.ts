import { describe, expect, it } from 'vitest'
import { buildHistogram, encodeHistogram, recordMs } from '../../src/main/lab/histogram'
import type { SubjectUpstreamReport } from '../../src/main/lab/protocol'
import { UpstreamFigures } from '../../src/main/lab/sampler/upstream'

function report(part: Partial<SubjectUpstreamReport> & { answerMs?: number[] } = {}): SubjectUpstreamReport {
  const h = buildHistogram()
  for (const ms of part.answerMs ?? []) recordMs(h, ms)
  return {
    up: true, inFlight: 0, maxInFlight: 0, waitingForConnection: 0, answered: part.answerMs?.length ?? 0, failed: 0,
    ...part, answerHistogram: encodeHistogram(h)
  }
}

describe('the backend\'s figures (sampler/upstream.ts)', () => {
  it('has no block until a report carries the backend', () => {
    const u = new UpstreamFigures()
    u.report(undefined, 0)
    expect(u.frame(100)).toBeNull()
    expect(u.summary()).toBeNull()
  })

  it('gives the gauges of the last report and the answer times of the last second only', () => {
    const u = new UpstreamFigures()
    u.report(report({ inFlight: 10, maxInFlight: 10, waitingForConnection: 40, answerMs: [900, 900, 900] }), 0)
    u.report(report({ inFlight: 9, maxInFlight: 10, waitingForConnection: 38, answerMs: [500, 500] }), 600)
    // histograms keep 3 significant digits: 900 ms is known to within 1 ms
    const near = (ms: number): unknown => expect.closeTo(ms, -0.3)
    expect(u.frame(700)).toEqual({ up: true, backendInFlight: 9, waitingForConnection: 38, answerMs: { p50: near(900), p99: near(900) }, failed: 0 })
    // a second after the first report, only the second's answers are left
    expect(u.frame(1100)!.answerMs).toEqual({ p50: near(500), p99: near(500) })
    expect(u.frame(1700)!.answerMs).toBeNull()
  })

  it('sums the run: answers, failures, the most in flight and waiting, and a backend that ended', () => {
    const u = new UpstreamFigures()
    u.report(report({ inFlight: 3, maxInFlight: 7, waitingForConnection: 2, answerMs: [100, 200, 300], failed: 1 }), 0)
    u.report(report({ up: false, failed: 4 }), 100)
    expect(u.frame(150)).toMatchObject({ up: false, backendInFlight: 0, failed: 5 })
    const near = (ms: number): unknown => expect.closeTo(ms, -0.3)
    expect(u.summary()).toEqual({
      answered: 3, failed: 5, answerP50Ms: near(200), answerP99Ms: near(300), answerMaxMs: near(300), maxBackendInFlight: 7,
      maxWaitingForConnection: 2, backendExited: true
    })
  })
})
