import { describe, expect, it } from 'vitest'
import { formatProgress, formatReport, summaryJson } from '../../src/cli/report'
import { fixtureSummary } from '../helpers/run-fixture'
import { makeFrame, pushFrame, pushSummary } from './renderer-fixtures'

describe('the CLI report of the subscribers', () => {
  it('names the transport and what each delivery cost', () => {
    const text = formatReport(
      { ...fixtureSummary(), push: pushSummary({ transport: 'sse', held: 0, requests: 10 }) },
      'http://127.0.0.1:1'
    )
    expect(text).toContain('10 over Server-Sent Events')
    expect(text).not.toContain('held at /wait')
    expect(text).toMatch(/Cost per delivery:\s+45 delivered · subject CPU 40\.0 µs · 310 B in, 90 B out · 10 requests/)
  })

  it('gives each transport a line of its own when the run changed transport', () => {
    const byTransport = [
      { ...pushSummary(), transport: 'long-poll' as const, delivered: 20, requests: 20 },
      { ...pushSummary(), transport: 'websocket' as const, delivered: 25, requests: 10, bytesInPerDelivery: 60 }
    ]
    const text = formatReport({ ...fixtureSummary(), push: pushSummary({ transport: 'websocket', byTransport }) }, 'x')
    expect(text).toMatch(/ {2}long polling:\s+20 delivered/)
    expect(text).toMatch(/ {2}WebSocket:\s+25 delivered · subject CPU 40\.0 µs · 60 B in/)
  })

  it('counts this run’s messages on a log kept from earlier runs, and says what the log started with', () => {
    const summary = {
      ...fixtureSummary(),
      settings: { ...fixtureSummary().settings, store: 'redis' as const },
      push: pushSummary({ published: 70, logStartId: 40, subscribers: 50, owed: 1500, delivered: 1500, redisLost: 0 })
    }
    const text = formatReport(summary, 'x')
    // 30 published this run (ids 41–70), owed to 50 subscribers: 1,500, not 70 × 50
    expect(text).toMatch(/Published · delivered:\s+30 \(ids 41–70\) · 1500/)
    expect(text).toMatch(/Message log:\s+on Redis: 40 messages kept from earlier runs \(this run's ids go on from 41\)/)
    // in memory the log always starts empty: what was published is this run's
    const memory = formatReport({ ...fixtureSummary(), push: pushSummary({ published: 30, logStartId: 0 }) }, 'x')
    expect(memory).toMatch(/Published · delivered:\s+30 · /)
    expect(memory).toMatch(/Message log:\s+in memory: started empty/)
  })

  it('keeps the summary’s push figures under their old name longPoll in the JSON, for one version', () => {
    const push = pushSummary()
    const json = JSON.parse(JSON.stringify(summaryJson({ ...fixtureSummary(), push })))
    expect(json.push).toEqual(push)
    expect(json.longPoll).toEqual(push)
  })

  it('says on the progress line how many subscribers are on which transport', () => {
    expect(
      formatProgress(makeFrame(2000, { push: pushFrame({ transport: 'websocket', subscribers: 500, held: 0 }) }))
    ).toMatch(/· 500 on websocket$/)
  })
})

describe("the CLI report of libuv's pool", () => {
  it("gives the pool's size and the most busy and waiting, only for a run that used it", () => {
    const summary = fixtureSummary()
    const text = formatReport(
      { ...summary, libuvPool: { size: 4, maxBusy: 4, maxWaiting: 16, maxFileReadMs: 2012 } },
      'x'
    )
    expect(text).toMatch(/libuv pool:\s+4 threads · busy at most 4 · waiting for a thread at most 16/)
    expect(text).toMatch(/File read on that pool:\s+2012 ms at most \(an unrelated 4-KiB read, every 100 ms\)/)
    expect(formatReport(summary, 'x')).not.toContain('libuv pool')
  })

  it('shows the threads busy and the requests waiting on the progress line', () => {
    const line = formatProgress({ ...makeFrame(1000), libuvPool: { size: 4, busy: 4, waiting: 16, fileReadMs: 850 } })
    expect(line).toContain('libuv pool 4/4 busy, 16 waiting, file read 850 ms')
    expect(formatProgress(makeFrame(1000))).not.toContain('libuv')
  })
})
