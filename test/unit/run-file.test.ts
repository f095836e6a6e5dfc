import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parseRunText, runFrames, runSummary, runToJson, RUN_VERSION } from '../../src/shared/run-file'
import { reportHtml } from '../../src/shared/report/report-html'
import { decodeRunBytes } from '../../src/main/runs/store'
import { fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'

const refusal = (fn: () => unknown): { code: string; message: string } => {
  try {
    fn()
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message }
  }
  throw new Error('not refused')
}

describe('the saved run document', () => {
  it('gives back every frame and the summary exactly as the Lab emitted them, marks included', () => {
    const run = parseRunText(runToJson(fixtureRun()), 'x.json')
    expect(runFrames(run)).toEqual(fixtureFrames())
    expect(runSummary(run)).toEqual(fixtureSummary())
    expect(run).toMatchObject({
      format: 'loopscope-run',
      version: RUN_VERSION,
      endReason: 'requests',
      name: 'blocking at 1 s'
    })
  })

  it('reads a file saved before loop turns and blocked stacks were recorded, as frames and a summary without them', () => {
    const run = JSON.parse(runToJson(fixtureRun()))
    for (const column of ['loopTurnsPerS', 'eventsPerTurn', 'blockedStack']) delete run.frames[column]
    delete run.summary.blockedStacks
    const back = parseRunText(JSON.stringify(run), 'old.json')
    const frames = runFrames(back)
    expect(frames).toHaveLength(fixtureFrames().length)
    expect(frames.every((f) => f.loopTurnsPerS === null && f.eventsPerTurn === null && f.blockedStack === null)).toBe(
      true
    )
    expect(runSummary(back).blockedStacks).toEqual([])
  })

  it("keeps libuv's pool in each frame and the summary, and reads a file from before it as a run on Node's pool of 4", () => {
    const frames = fixtureFrames().map((f, i) => ({
      ...f,
      libuvPool: { size: 4, busy: Math.min(i, 4), waiting: Math.max(i - 4, 0), fileReadMs: i < 2 ? null : i * 10.5 }
    }))
    const run = fixtureRun({ frames })
    const back = parseRunText(
      runToJson({
        ...run,
        summary: { ...run.summary, libuvPool: { size: 4, maxBusy: 4, maxWaiting: 25, maxFileReadMs: 304.5 } }
      }),
      'uv.json'
    )
    expect(runFrames(back).map((f) => f.libuvPool)).toEqual(frames.map((f) => f.libuvPool))
    expect(runSummary(back).libuvPool).toEqual({ size: 4, maxBusy: 4, maxWaiting: 25, maxFileReadMs: 304.5 })

    const old = JSON.parse(runToJson(fixtureRun()))
    for (const column of ['libuvPoolSize', 'libuvPoolBusy', 'libuvPoolWaiting', 'libuvFileReadMs'])
      delete old.frames[column]
    delete old.settings.uvThreadpoolSize
    delete old.summary.settings.uvThreadpoolSize
    const read = parseRunText(JSON.stringify(old), 'old.json')
    expect(read.settings.uvThreadpoolSize).toBe(4)
    expect(runSummary(read).settings.uvThreadpoolSize).toBe(4)
    expect(runFrames(read).some((f) => 'libuvPool' in f)).toBe(false)
  })

  it('reads a file saved before the front door: settings without its three, frames and a summary without a hold', () => {
    const run = JSON.parse(runToJson(fixtureRun()))
    for (const key of ['frontDoor', 'hold', 'holdMaxS']) {
      delete run.settings[key]
      delete run.summary.settings[key]
    }
    for (const column of ['holdHeld', 'holdWaiting', 'holdAtApp', 'holdRestarting', 'appPid']) delete run.frames[column]
    const back = parseRunText(JSON.stringify(run), 'old.json')
    expect(back.settings).toMatchObject({ frontDoor: false, hold: false, holdMaxS: 30 })
    expect(runFrames(back)).toEqual(fixtureFrames())
    expect(runSummary(back)).toEqual(fixtureSummary())
  })

  it('gives back the front door’s figures of a run that had one', () => {
    const frames = fixtureFrames().map((f, i) => ({
      ...f,
      hold: {
        held: i % 2 === 0,
        waiting: i,
        atApp: 50 - i,
        // frame 2 drains what is at the old app, frame 3 has none
        restarting: i === 2 || i === 3,
        appDown: i === 3,
        appPid: 1000 + (i > 3 ? 1 : 0)
      }
    }))
    const hold = {
      holds: 1,
      heldRequests: 50,
      longestHoldMs: 3012,
      restarts: 1,
      appPids: [1000, 1001],
      failedAtApp: { reset: 0, refused: 0 }
    }
    const saved = fixtureRun({ frames })
    saved.summary = { ...saved.summary, hold }
    const run = parseRunText(runToJson(saved), 'x.json')
    expect(runFrames(run)).toEqual(frames)
    expect(runSummary(run).hold).toEqual(hold)
    // a run saved before the column: every frame of a restart reads as one with no app, as it was drawn then
    const older = fixtureRun({ frames })
    const { holdAppDown, ...columns } = older.frames
    expect(holdAppDown).toHaveLength(frames.length)
    const back = runFrames(parseRunText(runToJson({ ...older, frames: columns as typeof older.frames }), 'x.json'))
    expect(back.map((f) => f.hold!.appDown)).toEqual(frames.map((f) => f.hold.restarting))
  })

  it('stores a stall’s stack once, not in every frame of the stall', () => {
    const stored = fixtureRun().frames.blockedStack
    expect(stored.filter((s) => s !== null && s !== '')).toHaveLength(1)
    expect(
      runFrames(parseRunText(runToJson(fixtureRun()), 'x.json')).filter((f) => f.blockedStack !== null)
    ).toHaveLength(7)
  })

  it('is read back from an HTML report that carries it, even with a hostile name', () => {
    const run = fixtureRun({ name: '</script><script>alert(1)</script>' })
    const back = parseRunText(reportHtml(run), 'report.html')
    expect(back.name).toBe('</script><script>alert(1)</script>')
    expect(runFrames(back)).toEqual(fixtureFrames())
  })

  it('refuses a file that is not a Loopscope run, naming the file', () => {
    for (const text of ['{"hello": 1}', '[1, 2]', 'PK\u0003\u0004 a zip', '<html><body>a page</body></html>']) {
      const r = refusal(() => parseRunText(text, '"notes.json"'))
      expect(r.code).toBe('LOOPSCOPE_ERR_RUNS_NOT_A_RUN')
      expect(r.message).toMatch(
        /^"notes\.json" is not a Loopscope run|^"notes\.json" is an HTML page, but not a Loopscope report/
      )
    }
  })

  it('refuses a run saved by a newer version, saying which and what to do', () => {
    const text = runToJson({ ...fixtureRun(), version: 3 } as never)
    expect(refusal(() => parseRunText(text, 'new.json'))).toEqual({
      code: 'LOOPSCOPE_ERR_RUNS_NEWER_VERSION',
      message:
        'new.json was saved by a newer Loopscope (format version 3; this one reads version 2): update Loopscope to open it'
    })
  })

  it('reads a version 1 run, from before transports had names, as long polling', () => {
    // a version 1 document as that version wrote it: settings without a transport, the summary's `longPoll`, and
    // none of the frame columns added since
    const v2 = fixtureRun()
    const { transport: _t, ...oldSettings } = v2.settings
    const newColumns = [
      'pushTransport',
      'pushRequestsPerS',
      'pushBytesInPerDelivery',
      'pushBytesOutPerDelivery',
      'pushCpuPerDeliveryUs',
      'pushOthers'
    ]
    const oldFrames = Object.fromEntries(Object.entries(v2.frames).filter(([name]) => !newColumns.includes(name)))
    const longPoll = {
      subscribers: 10,
      held: 9,
      published: 5,
      delivered: 45,
      owed: 45,
      undelivered: 0,
      missed: 0,
      inFlight: 0,
      drainMs: 3,
      deliveryP50Ms: 1,
      deliveryP99Ms: 3,
      timeouts: 0,
      bytesPerHeld: 8192
    }
    const { push: _p, ...oldSummary } = v2.summary
    const v1 = {
      ...v2,
      version: 1,
      settings: oldSettings,
      summary: { ...oldSummary, settings: oldSettings, longPoll },
      frames: oldFrames
    }
    const run = parseRunText(JSON.stringify(v1), 'old.json')
    expect(run.version).toBe(2)
    expect(run.settings.transport).toBe('long-poll')
    expect(runSummary(run).push).toEqual({
      ...longPoll,
      transport: 'long-poll',
      deliveryMaxMs: null,
      requests: null,
      bytesInPerDelivery: null,
      bytesOutPerDelivery: null,
      cpuPerDeliveryUs: null,
      slowConsumersCut: null,
      refused: null,
      byTransport: null
    })
    const frames = runFrames(run)
    expect(frames[0]!.push).toMatchObject({ transport: 'long-poll', subscribers: 10, requestsPerS: null, others: [] })
    expect(frames[1]!.push).toBeNull()
  })

  it('refuses a truncated file as truncated', () => {
    const text = runToJson(fixtureRun())
    const r = refusal(() => parseRunText(text.slice(0, text.length / 2), 'cut.json'))
    expect(r).toEqual({
      code: 'LOOPSCOPE_ERR_RUNS_DAMAGED',
      message: 'cut.json ends too early: the file is truncated (its JSON is cut short)'
    })
    const gz = gzipSync(text)
    const g = refusal(() => decodeRunBytes(gz.subarray(0, gz.length / 2), 'cut.json.gz'))
    expect(g).toEqual({
      code: 'LOOPSCOPE_ERR_RUNS_DAMAGED',
      message: 'cut.json.gz is truncated or damaged: its compressed data does not unpack'
    })
  })

  it('refuses a hand-edited file, naming the field that is wrong', () => {
    const run = JSON.parse(runToJson(fixtureRun()))
    run.summary.rps = 'fast'
    expect(refusal(() => parseRunText(JSON.stringify(run), 'edited.json'))).toMatchObject({
      code: 'LOOPSCOPE_ERR_RUNS_DAMAGED',
      message: expect.stringMatching(/^edited\.json is damaged or was edited by hand: field "summary\.rps": /)
    })
    const short = JSON.parse(runToJson(fixtureRun()))
    short.frames.stallMs.pop()
    expect(refusal(() => parseRunText(JSON.stringify(short), 'edited.json')).message).toContain(
      'the frame columns have different lengths'
    )
    const settings = JSON.parse(runToJson(fixtureRun()))
    settings.settings.delayMs = -5
    expect(refusal(() => parseRunText(JSON.stringify(settings), 'edited.json')).message).toContain(
      'field "settings.delayMs"'
    )
  })
})
