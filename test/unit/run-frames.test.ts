/**
 * A saved run's frames, as a user reopens them: a figure the run did not have comes back as none (not 0), a figure
 * every frame has is never missing from a file that opens, and the stall's stack, stored once, is on every frame of it.
 */
import { describe, expect, it } from 'vitest'
import type { Frame } from '../../src/shared/frame'
import { runCsv } from '../../src/shared/run-csv'
import { parseRunText, runFrames, runToJson } from '../../src/shared/run-file'
import { FIXTURE_STACK, fixtureFrames, fixtureRun } from '../helpers/run-fixture'
import { makeFrame, pushFrame } from './renderer-fixtures'

const reopened = (frames: Frame[]): Frame[] => runFrames(parseRunText(runToJson(fixtureRun({ frames })), 'x.json'))

const refusal = (text: string): string => {
  try {
    parseRunText(text, 'edited.json')
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`
  }
  throw new Error('not refused')
}

describe("a saved run's frames", () => {
  it('gives back none, not 0, for every figure a frame did not have', () => {
    const frames = [
      // the start: nothing completed yet, the rates settling, no theory, a subject that cannot count its loop's turns
      makeFrame(3, {
        rps: null,
        errorsPerS: null,
        latencyMs: null,
        theoryRps: null,
        loopTurnsPerS: null,
        eventsPerTurn: null
      }),
      // subscribers whose rates settle and who were delivered nothing yet
      makeFrame(103, {
        push: pushFrame({
          deliveriesPerS: null,
          deliveryMs: null,
          timeoutsPerS: null,
          requestsPerS: null,
          bytesInPerDelivery: null,
          bytesOutPerDelivery: null,
          cpuPerDeliveryUs: null,
          bytesPerHeld: null,
          limitNote: null
        })
      }),
      // a backend that has not answered yet, a pool whose file reads have not been timed
      makeFrame(203, {
        upstream: { up: true, backendInFlight: 0, waitingForConnection: 0, answerMs: null, failed: 0 },
        libuvPool: { size: 4, busy: 0, waiting: 0, fileReadMs: null }
      })
    ]
    expect(reopened(frames)).toEqual(frames)
  })

  it('refuses a hand-edited file where a frame lacks a figure every frame has, naming the column', () => {
    // what the Lab measures on every frame (a Frame's non-null fields)
    const always = [
      't',
      'inFlight',
      'active',
      'queued',
      'windowMs',
      'spanMs',
      'windowState',
      'loopDelayP99Ms',
      'loopUtilization',
      'stallMs',
      'stalled',
      'rssBytes',
      'completed',
      'errors',
      'maxInFlight',
      'maxQueued',
      'maxStallMs'
    ]
    for (const column of always) {
      const run = JSON.parse(runToJson(fixtureRun()))
      run.frames[column][4] = null
      expect(refusal(JSON.stringify(run))).toMatch(
        new RegExp(
          `^LOOPSCOPE_ERR_RUNS_DAMAGED: edited\\.json is damaged or was edited by hand: field "frames\\.${column}\\.4"`
        )
      )
    }
  })

  it('stores a stall’s stack once, "" after it for the same again, and gives it back on every frame of the stall', () => {
    const stack = JSON.stringify(FIXTURE_STACK)
    // the fixture's frames 13 to 19 are stuck in one stack
    const column = [...Array(13).fill(null), stack, '', '', '', '', '', '', ...Array(10).fill(null)]
    const saved = JSON.parse(runToJson(fixtureRun()))
    expect(saved.frames.blockedStack).toEqual(column)
    // a file as an earlier Loopscope wrote it, column for column, reads the same
    saved.frames.blockedStack = column
    const back = runFrames(parseRunText(JSON.stringify(saved), 'x.json'))
    expect(back.map((f) => f.blockedStack)).toEqual(fixtureFrames().map((f) => f.blockedStack))
  })

  it('writes a stack again after a frame without one, and keeps a second stall’s stack its own', () => {
    const other = { ...FIXTURE_STACK, native: 'uv_fs_read' }
    const stacks = [FIXTURE_STACK, FIXTURE_STACK, null, FIXTURE_STACK, other, other, FIXTURE_STACK]
    const frames = stacks.map((blockedStack, i) => makeFrame(i * 100 + 3, { stalled: true, blockedStack }))
    const saved = fixtureRun({ frames })
    const s = JSON.stringify(FIXTURE_STACK)
    expect(saved.frames.blockedStack).toEqual([s, '', null, s, JSON.stringify(other), '', s])
    expect(reopened(frames).map((f) => f.blockedStack)).toEqual(stacks)
  })

  it('opens a hand-edited file whose first frame says "the same stack as before", with no stack there', () => {
    const saved = JSON.parse(runToJson(fixtureRun()))
    saved.frames.blockedStack[0] = ''
    saved.frames.blockedStack[1] = ''
    const back = runFrames(parseRunText(JSON.stringify(saved), 'edited.json'))
    expect(back.slice(0, 2).map((f) => f.blockedStack)).toEqual([null, null])
    expect(back[13]!.blockedStack).toEqual(FIXTURE_STACK)
  })

  it('reads a latency with a figure missing from a hand-edited file as no latency, never one with a hole', () => {
    const groups = [
      ['latencyP50Ms', 'latencyP90Ms', 'latencyP99Ms', 'latencyMaxMs'],
      ['lpDeliveryP50Ms', 'lpDeliveryP90Ms', 'lpDeliveryP99Ms', 'lpDeliveryMaxMs'],
      ['upstreamAnswerP50Ms', 'upstreamAnswerP99Ms']
    ]
    // frame 6 has a latency, a delivery time and a backend's answer time
    const frames = fixtureFrames().map((f, i) => ({
      ...f,
      upstream: {
        up: true,
        backendInFlight: 1,
        waitingForConnection: 0,
        answerMs: { p50: 500 + i, p99: 507 + i },
        failed: 0
      }
    }))
    groups.forEach((group, g) => {
      for (const column of group) {
        const saved = JSON.parse(runToJson(fixtureRun({ frames })))
        saved.frames[column][6] = null
        const frame = runFrames(parseRunText(JSON.stringify(saved), 'edited.json'))[6]!
        const read = [frame.latencyMs, frame.push!.deliveryMs, frame.upstream!.answerMs]
        expect(read.map((stats) => stats === null)).toEqual(groups.map((_, h) => h === g))
      }
    })
  })

  it('leaves the other-transports cell of the CSV empty where one transport was in use', () => {
    const rows = runCsv(fixtureRun())
      .trim()
      .split('\n')
      .map((r) => r.split(','))
    const at = rows[0]!.indexOf('other transports [JSON]')
    // the fixture's frame 20 moves subscribers from long polling to SSE; every other frame has one transport or none
    const others = rows.slice(1).map((r) => r[at])
    expect(others.filter((cell) => cell !== '')).toHaveLength(1)
    expect(others[20]).toMatch(/^"\[\{""transport"":""long-poll""/)
  })

  it('reads the front door of a file that does not say whether traffic was held, the app restarting or gone, as none', () => {
    const frames = fixtureFrames().map((f, i) => ({
      ...f,
      hold: { held: false, waiting: i, atApp: 3, restarting: false, appDown: false, appPid: 1000 }
    }))
    const saved = JSON.parse(runToJson(fixtureRun({ frames })))
    // all three are columns a file may lack (LATER_COLUMNS): no figure there
    delete saved.frames.holdHeld
    delete saved.frames.holdRestarting
    delete saved.frames.holdAppDown
    expect(runFrames(parseRunText(JSON.stringify(saved), 'x.json')).map((f) => f.hold)).toEqual(
      frames.map((f) => f.hold)
    )
  })
})
