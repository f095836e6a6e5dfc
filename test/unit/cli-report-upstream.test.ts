import { describe, expect, it } from 'vitest'
import { formatProgress, formatReport } from '../../src/cli/report'
import { withDefaults } from '../../src/shared/settings'
import { fixtureFrames, fixtureSummary } from '../helpers/run-fixture'

describe('the CLI report of work "upstream"', () => {
  const settings = withDefaults({ work: 'upstream', upstreamConnections: 10, concurrency: 50, delayMs: 500 })
  const upstream = {
    answered: 140,
    failed: 2,
    answerP50Ms: 501.4,
    answerP99Ms: 507.2,
    answerMaxMs: 509,
    maxBackendInFlight: 10,
    maxWaitingForConnection: 40,
    backendExited: true
  }

  it("says where the time went: the backend's answers, its most in flight, the wait for a connection, the failures", () => {
    const text = formatReport({ ...fixtureSummary(), settings, upstream }, 'http://127.0.0.1:1')
    expect(text).toContain('GET /work — upstream 500 ms, evented over 10 connections')
    expect(text).toContain('Backend answers:          140 · p50 501 ms · p99 507 ms · max 509 ms')
    expect(text).toContain('Backend in flight:        at most 10')
    expect(text).toContain('Waiting for a connection: at most 40 (of the pool of 10)')
    expect(text).toContain('Backend calls failed:     2 — the backend process ended during the run')
  })

  it('with several processes, says the pool is one in each: the wait is over all of them', () => {
    const text = formatReport(
      { ...fixtureSummary(), settings: { ...settings, processes: 2 }, upstream },
      'http://127.0.0.1:1'
    )
    expect(text).toContain('GET /work — upstream 500 ms, evented over 10 connections in each of 2 processes')
    expect(text).toContain('Waiting for a connection: at most 40 (of the pool of 10 in each of 2 processes)')
    expect(text).toContain('= min(c = 50, processes × backend connections = 2 × 10) / 500 ms')
  })

  it('has no backend lines for a run without one, and the progress line names the backend only when there is one', () => {
    expect(formatReport(fixtureSummary(), 'http://127.0.0.1:1')).not.toContain('Backend')
    const frame = fixtureFrames()[5]!
    expect(formatProgress(frame)).not.toContain('backend')
    const live = {
      ...frame,
      upstream: { up: true, backendInFlight: 10, waitingForConnection: 40, answerMs: null, failed: 0 }
    }
    expect(formatProgress(live)).toContain(' · backend 10 in flight, 40 waiting for a connection')
    expect(formatProgress({ ...live, upstream: { ...live.upstream, up: false } })).toContain(' · backend DOWN')
  })
})
