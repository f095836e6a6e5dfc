import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LabError } from '../../src/shared/errors'
import { pickSubject, withDefaults, type SettingsPatch } from '../../src/shared/settings'
import { startControlThread, type ControlThread } from '../../src/main/lab/subject/control'
import { createSettingsBlock, openSettingsBlock } from '../../src/main/lab/subject/settings-block.js'
import { buildSubjectState, type SubjectState } from '../../src/main/lab/subject/subject-state'
import { connectSubjectControl, type SubjectControl } from '../../src/main/lab/subject-control'

const TOKEN = 'a-token-only-the-host-knows'
const subjectSettings = (patch: SettingsPatch = {}) => pickSubject(withDefaults({ delayMs: 0, ...patch }))

let thread: ControlThread | null = null
let control: SubjectControl | null = null
let state: SubjectState | null = null
let fake: Server | null = null
afterEach(async () => {
  control?.close()
  await thread?.worker.terminate()
  await state?.close()
  await new Promise((resolve) => (fake ? fake.close(resolve) : resolve(null)))
  thread = control = state = fake = null
})

async function startThread(): Promise<{ block: ReturnType<typeof openSettingsBlock>; buffer: SharedArrayBuffer }> {
  const buffer = createSettingsBlock()
  // onError: terminating the thread at the end of a test is an exit the subject itself would report.
  thread = await startControlThread({ token: TOKEN, block: buffer, onError: () => {} })
  return { block: openSettingsBlock(buffer), buffer }
}

/** A raw client: resolves when the control thread closes the connection. */
function closedBy(port: number, firstLine: string): Promise<'closed'> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(firstLine))
    socket.on('error', () => {})
    socket.on('close', () => resolve('closed'))
  })
}

describe('the subject control line', () => {
  it('acknowledges a change once it is in the shared block', async () => {
    const { block } = await startThread()
    control = await connectSubjectControl(thread!.port, TOKEN)
    await control.send(subjectSettings({ delayMs: 321, blocking: true }))
    expect(JSON.parse(block.read()!.text)).toEqual(subjectSettings({ delayMs: 321, blocking: true }))
  })

  it('closes a connection that shows the wrong token, and stores nothing it sends', async () => {
    const { block } = await startThread()
    const line = `${JSON.stringify({ token: 'guessed' })}\n${JSON.stringify({ seq: 1, settings: subjectSettings() })}\n`
    expect(await closedBy(thread!.port, line)).toBe('closed')
    expect(block.seq()).toBe(0)
  })

  it('closes a connection whose first line is not a token (an HTTP request, say)', async () => {
    await startThread()
    expect(await closedBy(thread!.port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe('closed')
  })

  it('rejects an update with a clear LabError when the subject does not acknowledge in time', async () => {
    // A listener that takes the connection and never answers: a wedged or vanished control thread.
    // (resume: a socket nobody reads never sees the client's end, and close() would wait for it forever)
    fake = createServer((socket) => socket.on('error', () => {}).resume())
    await new Promise<void>((resolve) => fake!.listen(0, '127.0.0.1', resolve))
    control = await connectSubjectControl((fake.address() as { port: number }).port, TOKEN, { ackTimeoutMs: 200 })
    const err = await control.send(subjectSettings()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).message).toBe(
      'the subject did not acknowledge a settings change within 0.2 s on its control line'
    )
  })

  it('keeps the previous settings when the block holds a payload validation refuses, and says why', async () => {
    const { buffer } = await startThread()
    const refused: unknown[] = []
    state = buildSubjectState({
      settings: subjectSettings({ delayMs: 5 }),
      settingsBlock: buffer,
      onRefused: (err) => refused.push(err)
    })
    control = await connectSubjectControl(thread!.port, TOKEN)
    await control.send({ ...subjectSettings(), delayMs: -1 })
    expect(state.settings().delayMs).toBe(5)
    expect(refused).toMatchObject([{ code: 'LOOPSCOPE_ERR_IPC_INVALID', message: expect.stringContaining('delayMs') }])
    // and the next valid change applies
    await control.send(subjectSettings({ delayMs: 7 }))
    expect(state.settings().delayMs).toBe(7)
  })
})
