/**
 * The timeline's parts on their own: the subject's recorder on a real server (port 0), how the swimlane's bars are
 * kept, and what a saved run keeps of them.
 */
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildSubject } from '../../src/main/lab/subject/build-subject'
import { startTimeline, type TimelineRecorder } from '../../src/main/lab/subject/timeline'
import { TimelineFigures } from '../../src/main/lab/sampler/timeline'
import { REPORT_INTERVAL_MS, type SubjectTimelineReport } from '../../src/main/lab/protocol'
import { parseRunText, runFrames, runToJson } from '../../src/shared/run-file'
import { reportHtml } from '../../src/shared/report/report-html'
import { pickSubject, withDefaults } from '../../src/shared/settings'
import {
  barPhases,
  keepBars,
  TIMELINE_FRAME_MAX_BARS,
  TIMELINE_MAX_BARS,
  TIMELINE_WINDOW_MS,
  type TimelineBar
} from '../../src/shared/timeline'
import { SENT_AT_HEADER, WARM_UP_HEADER } from '../../src/shared/wire'
import { fixtureFrames, fixtureRun } from '../helpers/run-fixture'

let app: FastifyInstance | null = null
let recorder: TimelineRecorder | null = null

afterEach(async () => {
  recorder?.stop()
  recorder = null
  await app?.close()
  app = null
})

