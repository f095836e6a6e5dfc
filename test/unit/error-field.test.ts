/**
 * A refused setting's name travels as data (`ErrorInfo.field`) from the schema to the form: through the host's
 * dispatch, Electron's IPC (a stand-in for ipcMain), the browser mode's WebSocket (a real one on 127.0.0.1), and the
 * renderer, which puts the refusal next to that field without reading the message's words.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { dispatch } from '../../src/main/control'
import { registerIpc, type IpcEventLike } from '../../src/main/ipc'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { fieldOfRefusal } from '../../src/renderer/src/hooks/use-run'
import { IPC_CHANNELS, type Reply, type WsServerMessage } from '../../src/shared/contract'
import { LabError, toErrorInfo, type ErrorInfo } from '../../src/shared/errors'
import { applyPatch, DEFAULT_SETTINGS } from '../../src/shared/settings'
import { FakeLab } from './control-fake-lab'

const refusedBy = (patch: unknown): ErrorInfo => {
  try {
    applyPatch(DEFAULT_SETTINGS, patch)
  } catch (err) {
    return toErrorInfo(err)
  }
  throw new Error('expected a refusal')
}

describe('the refused field, as data', () => {
  it("is named by the schema's refusal, and kept by toJSON and toErrorInfo", () => {
    expect(refusedBy({ delayMs: -5 })).toMatchObject({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'delayMs' })
    const err = new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', 'threads must be …', { field: 'threads' })
    expect(err.toJSON().field).toBe('threads')
    expect(toErrorInfo(JSON.parse(JSON.stringify(err.toJSON()))).field).toBe('threads')
  })

  it('is absent where no one setting was refused', () => {
    expect(refusedBy({ nonsense: 1 })).not.toHaveProperty('field')
    expect(new LabError('LOOPSCOPE_ERR_RUN_IDLE', 'no run').toJSON()).not.toHaveProperty('field')
  })

  it('comes back in the reply to a refused update, and the renderer reads it, whatever the message says', async () => {
    const reply = await dispatch(new FakeLab(), 'update', { blocking: true, concurrency: 0 })
    expect(reply).toMatchObject({ ok: false, error: { field: 'concurrency' } })
    const error = (reply as { error: ErrorInfo }).error
    expect(fieldOfRefusal(error, { blocking: true, concurrency: 0 })).toBe('concurrency')
    // the words are for people: another message, the same field
    expect(fieldOfRefusal({ ...error, message: 'Concurrency is too small' }, { blocking: true, concurrency: 0 })).toBe(
      'concurrency'
    )
    // a field the change did not send is not one to mark
    expect(fieldOfRefusal(error, { blocking: true })).toBeNull()
    expect(
      fieldOfRefusal({ code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', message: 'delayMs must be …' }, { delayMs: 1 })
    ).toBeNull()
  })

  it('survives Electron IPC', async () => {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>()
    const page = 'file:///app/index.html'
    registerIpc(
      {
        handle: (channel, listener) => handlers.set(channel, listener),
        removeHandler: (channel) => handlers.delete(channel)
      },
      new FakeLab(),
      { send: () => {}, isDestroyed: () => false },
      { sender: 'window', isOurPage: (url) => url === page }
    )
    const event: IpcEventLike = { sender: 'window', senderFrame: { url: page, parent: null } }
    // what ipcMain.handle returns crosses to the page by structured clone, as a plain object does
    const reply = structuredClone(
      await handlers.get(IPC_CHANNELS.request.update)!(event, { durationS: 0 })
    ) as Reply<unknown>
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'durationS' } })
  })
})

describe("the refused field over the browser mode's WebSocket", () => {
  let host: WebHost | undefined
  let dir: string | undefined
  let ws: WebSocket | undefined
  afterEach(async () => {
    ws?.terminate()
    await host?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('arrives in the reply the page reads', async () => {
    dir = mkdtempSync(join(tmpdir(), 'loopscope-field-'))
    host = await startWebHost({ lab: new FakeLab(), port: 0, rendererDir: dir })
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { origin: `http://127.0.0.1:${host.port}` })
    ws = socket
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const reply = await new Promise<Reply<unknown>>((resolve) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as WsServerMessage
        if ('id' in message && message.id === 7) resolve(message.reply)
      })
      socket.send(JSON.stringify({ id: 7, request: 'update', args: { threads: 65 } }))
    })
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', field: 'threads' } })
  })
})
