/**
 * The saved-run file as a user meets it: a run reopened gives back what it kept (its changes on the frames that
 * carried them, its last bars, its figures in the runs list), and a file that is not whole, or was edited by hand,
 * is refused with a coded error that names the file and the field that is wrong.
 */
import { describe, expect, it } from 'vitest'
import { TOP_STACKS } from '../../src/shared/blocked-stack'
import type { Frame, Summary } from '../../src/shared/frame'
import { reportHtml } from '../../src/shared/report/report-html'
import { runCsv } from '../../src/shared/run-csv'
import {
  parseRunFile,
  parseRunText,
  runEntry,
  runFrames,
  runSummary,
  runToJson,
  RUN_NAME_MAX_CHARS,
  type RunFile
} from '../../src/shared/run-file'
import { LIMITS } from '../../src/shared/settings'
import { TIMELINE_MAX_BARS, type TimelineBar } from '../../src/shared/timeline'
import { pushSummary } from './renderer-fixtures'
import { fixtureFrames, fixtureRun, fixtureSummary, MARK } from '../helpers/run-fixture'

/** The refusal of `text` as "CODE: message", or a failed test when it opens. */
const refusal = (text: string, source = 'edited.json'): string => {
  try {
    parseRunText(text, source)
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`
  }
  throw new Error('not refused')
}
/** The fixture's saved run, edited by hand. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const edited = (edit: (run: any) => void, run: RunFile = fixtureRun()): string => {
  const doc = JSON.parse(runToJson(run))
  edit(doc)
  return JSON.stringify(doc)
}
const opens = (text: string): RunFile => parseRunText(text, 'edited.json')
const DAMAGED = 'LOOPSCOPE_ERR_RUNS_DAMAGED: edited.json is damaged or was edited by hand: '

describe('a hand-edited run file', () => {
  it('is refused naming the field that is wrong, and opens with the value just inside the bound', () => {
    // [the edit, the field the refusal names, the same field just inside what it takes (or none)]
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cases: [(r: any) => void, string, ((r: any) => void) | null][] = [
      [(r) => (r.id = '../../etc/passwd'), 'id', (r) => (r.id = 'a-Z-0')],
      [(r) => (r.id = 'x'.repeat(81)), 'id', (r) => (r.id = 'x'.repeat(80))],
      [(r) => (r.name = ''), 'name', (r) => (r.name = 'x')],
      [(r) => (r.name = 'x'.repeat(RUN_NAME_MAX_CHARS + 1)), 'name', (r) => (r.name = 'x'.repeat(RUN_NAME_MAX_CHARS))],
      [(r) => (r.startedAt = 'yesterday'), 'startedAt', null],
      [(r) => (r.appVersion = 'x'.repeat(41)), 'appVersion', (r) => (r.appVersion = 'x'.repeat(40))],
      [(r) => (r.endReason = 'bored'), 'endReason', (r) => (r.endReason = 'stopped')],
      [(r) => (r.changes[0].frame = -1), 'changes.0.frame', (r) => (r.changes[0].frame = 0)],
      [(r) => (r.changes[0].frame = 1.5), 'changes.0.frame', (r) => (r.changes[0].frame = null)],
      [(r) => (r.summary.crowdBusy = 1.01), 'summary.crowdBusy', (r) => (r.summary.crowdBusy = 1)],
      [(r) => (r.summary.crowdBusy = -0.01), 'summary.crowdBusy', (r) => (r.summary.crowdBusy = 0)],
      [
        (r) => (r.summary.blockedStacks = Array(TOP_STACKS + 1).fill(r.summary.blockedStacks[0])),
        'summary.blockedStacks',
        (r) => (r.summary.blockedStacks = Array(TOP_STACKS).fill(r.summary.blockedStacks[0]))
      ],
      [
        (r) => (r.summary.processes = processRows(LIMITS.processes.max + 1)),
        'summary.processes',
        (r) => (r.summary.processes = processRows(LIMITS.processes.max))
      ],
      [
        (r) => (r.timeline = { bars: Array(TIMELINE_MAX_BARS + 1).fill(bar(100)) }),
        'timeline.bars',
        (r) => (r.timeline = { bars: Array(TIMELINE_MAX_BARS).fill(bar(100)) })
      ],
      [
        (r) => (r.timeline = { bars: [{ ...bar(100), where: 'x'.repeat(41) }] }),
        'timeline.bars.0.where',
        (r) => (r.timeline = { bars: [{ ...bar(100), where: 'x'.repeat(40) }] })
      ],
      [
        (r) => (r.timeline = { bars: [{ ...bar(100), writtenAt: 1e10 + 1 }] }),
        'timeline.bars.0.writtenAt',
        (r) => (r.timeline = { bars: [{ ...bar(100), writtenAt: 1e10 }] })
      ],
      [
        (r) => (r.timeline = { bars: [{ ...bar(100), readAt: -1e9 - 1 }] }),
        'timeline.bars.0.readAt',
        (r) => (r.timeline = { bars: [{ ...bar(100), readAt: -1e9 }] })
      ],
      [(r) => (r.version = 2.5), 'version', null],
      [(r) => (r.version = '3'), 'version', null]
    ]
    for (const [edit, field, inside] of cases) {
      expect(refusal(edited(edit))).toMatch(new RegExp(`^${escape(DAMAGED)}field "${escape(field)}": `))
      if (inside) expect(() => opens(edited(inside))).not.toThrow()
    }
  })

  it('is refused when its frames do not read, saying which column and why', () => {
    expect(refusal(edited((r) => (r.frames.windowState[3] = 'calm')))).toBe(
      `${DAMAGED}field "frames.windowState": a frame has an unknown window state`
    )
    for (const others of ['not JSON', '{"transport": "sse"}'])
      expect(refusal(edited((r) => (r.frames.pushOthers[0] = others)))).toBe(
        `${DAMAGED}field "frames.pushOthers": a frame lists other transports that do not read`
      )
    expect(refusal(edited((r) => (r.frames.processes[0] = '[{"process": 1')))).toBe(
      `${DAMAGED}field "frames.processes": a frame's per-process loops do not read`
    )
    expect(refusal(edited((r) => r.frames.rps.pop()))).toBe(
      `${DAMAGED}field "frames": the frame columns have different lengths`
    )
  })

  it('is refused when a change points past its frames, and opens when it is on the last', () => {
    const n = fixtureFrames().length
    expect(refusal(edited((r) => (r.changes[0].frame = n)))).toBe(
      `${DAMAGED}a change points past the last of its ${n} frames`
    )
    expect(runFrames(opens(edited((r) => (r.changes[0].frame = n - 1)))).at(-1)!.marks).toEqual([MARK])
    // one good change does not excuse another past the end
    const two = edited((r) => (r.changes = [r.changes[0], { ...r.changes[0], t: 2900, frame: n + 5 }]))
    expect(refusal(two)).toBe(`${DAMAGED}a change points past the last of its ${n} frames`)
  })

  it('is refused naming its settings or its summary when either is not a block of fields, in version 1 or 2', () => {
    for (const version of [1, 2])
      for (const bad of [null, 'fast']) {
        for (const field of ['settings', 'summary'])
          expect(refusal(edited((r) => Object.assign(r, { version, [field]: bad })))).toMatch(
            new RegExp(`^${escape(DAMAGED)}field "${field}": `)
          )
      }
  })
})

