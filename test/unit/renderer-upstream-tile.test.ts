import { describe, expect, it } from 'vitest'
import { tileFigures } from '../../src/renderer/src/frames/tiles'
import { upstreamSummaryWords } from '../../src/renderer/src/frames/upstream-tile'
import { fixtureFrames, fixtureSummary } from '../helpers/run-fixture'

const frame = {
  ...fixtureFrames()[5]!,
  upstream: { up: true, backendInFlight: 10, waitingForConnection: 40, answerMs: { p50: 501, p99: 507.4 }, failed: 0 }
}

describe('the backend tile', () => {
  it('shows live what is at the backend and what waits for a connection', () => {
    const t = tileFigures({ running: true, last: frame, summary: null, settingsTheoryRps: null })
    expect(t.upstream).toMatchObject({ value: '10', sub: 'wait conn. 40 · p99 507 ms', down: false })
  })

  it('says the backend is down, as an alert, once it has ended', () => {
    const down = { ...frame, upstream: { ...frame.upstream, up: false, backendInFlight: 0, failed: 1234 } }
    expect(tileFigures({ running: true, last: down, summary: null, settingsTheoryRps: null }).upstream).toMatchObject({
      value: 'down',
      sub: '1,234 calls failed',
      down: true
    })
  })

  it("shows the whole run's figures once it ended, and no tile for a run without a backend", () => {
    const upstream = {
      answered: 140,
      failed: 0,
      answerP50Ms: 501,
      answerP99Ms: 507,
      answerMaxMs: 509,
      maxBackendInFlight: 10,
      maxWaitingForConnection: 40,
      backendExited: false
    }
    expect(
      tileFigures({ running: false, last: frame, summary: { ...fixtureSummary(), upstream }, settingsTheoryRps: null })
        .upstream
    ).toMatchObject({
      value: '10',
      sub: 'most at once · wait conn. max 40 · p99 507 ms',
      down: false
    })
    expect(
      tileFigures({ running: true, last: fixtureFrames()[5]!, summary: null, settingsTheoryRps: null }).upstream
    ).toBeNull()
    expect(
      tileFigures({ running: false, last: null, summary: fixtureSummary(), settingsTheoryRps: null }).upstream
    ).toBeNull()
  })

  it("says the run's backend in the summary panel's words", () => {
    const u = {
      answered: 1400,
      failed: 0,
      answerP50Ms: 501,
      answerP99Ms: 507,
      answerMaxMs: 509,
      maxBackendInFlight: 10,
      maxWaitingForConnection: 40,
      backendExited: false
    }
    expect(upstreamSummaryWords(u)).toBe(
      '1,400 answers, p50 501 ms, p99 507 ms; at most 10 at the backend, 40 waiting for a connection'
    )
    expect(
      upstreamSummaryWords({
        ...u,
        answered: 0,
        answerP50Ms: null,
        answerP99Ms: null,
        maxWaitingForConnection: 0,
        failed: 12,
        backendExited: true
      })
    ).toBe('0 answers; at most 10 at the backend; 12 calls failed (the backend ended during the run)')
  })
})