async function listening(delayMs: number, more: Partial<Parameters<typeof startTimeline>[0]> = {}): Promise<string> {
  app = buildSubject({ settings: pickSubject(withDefaults({ delayMs })) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  recorder = startTimeline({ server: app.server, maxBars: 5, ...more })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

const bar = (writtenAt: number): TimelineBar => ({
  sentAt: writtenAt - 30,
  readAt: writtenAt - 20,
  handlerAt: writtenAt - 20,
  workStartAt: writtenAt - 20,
  workEndAt: writtenAt - 1,
  where: 'loop',
  writtenAt
})

describe('the subject’s timeline recorder', () => {
  it('marks a /work request read, handled, worked on the loop and written, in that order, from its send time on', async () => {
    const origin = await listening(50)
    const sentAt = performance.timeOrigin + performance.now()
    const res = await fetch(`${origin}/work`, { headers: { [SENT_AT_HEADER]: sentAt.toFixed(1) } })
    expect(res.status).toBe(200)
    await res.text()
    const { answered, bars } = recorder!.take()
    expect(answered).toBe(1)
    const b = bars[0]!
    expect(b.sentAt).toBeCloseTo(sentAt, 0)
    expect(b.where).toBe('loop')
    const order = [b.sentAt!, b.readAt, b.handlerAt, b.workStartAt, b.workEndAt, b.writtenAt]
    expect([...order].sort((x, y) => x - y)).toEqual(order)
    expect(b.workEndAt - b.workStartAt).toBeGreaterThanOrEqual(49)
    expect(barPhases(b).map((p) => p.phase)).toContain('working')
  })

  it('keeps at most its bound per take, a sample of every answered request, and leaves warm-ups out', async () => {
    const origin = await listening(0)
    for (let i = 0; i < 12; i++) await (await fetch(`${origin}/`)).text()
    await (await fetch(`${origin}/`, { headers: { [WARM_UP_HEADER]: '1' } })).text()
    const first = recorder!.take()
    expect(first.answered).toBe(12)
    expect(first.bars).toHaveLength(5)
    // hello world has no marks: no work, no send time without the header
    expect(first.bars.every((b) => b.where === null && b.sentAt === null && b.workStartAt === b.readAt)).toBe(true)
    expect(recorder!.take()).toEqual({ answered: 0, bars: [] })
  })

  it('sends its sample itself when the report is overdue (a loop held in one turn), and not before', async () => {
    const flushed: SubjectTimelineReport[] = []
    let clockMs = 1e12
    const origin = await listening(0, { flush: (r) => flushed.push(r), now: () => clockMs })
    await (await fetch(`${origin}/`)).text()
    expect(flushed).toEqual([])
    // no take() for twice the report interval: what a report timer held by a blocked turn looks like
    clockMs += 2 * REPORT_INTERVAL_MS
    await (await fetch(`${origin}/`)).text()
    expect(flushed).toHaveLength(1)
    expect(flushed[0]!.answered).toBe(2)
    expect(recorder!.take().answered).toBe(0)
  })
})

describe('the host’s timeline part', () => {
  it('turns the subject’s epoch ms into ms since the run started, once, and hands each bar out in one frame only', () => {
    const startedAt = 5000
    const figures = new TimelineFigures(startedAt)
    expect(figures.frame()).toBeNull()
    const origin = performance.timeOrigin + startedAt
    const epoch = (b: TimelineBar): TimelineBar => ({
      ...b,
      sentAt: b.sentAt! + origin,
      readAt: b.readAt + origin,
      handlerAt: b.handlerAt + origin,
      workStartAt: b.workStartAt + origin,
      workEndAt: b.workEndAt + origin,
      writtenAt: b.writtenAt + origin
    })
    figures.report({ answered: 7, bars: [epoch(bar(1200)), epoch(bar(900))] })
    const first = figures.frame()!
    expect(first.answered).toBe(7)
    expect(first.bars.map((b) => b.writtenAt)).toEqual([900, 1200])
    expect(first.bars[0]).toEqual(bar(900))
    expect(figures.frame()).toEqual({ bars: [], answered: 0 })
  })

  it('carries at most its bound of new bars in a frame, the newest answers', () => {
    const figures = new TimelineFigures(0)
    const many = Array.from({ length: 3 * TIMELINE_FRAME_MAX_BARS }, (_, i) => bar(performance.timeOrigin + i))
    figures.report({ answered: many.length, bars: many })
    const delta = figures.frame()!
    expect(delta.bars).toHaveLength(TIMELINE_FRAME_MAX_BARS)
    expect(delta.answered).toBe(many.length)
    expect(delta.bars.at(-1)!.writtenAt).toBeCloseTo(many.length - 1, 0)
  })
})

describe('the swimlane’s bars', () => {
  it('keeps those answered in the last window, oldest answer first, and no more than its bound', () => {
    let kept = keepBars([], [bar(300), bar(100), bar(200)], 1000)
    expect(kept.map((b) => b.writtenAt)).toEqual([100, 200, 300])
    kept = keepBars(kept, [], TIMELINE_WINDOW_MS + 150)
    expect(kept.map((b) => b.writtenAt)).toEqual([200, 300])
    const many = Array.from({ length: TIMELINE_MAX_BARS + 50 }, (_, i) => bar(10_000 + i))
    const bounded = keepBars(kept, many, 11_000)
    expect(bounded).toHaveLength(TIMELINE_MAX_BARS)
    expect(bounded.at(-1)!.writtenAt).toBe(10_000 + TIMELINE_MAX_BARS + 49)
    // nothing new and nothing old: the same array, so a memoised chart skips its work
    expect(keepBars(bounded, [], 11_000)).toBe(bounded)
  })

  it('are kept by a saved run and come back on its last frame; a run without them reads as before', () => {
    const bars = [bar(2500), bar(2800)]
    const run = parseRunText(runToJson({ ...fixtureRun(), timeline: { bars } }), 'x.json')
    const frames = runFrames(run)
    expect(frames.at(-1)!.timeline).toEqual({ bars, answered: null })
    expect(frames.slice(0, -1).every((f) => f.timeline === undefined)).toBe(true)
    expect(runFrames(parseRunText(runToJson(fixtureRun()), 'old.json'))).toEqual(fixtureFrames())
  })

  it('are drawn in the HTML report, one group per bar, and a report of a run without them has no swimlane', () => {
    const html = reportHtml({ ...fixtureRun(), timeline: { bars: [bar(2500), bar(2800), bar(2900)] } })
    const svg = html.slice(
      html.indexOf('data-testid="report-chart-timeline"'),
      html.indexOf('</svg>', html.indexOf('report-chart-timeline'))
    )
    expect(svg.match(/<g data-bar="">/g)).toHaveLength(3)
    expect(svg).toContain('waiting to be read')
    expect(reportHtml(fixtureRun())).not.toContain('report-chart-timeline')
  })
})