describe('a run file that is not whole', () => {
  it('reads as truncated wherever it was cut, and as damaged when it was changed in the middle', () => {
    const text = runToJson(fixtureRun({ frames: fixtureFrames(2) }))
    for (let cut = 1; cut < text.length; cut += 13)
      expect(refusal(text.slice(0, cut), 'cut.json')).toBe(
        'LOOPSCOPE_ERR_RUNS_DAMAGED: cut.json ends too early: the file is truncated (its JSON is cut short)'
      )
    expect(refusal(text.replace(':', ' '))).toMatch(new RegExp(`^${escape(DAMAGED)}its JSON does not parse \\(.+\\)$`))
    expect(refusal(`${text}}`)).toMatch(new RegExp(`^${escape(DAMAGED)}its JSON does not parse \\(.+\\)$`))
  })

  it('a report cut inside its run data reads as a truncated report; one with no run data as not a report', () => {
    const html = reportHtml(fixtureRun())
    const open = '<script type="application/json" id="loopscope-run">'
    const cut = html.slice(0, html.indexOf(open) + open.length + 100)
    expect(refusal(cut, 'report.html')).toBe(
      'LOOPSCOPE_ERR_RUNS_DAMAGED: report.html ends too early: the report is truncated (its run data is cut short)'
    )
    expect(refusal('<!doctype html><p>a page</p>', 'page.html')).toBe(
      'LOOPSCOPE_ERR_RUNS_NOT_A_RUN: page.html is an HTML page, but not a Loopscope report (it carries no run)'
    )
  })

  it('says what is not a run at all', () => {
    // a parsed value that is no document at all (parseRunFile takes what JSON.parse gave)
    for (const value of [null, 5, 'loopscope-run', [{ format: 'loopscope-run' }]])
      expect(() => parseRunFile(value, 'x.json')).toThrow(
        'x.json is not a Loopscope run (it has no "format": "loopscope-run")'
      )
    expect(refusal('hello', 'notes.txt')).toBe(
      'LOOPSCOPE_ERR_RUNS_NOT_A_RUN: notes.txt is not a Loopscope run (not JSON, nor an HTML report of one)'
    )
    expect(refusal('{"format": "other"}', 'x.json')).toBe(
      'LOOPSCOPE_ERR_RUNS_NOT_A_RUN: x.json is not a Loopscope run (it has no "format": "loopscope-run")'
    )
    // read despite the blank a text editor or a pipe leaves before it
    expect(opens(`\n  ${runToJson(fixtureRun())}`).name).toBe('blocking at 1 s')
    // a report's run block is read wherever it is, at the very start of the text too
    const block = `<script type="application/json" id="loopscope-run">${runToJson(fixtureRun())}</script>`
    expect(opens(block).name).toBe('blocking at 1 s')
  })
})

