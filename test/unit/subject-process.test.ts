import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SubjectLaunch, SubjectProcess, SubjectToHost } from '../../src/main/lab/protocol'
import { pickSubject, withDefaults } from '../../src/shared/settings'
import { spawnNodeSubject } from '../../src/main/lab/subject/spawn-node'
import { alive } from '../helpers/process'

interface Started {
  proc: SubjectProcess
  exited: Promise<number | null>
  origin: string
  pid: number
  sent: SubjectToHost[]
}

const launch = (patch = {}): SubjectLaunch => ({
  port: 0,
  settings: pickSubject(withDefaults({ delayMs: 0, ...patch })),
  instrument: true
})

function spawn(options: SubjectLaunch): Omit<Started, 'origin' | 'pid'> {
  const proc = spawnNodeSubject()(options)
  const sent: SubjectToHost[] = []
  proc.onMessage((message) => sent.push(message))
  return { proc, sent, exited: new Promise((resolve) => proc.onExit(resolve)) }
}

/** Starts the real entry under tsx and waits for it to listen. */
async function start(options: SubjectLaunch): Promise<Started> {
  const spawned = spawn(options)
  const listening = await new Promise<Extract<SubjectToHost, { type: 'listening' }>>((resolve, reject) => {
    spawned.proc.onMessage((message) => {
      if (message.type === 'listening') resolve(message)
      if (message.type === 'error') reject(new Error(message.error.message))
    })
    void spawned.exited.then((code) => reject(new Error(`subject exited with ${code} before listening`)))
  })
  return { ...spawned, origin: `http://127.0.0.1:${listening.port}`, pid: listening.pid }
}

async function end(subject: { proc: SubjectProcess; exited: Promise<number | null> } | null): Promise<void> {
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

  it('answers a refused settings message with an error and keeps serving', async () => {
    subject!.proc.send({ type: 'settings', settings: { delayMs: -1 } as never })
    await expect
      .poll(() => subject!.sent.find((message) => message.type === 'error'))
      .toMatchObject({ error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect((await fetch(`${subject!.origin}/work`)).status).toBe(200)
  })

  it('applies a settings message to the requests that follow it', async () => {
    subject!.proc.send({ type: 'settings', settings: launch({ delayMs: 150, blocking: true }).settings })
    let body: { delayMs?: number } = {}
    // The settings message and the request travel different channels; an answer may predate the change.
    for (let i = 0; i < 20 && body.delayMs !== 150; i++) body = (await (await fetch(`${subject!.origin}/work`)).json()) as { delayMs?: number }
    expect(body).toEqual({ ok: true, delayMs: 150, mode: 'blocking-wait' })
  })
})

describe('the subject process lifecycle', () => {
  let subject: Omit<Started, 'origin' | 'pid'> | null = null

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
    await expect.poll(() => subject!.sent[0], { timeout: 10_000 }).toMatchObject({
      type: 'error',
      error: { code: 'LOOPSCOPE_ERR_SUBJECT_START' }
    })
    expect(await subject.exited).toBe(1)
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
