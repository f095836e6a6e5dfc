/** Work "upstream" in the Runs comparison's table and the HTML report: the backend block, as the push block is shown. */
import { describe, expect, it } from 'vitest'
import { compareFigures } from '../../src/shared/compare-figures'
import type { Frame, Summary, UpstreamSummary } from '../../src/shared/frame'
import { reportHtml } from '../../src/shared/report/report-html'
import { buildRunFile } from '../../src/shared/run-file'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'

const POOL_OF_10: UpstreamSummary = {
  answered: 400,
  failed: 0,
  answerP50Ms: 501.2,
  answerP99Ms: 507.9,
  answerMaxMs: 512,
  maxBackendInFlight: 10,
  maxWaitingForConnection: 40,
  backendExited: false
}
const withBackend = (u: UpstreamSummary): Summary => ({ ...fixtureSummary(), upstream: u })

describe('the Runs comparison of backends', () => {
  it('sets a run with 50 connections against one with a pool of 10: at the backend, waiting, answer times', () => {
    const rows = compareFigures([
      withBackend(POOL_OF_10),
      withBackend({ ...POOL_OF_10, maxBackendInFlight: 50, maxWaitingForConnection: 0, answerP50Ms: 502.4 })
    ])
    const row = (key: string) => rows.find((r) => r.key === key)
    expect(row('backendInFlight')).toMatchObject({
      label: 'Backend in flight at most',
      cells: [
        { value: '10', diff: null, ratio: null },
        { value: '50', diff: '+40', ratio: '×5.0' }
      ]
    })
    expect(row('waitingForConnection')!.cells[1]).toEqual({ value: '0', diff: '−40', ratio: '−100%' })
    expect(row('backendAnswerP50')!.cells.map((c) => c.value)).toEqual(['501.2 ms', '502.4 ms'])
    expect(row('backendAnswered')!.cells[1]).toMatchObject({ value: '400', ratio: 'same' })
    expect(row('backendFailed')!.cells[0]!.value).toBe('0')
  })

  it('shows "—" for a run of other work, beside one with a backend', () => {
    const rows = compareFigures([fixtureSummary(), withBackend(POOL_OF_10)])
    expect(rows.find((r) => r.key === 'backendInFlight')!.cells).toEqual([
      { value: '—', diff: null, ratio: null },
      { value: '10', diff: '—', ratio: '—' }
    ])
  })
})

describe('the HTML report of a run with a backend', () => {
  const frames: Frame[] = fixtureFrames().map((f) => ({
    ...f,
    upstream: { up: true, backendInFlight: 10, waitingForConnection: 40, answerMs: { p50: 501, p99: 507 }, failed: 0 }
  }))
  const run = buildRunFile({
    id: '20261202-000000-000-beef',
    name: 'a pool of 10',
    startedAt: '2026-12-02T00:00:00.000Z',
    appVersion: '0.1.0',
    settings: { ...DEFAULT_SETTINGS, work: 'upstream' },
    frames,
    summary: withBackend(POOL_OF_10),
    errors: [],
    subjectUrl: 'http://127.0.0.1:40000'
  })

  it("lists the backend figures among the summary's", () => {
    const html = reportHtml(run)
    expect(html).toContain('<div><span>Backend answer p99</span><b>507.9 ms</b></div>')
    expect(html).toContain('<div><span>Waiting for a connection at most</span><b>40</b></div>')
  })

  it('draws a chart of the backend: at it and waiting for a connection; none for a run without one', () => {
    const html = reportHtml(run)
    expect(html).toContain('data-testid="report-chart-backend"')
    expect(html).toMatch(/at the backend.*waiting for a connection/s)
    const plain = reportHtml(fixtureRun())
    expect(plain).not.toContain('report-chart-backend')
    expect(plain).not.toContain('Backend answer')
  })
})
