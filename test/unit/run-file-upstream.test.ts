import { describe, expect, it } from 'vitest'
import type { Frame, Summary, UpstreamSummary } from '../../src/shared/frame'
import { buildRunFile, parseRunText, runFrames, runSummary, runToJson } from '../../src/shared/run-file'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { fixtureFrames, fixtureSummary } from '../helpers/run-fixture'

const UPSTREAM: UpstreamSummary = {
  answered: 400,
  failed: 3,
  answerP50Ms: 501.2,
  answerP99Ms: 507.9,
  answerMaxMs: 512,
  maxBackendInFlight: 10,
  maxWaitingForConnection: 40,
  backendExited: true
}

/** Frames of a run whose backend answered, then ended: the last frames say it is down. */
function upstreamFrames(): Frame[] {
  return fixtureFrames().map((f, i) => ({
    ...f,
    upstream: {
      up: i < 25,
      backendInFlight: i < 25 ? 10 : 0,
      waitingForConnection: i < 25 ? 40 : 0,
      answerMs: i < 3 ? null : { p50: 500 + i / 10, p99: 507 },
      failed: i < 25 ? 0 : i - 24
    }
  }))
}

function save(frames: Frame[], summary: Summary): string {
  return runToJson(
    buildRunFile({
      id: '20261202-000000-000-beef',
      name: 'upstream',
      startedAt: '2026-12-02T00:00:00.000Z',
      appVersion: '0.1.0',
      settings: { ...DEFAULT_SETTINGS, work: 'upstream' },
      frames,
      summary,
      errors: [],
      subjectUrl: 'http://127.0.0.1:40000'
    })
  )
}

describe('a saved run of work "upstream"', () => {
  it("gives back the backend's figures of every frame and of the summary exactly", () => {
    const summary = { ...fixtureSummary(), upstream: UPSTREAM }
    const run = parseRunText(save(upstreamFrames(), summary), 'up.json')
    expect(runFrames(run)).toEqual(upstreamFrames())
    expect(runSummary(run)).toEqual(summary)
  })

  it("reads a file saved before the backend's columns: no upstream block in its frames or summary", () => {
    const old = JSON.parse(save(fixtureFrames(), fixtureSummary()))
    for (const column of Object.keys(old.frames).filter((c) => c.startsWith('upstream'))) delete old.frames[column]
    const run = parseRunText(JSON.stringify(old), 'old.json')
    expect(runFrames(run).every((f) => f.upstream === undefined)).toBe(true)
    expect(runSummary(run).upstream).toBeUndefined()
  })
})
