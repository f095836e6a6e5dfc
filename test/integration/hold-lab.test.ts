/**
 * Suspend and release, through the real Lab: traffic held at the front door waits and fails nothing, and the app's
 * process replaced under a hold fails nothing either; the same restart without a hold fails what was on the app.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { LabError } from '../../src/shared/errors'
import { frameWhere, sleep, startLab, type Recorded } from '../helpers/run-lab'

let current: Recorded | null = null
afterEach(async () => {
  await current?.lab.close()
  current = null
})

const C = 50
const DELAY_MS = 200
const HOLD_MS = 3000

async function warm(): Promise<Recorded> {
  current = await startLab({ frontDoor: true, concurrency: C, delayMs: DELAY_MS, durationS: 60 })
  await frameWhere(current.frames, (f) => f.completed >= 3 * C, 15_000)
  return current
}

const rejection = async (p: Promise<unknown>): Promise<LabError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  )
  if (!(err instanceof LabError)) throw new Error(`expected a LabError, got ${String(err)}`)
  return err
}

describe('hold traffic', () => {
  it('a 3-s hold under c = 50 fails nothing, holds every user, and lifts p99 by about the hold', async () => {
    const r = await warm()
    await r.lab.update({ hold: true })
    // every user's next request waits at the door: queued climbs to c, the app has none
    const full = await frameWhere(r.frames, (f) => f.hold?.waiting === C, 5_000)
    expect(full.hold).toMatchObject({ held: true, atApp: 0 })
    // the door counts at once; the app's active count comes with its next heartbeat (CI, loaded, once read 1 queued
    // in the first frame with all 50 at the door): within a second the queue is every user
    await frameWhere(r.frames, (f) => f.hold?.waiting === C && f.queued >= C - 5, 1_000)
    await sleep(HOLD_MS - (full.t - r.frames.find((f) => f.hold?.held)!.t))
    await r.lab.update({ hold: false })
    await sleep(1000)
    const s = (await r.lab.stop())!
    expect(s.errors).toBe(0)
    expect(s.hold).toMatchObject({ holds: 1, heldRequests: C, restarts: 0 })
    expect(s.hold!.longestHoldMs!).toBeGreaterThan(HOLD_MS - DELAY_MS - 300)
    expect(s.hold!.longestHoldMs!).toBeLessThan(HOLD_MS + 700)
    // the held requests are > 1% of the run's: its p99 is one of them, the delay plus the hold
    expect(s.latencyMs!.p99 - DELAY_MS).toBeGreaterThan(HOLD_MS - DELAY_MS - 300)
    expect(s.latencyMs!.p99 - DELAY_MS).toBeLessThan(HOLD_MS + 700)
    expect(s.marks.map((m) => m.label)).toEqual(['hold', 'release'])
  })

  it('releases a hold by itself after holdMaxS, and marks it so', async () => {
    const r = await warm()
    await r.lab.update({ holdMaxS: 1, hold: true })
    const released = await frameWhere(
      r.frames,
      (f) => f.marks.some((m) => m.label === 'release (after holdMaxS 1 s)'),
      4_000
    )
    expect(r.lab.status().settings.hold).toBe(false)
    await frameWhere(r.frames, (f) => f.t > released.t + 500)
    const s = (await r.lab.stop())!
    expect(s.errors).toBe(0)
    expect(s.hold!.longestHoldMs!).toBeGreaterThan(1000 - DELAY_MS - 300)
    expect(s.hold!.longestHoldMs!).toBeLessThan(1000 + 700)
  })

  it('refuses holdMaxS beyond 60 s with the field and its range, and keeps the previous one', async () => {
    const r = await warm()
    const err = await rejection(r.lab.update({ holdMaxS: 61 }))
    expect(err).toMatchObject({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'holdMaxS' })
    expect(err.message).toBe('holdMaxS must be an integer number of seconds from 1 to 60 (got 61)')
    expect(r.lab.status().settings.holdMaxS).toBe(30)
  })

  it('refuses the WebSocket transport through the front door, naming the field, and starts no run', async () => {
    const lab = new Lab()
    const err = await rejection(lab.start({ frontDoor: true, transport: 'websocket', subscribers: 10 }))
    expect(err).toMatchObject({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'transport' })
    expect(err.message).toMatch(/^transport "websocket" does not go through the front door/)
    expect(lab.status().running).toBe(false)
  })

  it('refuses a hold, and a restart, in a run without the front door', async () => {
    current = await startLab({ concurrency: 2, delayMs: DELAY_MS, durationS: 60 })
    const hold = await rejection(current.lab.update({ hold: true }))
    expect(hold).toMatchObject({ code: 'LOOPSCOPE_ERR_FRONT_DOOR_OFF', field: 'hold' })
    expect(current.lab.status().settings.hold).toBe(false)
    const restart = await rejection(current.lab.restartApp())
    expect(restart).toMatchObject({ code: 'LOOPSCOPE_ERR_FRONT_DOOR_OFF', field: 'frontDoor' })
  })
})

describe('restart the app', () => {
  it('under a hold: a new process, and not one request failed', async () => {
    const r = await warm()
    const firstPid = r.lab.status().subjectPid
    await r.lab.update({ hold: true })
    await r.lab.restartApp()
    const pid = r.lab.status().subjectPid
    expect(pid).not.toBe(firstPid)
    await r.lab.update({ hold: false })
    const after = r.frames.at(-1)!.completed
    await frameWhere(r.frames, (f) => f.completed >= after + 3 * C, 10_000)
    const s = (await r.lab.stop())!
    expect(s.errors).toBe(0)
    expect(s.hold).toMatchObject({ restarts: 1, appPids: [firstPid, pid], failedAtApp: { reset: 0, refused: 0 } })
    expect(s.marks.map((m) => m.label)).toEqual(['hold', `restart (process ${firstPid})`, 'release'])
    expect(r.frames.at(-1)!.hold!.appPid).toBe(pid)
    // the sampler followed the new process: the old one's silence while it was replaced was no stall, and the
    // new one's heartbeats and reports arrive
    const during = r.frames.filter((f) => f.hold?.restarting)
    expect(during.every((f) => !f.stalled)).toBe(true)
    const afterRestart = r.frames.filter((f) => f.hold?.appPid === pid)
    expect(afterRestart.some((f) => f.rssBytes > 0 && f.stallMs < 200)).toBe(true)
  })

  it('without a hold: the requests on the old process fail, counted by kind', async () => {
    const r = await warm()
    const firstPid = r.lab.status().subjectPid
    await r.lab.restartApp()
    expect(r.lab.status().subjectPid).not.toBe(firstPid)
    const after = r.frames.at(-1)!.completed
    await frameWhere(r.frames, (f) => f.completed >= after + 3 * C, 10_000)
    const s = (await r.lab.stop())!
    const { reset, refused } = s.hold!.failedAtApp
    // the users' requests that were on the app when it went
    expect(reset).toBeGreaterThanOrEqual(C / 2)
    // the door fails each by closing the user's connection: the crowd counts every one of them as a reset
    expect(s.errorsByKind.reset).toBe(reset + refused)
    expect(s.errors).toBe(reset + refused)
  })

  it('refuses a restart while one is going, by name', async () => {
    const r = await warm()
    const first = r.lab.restartApp()
    const err = await rejection(r.lab.restartApp())
    expect(err.code).toBe('LOOPSCOPE_ERR_RESTART_ACTIVE')
    expect(err.message).toMatch(/^the app is already restarting \(process \d+ is being replaced\)/)
    await first
  })
})