describe('a reopened run', () => {
  it('puts each change on the frame that first carried it, several on one frame in order, none for a change no frame carried', () => {
    const second = { t: 1000, label: 'concurrency 40', patch: { concurrency: 40 } }
    const never = { t: 2950, label: 'stop', patch: {} }
    const frames = fixtureFrames().map((f, i) => (i === 10 ? { ...f, marks: [MARK, second] } : f))
    const summary: Summary = { ...fixtureSummary(), marks: [MARK, second, never] }
    const run = opens(runToJson(fixtureRun({ frames, summary })))
    expect(run.changes.map((c) => c.frame)).toEqual([10, 10, null])
    expect(runFrames(run)).toEqual(frames)
    expect(runSummary(run).marks).toEqual([MARK, second, never])
  })

  it('keeps the last bars of the swimlane, at most its bound, and none when the subject recorded none', () => {
    const bars = Array.from({ length: TIMELINE_MAX_BARS + 20 }, (_, i) => bar(i))
    const kept = opens(runToJson(fixtureRun({ timelineBars: bars })))
    expect(runFrames(kept).at(-1)!.timeline).toEqual({ bars: bars.slice(20), answered: null })
    for (const none of [[], undefined]) {
      const run = fixtureRun({ timelineBars: none })
      expect('timeline' in run).toBe(false)
      expect(runFrames(opens(runToJson(run))).every((f: Frame) => f.timeline === undefined)).toBe(true)
    }
  })

  it('gives back each frame’s rate window: full, since a change, or settling', () => {
    const states = ['full', 'since-change', 'settling'] as const
    const frames = fixtureFrames().map((f, i) => ({ ...f, window: { ...f.window, state: states[i % 3]! } }))
    expect(runFrames(opens(runToJson(fixtureRun({ frames }))))).toEqual(frames)
  })

  it('reads a version 1 run without subscribers as one without, and its CSV names long polling where there were', () => {
    const v1 = (run: RunFile, longPoll: unknown): string =>
      edited((r) => {
        r.version = 1
        delete r.settings.transport
        delete r.summary.settings.transport
        delete r.summary.push
        r.summary.longPoll = longPoll
        for (const c of ['pushTransport', 'pushRequestsPerS', 'pushBytesInPerDelivery', 'pushBytesOutPerDelivery'])
          delete r.frames[c]
        delete r.frames.pushCpuPerDeliveryUs
        delete r.frames.pushOthers
      }, run)
    const quiet = fixtureFrames().map((f) => ({ ...f, push: null }))
    const alone = opens(v1(fixtureRun({ frames: quiet }), null))
    expect(runSummary(alone).push).toBeNull()
    expect(runFrames(alone)).toEqual(quiet)

    // the fixture's even frames have subscribers, on long polling (version 1 had no other transport)
    const subscribed = opens(v1(fixtureRun(), pushSummary({ transport: undefined })))
    const rows = runCsv(subscribed)
      .trim()
      .split('\n')
      .map((r) => r.split(','))
    const at = rows[0]!.indexOf('transport [long-poll|sse|websocket]')
    expect(rows.slice(1).map((r) => r[at])).toEqual(fixtureFrames().map((_, i) => (i % 2 === 0 ? 'long-poll' : '')))
  })

  it('lists with the figures its summary ended with', () => {
    const summary = fixtureSummary()
    const run = fixtureRun()
    expect(runEntry(opens(runToJson(run)))).toEqual({
      id: run.id,
      name: run.name,
      startedAt: run.startedAt,
      endReason: summary.reason,
      durationMs: summary.durationMs,
      frames: fixtureFrames().length,
      rps: summary.rps,
      theoryRps: summary.theoryRps,
      p99Ms: summary.latencyMs!.p99,
      maxStallMs: summary.loop.maxStallMs,
      held: null
    })
    const quiet = fixtureRun({ summary: { ...summary, latencyMs: null, theoryRps: null } })
    expect(runEntry(quiet)).toMatchObject({ p99Ms: null, theoryRps: null })
    const subscribed = fixtureRun({ summary: { ...summary, push: pushSummary({ held: 9 }) } })
    expect(runEntry(subscribed).held).toBe(9)
  })
})

function bar(t: number): TimelineBar {
  return {
    sentAt: t,
    readAt: t + 1,
    handlerAt: t + 1,
    workStartAt: t + 2,
    workEndAt: t + 200,
    where: 'loop',
    writtenAt: t + 201
  }
}
function processRows(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({ process: i + 1, delayP99Ms: 1, maxStallMs: 3, utilization: 0.1 }))
}
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
