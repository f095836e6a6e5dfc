import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LabError } from '../../src/shared/errors'
import { frameWhere, sleep, startLab, type Recorded } from '../helpers/run-lab'
import { freePort } from '../helpers/free-port'
import { alive } from '../helpers/process'

/** An address of this machine that is not 127.0.0.1 (all of 127/8 is the loopback on Linux) */
const OTHER_ADDRESS = '127.0.0.2'

let current: Recorded | null = null
afterEach(async () => {
  await current?.lab.close()
  current = null
})

/** True when nothing accepts a connection on the port at that address. */
function refused(port: number, address = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, address)
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', () => resolve(true))
  })
}

describe('the Lab', () => {
  it('applies a concurrency change mid-run and marks it in the stream', async () => {
    current = await startLab({ concurrency: 5, delayMs: 200, durationS: 30 })
    await frameWhere(current.frames, (f) => f.inFlight === 5)
    await current.lab.update({ concurrency: 20 })
    const marked = await frameWhere(current.frames, (f) => f.marks.length > 0)
    expect(marked.marks[0]!.label).toBe('c 5 → 20')
    await frameWhere(current.frames, (f) => f.inFlight === 20)
    expect(current.frames.at(-1)!.theoryRps).toBe(100)
  })

  it('refuses an invalid change with a message naming the field, and the run keeps its settings', async () => {
    current = await startLab({ concurrency: 5, delayMs: 100, durationS: 30 })
    await frameWhere(current.frames, (f) => f.completed > 0)
    const err = await current.lab.update({ concurrency: 50_000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).message).toContain('concurrency must be an integer from 1 to 10000')
    expect(current.lab.status()).toMatchObject({ running: true, settings: { concurrency: 5 } })
    const before = current.frames.at(-1)!.completed
    await sleep(500)
    expect(current.frames.at(-1)!.completed).toBeGreaterThan(before)
    expect(current.frames.at(-1)!.inFlight).toBe(5)
  })

  it('changes the subject live: blocking on makes the queue rise and a stall appear', async () => {
    current = await startLab({ concurrency: 10, delayMs: 300, durationS: 30 })
    await frameWhere(current.frames, (f) => f.active === 10)
    await current.lab.update({ blocking: true })
    const stalled = await frameWhere(current.frames, (f) => f.stallMs >= 150 && f.marks.length === 0 && f.queued >= 5)
    expect(stalled.theoryRps).toBeCloseTo(3.33, 1)
  })

  it('stopping leaves no subject process, no listening socket and no crowd thread', async () => {
    // Workers and child processes in this test process are only ever the Lab's; sockets may be anyone's.
    const ours = (): string[] =>
      process
        .getActiveResourcesInfo()
        .filter((r) => ['Worker', 'TCPSocketWrap', 'ProcessWrap'].includes(r))
        .sort()
    const noRunLeft = (): boolean => !ours().some((r) => r === 'Worker' || r === 'ProcessWrap')
    // A closed handle leaves the list at the loop's next close phase: let an earlier test's run finish leaving.
    for (let i = 0; i < 100 && !noRunLeft(); i++) await sleep(10)
    const socketsBefore = ours().filter((r) => r === 'TCPSocketWrap').length
    current = await startLab({ concurrency: 5, delayMs: 100, durationS: 30 })
    const { subjectUrl, subjectPid } = current.lab.status()
    const port = Number(new URL(subjectUrl!).port)
    await frameWhere(current.frames, (f) => f.completed > 0)
    const summary = await current.lab.stop()
    expect(summary?.reason).toBe('stopped')
    expect(current.lab.status()).toMatchObject({ running: false, subjectUrl: null })
    expect(alive(subjectPid!)).toBe(false)
    // what is left in this process: nothing of the run (no worker, no socket, no child process). A handle that has
    // been closed leaves the list at the loop's next close phase, so allow a few turns of the loop.
    for (let i = 0; i < 20 && !noRunLeft(); i++) await sleep(10)
    expect(ours().filter((r) => r !== 'TCPSocketWrap')).toEqual([])
    expect(ours().filter((r) => r === 'TCPSocketWrap').length).toBeLessThanOrEqual(socketsBefore)
    expect(await refused(port)).toBe(true)
  })

  it('reports a crashed subject as an error in words, ends the run, and starts again', async () => {
    current = await startLab({ concurrency: 5, delayMs: 100, durationS: 30 })
    await frameWhere(current.frames, (f) => f.completed > 0)
    process.kill(current.lab.status().subjectPid!, 'SIGKILL')
    const summary = await current.summary
    expect(summary.reason).toBe('error')
    expect(current.errors.map((e) => e.code)).toContain('LOOPSCOPE_ERR_SUBJECT_EXITED')
    expect(current.errors[0]!.message).toMatch(/ended unexpectedly/)
    const again = await current.lab.start({ durationS: 1 })
    expect(again.running).toBe(true)
    expect(alive(again.subjectPid!)).toBe(true)
  })

  it('refuses to start a second run while one is going', async () => {
    current = await startLab({ concurrency: 1, delayMs: 100, durationS: 30 })
    await expect(current.lab.start({})).rejects.toMatchObject({ code: 'LOOPSCOPE_ERR_RUN_ACTIVE' })
  })
})

describe('sharing the subject on the network', () => {
  it('listens on every interface only when asked, says where, and refuses to change it mid-run', async () => {
    // a port of its own, never the default share port, so that tests cannot collide
    const sharePort = await freePort()
    current = await startLab({ share: true, sharePort, concurrency: 1, delayMs: 100, durationS: 30 })
    const status = current.lab.status()
    // the crowd still loads 127.0.0.1; other machines would use the LAN addresses listed
    for (const url of status.sharedUrls) expect(url).toMatch(new RegExp(`^http://[\\d.]+:${sharePort}/live$`))
    expect(status.subjectUrl).toBe(`http://127.0.0.1:${sharePort}`)
    // reachable at another address of this machine (127.0.0.2 stands in for a LAN address: a socket bound to
    // 127.0.0.1 does not accept there, one bound to every interface does), so a phone can open /live
    expect(await refused(sharePort, OTHER_ADDRESS)).toBe(false)
    await expect(current.lab.update({ share: false })).rejects.toMatchObject({
      message: expect.stringContaining('share applies when a run starts')
    })
    await current.lab.stop()
    await current.lab.start({ share: false, durationS: 30 })
    expect(current.lab.status().sharedUrls).toEqual([])
    // not shared: only 127.0.0.1 answers
    const port = Number(new URL(current.lab.status().subjectUrl!).port)
    expect(await refused(port)).toBe(false)
    expect(await refused(port, OTHER_ADDRESS)).toBe(true)
  })
})
