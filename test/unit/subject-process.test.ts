import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SubjectLaunch, SubjectProcess, SubjectToHost } from '../../src/main/lab/protocol'
import { pickSubject, withDefaults } from '../../src/shared/settings'
import { spawnNodeSubject } from '../../src/main/lab/subject/spawn-node'
import { connectSubjectControl, type SubjectControl } from '../../src/main/lab/subject-control'
import { alive } from '../helpers/process'

interface Started {
  proc: SubjectProcess
  exited: Promise<number | null>
  origin: string
  pid: number
  sent: SubjectToHost[]
  /** the host's end of the control line; null when the launch asked for none */
  control: SubjectControl | null
}

const TOKEN = 'subject-process-test-token'

const launch = (patch = {}): SubjectLaunch => ({
  port: 0,
  settings: pickSubject(withDefaults({ delayMs: 0, ...patch })),
  instrument: true,
  control: { token: TOKEN }
})

function spawn(options: SubjectLaunch): Omit<Started, 'origin' | 'pid' | 'control'> {
  const proc = spawnNodeSubject()(options)
  const sent: SubjectToHost[] = []
  proc.onMessage((message) => sent.push(message))
  return { proc, sent, exited: new Promise((resolve) => proc.onExit(resolve)) }
}

/** Starts the real entry under tsx, waits for it to listen and opens its control line as the Lab does. */
async function start(options: SubjectLaunch): Promise<Started> {
  const spawned = spawn(options)
  const listening = await new Promise<Extract<SubjectToHost, { type: 'listening' }>>((resolve, reject) => {
    spawned.proc.onMessage((message) => {
      if (message.type === 'listening') resolve(message)
      if (message.type === 'error') reject(new Error(message.error.message))
    })
    void spawned.exited.then((code) => reject(new Error(`subject exited with ${code} before listening`)))
  })
  const control =
    listening.controlPort === undefined
      ? null
      : await connectSubjectControl(listening.controlPort, options.control!.token)
  return { ...spawned, origin: `http://127.0.0.1:${listening.port}`, pid: listening.pid, control }
}

async function end(
  subject: { proc: SubjectProcess; exited: Promise<number | null>; control?: SubjectControl | null } | null
): Promise<void> {
  subject?.control?.close()
  subject?.proc.kill()
  await subject?.exited
}

// Process start-up under tsx takes a second or more on the 2-core machine, so the tests that leave the process
// running share one; those that end it start their own.
describe('a running subject process', () => {
  let subject: Started | null = null

  beforeAll(async () => {
    subject = await start(launch())
  })

  afterAll(async () => {
    await end(subject)
    subject = null
  })

  it('listens on 127.0.0.1 and serves hello world over a real socket', async () => {
    expect(await (await fetch(`${subject!.origin}/`)).text()).toBe('hello world')
  })

  it('sends heartbeats and reports to its host', async () => {
    await expect.poll(() => subject!.sent.some((message) => message.type === 'report')).toBe(true)
    expect(subject!.sent.some((message) => message.type === 'hb')).toBe(true)
  })

  it('answers refused settings on its control line with an error and keeps serving', async () => {
    await subject!.control!.send({ ...launch().settings, delayMs: -1 })
    await expect
      .poll(() => subject!.sent.find((message) => message.type === 'error'))
      .toMatchObject({ error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect((await fetch(`${subject!.origin}/work`)).status).toBe(200)
  })

  it('applies settings from its control line to the first request that starts after the acknowledgement', async () => {
    await subject!.control!.send(launch({ delayMs: 150, blocking: true }).settings)
    const body = await (await fetch(`${subject!.origin}/work`)).json()
    expect(body).toEqual({ ok: true, delayMs: 150, mode: 'blocking-wait' })
  })
})

describe('the subject process lifecycle', () => {
  let subject: (Omit<Started, 'origin' | 'pid' | 'control'> & { control?: SubjectControl | null }) | null = null

  afterEach(async () => {
    await end(subject)
    subject = null
  })

  it('exits 0 on stop and leaves no process behind', async () => {
    const started = await start(launch())
    subject = started
    started.proc.send({ type: 'stop' })
    expect(await started.exited).toBe(0)
    expect(alive(started.pid)).toBe(false)
  })

  it('reports a launch it cannot use as a start error and exits 1', async () => {
    subject = spawn({ ...launch(), port: -1 })
    await expect
      .poll(() => subject!.sent[0], { timeout: 10_000 })
      .toMatchObject({
        type: 'error',
        error: { code: 'LOOPSCOPE_ERR_SUBJECT_START' }
      })
    expect(await subject.exited).toBe(1)
  })

  it('acknowledges a change while its loop is blocked, and the next request is evented', async () => {
    const started = await start(launch({ delayMs: 2000, blocking: true }))
    subject = started
    const blocked = fetch(`${started.origin}/work`).then((res) => res.json())
    // The request is in its handler once heartbeats (10 ms apart while the loop is free) stop coming.
    const beats = (): number => started.sent.filter((m) => m.type === 'hb').length
    for (let before = -1; before !== beats();) {
      before = beats()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    let answered = false
    void blocked.then(() => (answered = true))
    await started.control!.send(launch({ delayMs: 10 }).settings)
    // acknowledged by the control thread while the block is still on: the blocked request is not answered yet
    expect(answered).toBe(false)
    expect(await blocked).toEqual({ ok: true, delayMs: 2000, mode: 'blocking-wait' })
    expect(await (await fetch(`${started.origin}/work`)).json()).toEqual({
      ok: true,
      delayMs: 10,
      mode: 'evented-wait'
    })
  })

  it('starts no control thread when the launch asks for none (serve)', async () => {
    const started = await start({ ...launch(), control: undefined })
    subject = started
    expect(started.control).toBe(null)
    expect(started.sent.find((m) => m.type === 'listening')).not.toHaveProperty('controlPort')
  })

  it('leaves no process behind when killed while its loop is blocked', async () => {
    const started = await start(launch({ delayMs: 30_000, blocking: true }))
    subject = started
    fetch(`${started.origin}/work`).catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 200))
    started.proc.kill()
    expect(await started.exited).toBe(null)
    expect(alive(started.pid)).toBe(false)
  })
})
