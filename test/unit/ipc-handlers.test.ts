import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_PENDING_REQUESTS } from '../../src/main/control'
import {
  isSamePage,
  registerIpc,
  sendShellCommand,
  windowIpcOptions,
  type IpcEventLike,
  type IpcMainLike
} from '../../src/main/ipc'
import { IPC_CHANNELS, type LabStatus } from '../../src/shared/contract'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { FakeLab } from './control-fake-lab'

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown

const PAGE = 'file:///app/out/renderer/index.html'
/** What Electron passes for a request from our window's top frame. */
const OUR_EVENT: IpcEventLike = { sender: 'window', senderFrame: { url: PAGE, parent: null } }

/** Electron's ipcMain, reduced to what ipc.ts uses. */
class IpcMainStandIn implements IpcMainLike {
  handlers = new Map<string, Handler>()
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.invokeAs(OUR_EVENT, channel, ...args)
  }
  invokeAs(event: IpcEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    return Promise.resolve(this.handlers.get(channel)!(event, ...args))
  }
}

class Target {
  sent: [string, unknown][] = []
  destroyed = false
  send(channel: string, data: unknown): void {
    this.sent.push([channel, data])
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

function setup(lab = new FakeLab()) {
  const ipc = new IpcMainStandIn()
  const target = new Target()
  const dispose = registerIpc(ipc, lab, target, windowIpcOptions('window', PAGE))
  return { ipc, lab, target, dispose }
}

describe('IPC handlers', () => {
  it('handles every request channel of the contract, and only those', () => {
    const { ipc } = setup()
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS.request).sort())
  })

  it('applies a valid update and answers with the Lab status', async () => {
    const { ipc, lab } = setup()
    const reply = await ipc.invoke(IPC_CHANNELS.request.update, { delayMs: 500 })
    expect(reply).toMatchObject({ ok: true, value: { settings: { delayMs: 500 } } })
    expect(lab.settings.delayMs).toBe(500)
  })

  it('refuses an out-of-range value in words and leaves the settings as they were', async () => {
    const { ipc, lab } = setup()
    await ipc.invoke(IPC_CHANNELS.request.update, { concurrency: 10 })
    const reply = await ipc.invoke(IPC_CHANNELS.request.update, { concurrency: 0 })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
        message: 'concurrency must be an integer from 1 to 10000 (got 0)',
        field: 'concurrency'
      }
    })
    expect(lab.settings).toEqual({ ...DEFAULT_SETTINGS, concurrency: 10 })
    expect(lab.calls).toHaveLength(1)
  })

  it('refuses extra arguments', async () => {
    const { ipc, lab } = setup()
    const reply = await ipc.invoke(IPC_CHANNELS.request.start, {}, 'extra')
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect(lab.calls).toEqual([])
  })

  it('refuses requests from a sender that is not the window', async () => {
    const { ipc, lab } = setup()
    const reply = await ipc.invokeAs({ ...OUR_EVENT, sender: 'another-window' }, IPC_CHANNELS.request.start, {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect(lab.calls).toEqual([])
  })

  it('refuses a request from a frame inside the window that is not its top frame', async () => {
    const { ipc, lab } = setup()
    const iframe = { url: PAGE, parent: OUR_EVENT.senderFrame }
    const reply = await ipc.invokeAs({ sender: 'window', senderFrame: iframe }, IPC_CHANNELS.request.start, {})
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'LOOPSCOPE_ERR_IPC_INVALID',
        message: 'request from a frame that is not the Loopscope page refused'
      }
    })
    expect(lab.calls).toEqual([])
  })

  it('refuses a request from the top frame once it shows another page', async () => {
    const { ipc, lab } = setup()
    const elsewhere = { url: 'https://evil.example/', parent: null }
    const reply = await ipc.invokeAs({ sender: 'window', senderFrame: elsewhere }, IPC_CHANNELS.request.update, {
      delayMs: 5
    })
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect(lab.calls).toEqual([])
  })

  it('refuses a request whose frame is gone (Electron passes senderFrame null)', async () => {
    const { ipc, lab } = setup()
    const reply = await ipc.invokeAs({ sender: 'window', senderFrame: null }, IPC_CHANNELS.request.stop, null)
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect(lab.calls).toEqual([])
  })

  it(`refuses at once a request past ${MAX_PENDING_REQUESTS} waiting for their replies, without calling the Lab`, async () => {
    const lab = new FakeLab()
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    lab.update = async (patch): Promise<LabStatus> => {
      lab.calls.push({ name: 'update', args: patch })
      await held
      return lab.status()
    }
    const { ipc } = setup(lab)
    const waiting = Array.from({ length: MAX_PENDING_REQUESTS }, () =>
      ipc.invoke(IPC_CHANNELS.request.update, { delayMs: 5 })
    )
    const refused = await ipc.invoke(IPC_CHANNELS.request.update, { delayMs: 6 })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: expect.stringContaining('waiting for their replies') }
    })
    expect(lab.calls).toHaveLength(MAX_PENDING_REQUESTS)
    release()
    for (const reply of await Promise.all(waiting)) expect(reply).toMatchObject({ ok: true })
    expect(await ipc.invoke(IPC_CHANNELS.request.update, { delayMs: 7 })).toMatchObject({ ok: true })
  })

  it('forwards Lab events on the event channels while the window lives', () => {
    const { lab, target } = setup()
    lab.emit('frame', { t: 100 })
    lab.emit('error', { code: 'LOOPSCOPE_ERR_SUBJECT_EXITED', message: 'gone' })
    target.destroyed = true
    lab.emit('frame', { t: 200 })
    expect(target.sent).toEqual([
      [IPC_CHANNELS.event.frame, { t: 100 }],
      [IPC_CHANNELS.event.error, { code: 'LOOPSCOPE_ERR_SUBJECT_EXITED', message: 'gone' }]
    ])
  })

  it("sends the menu's commands on the shell channel, and nothing to a closed window", () => {
    const target = new Target()
    sendShellCommand(target, 'presenter')
    target.destroyed = true
    sendShellCommand(target, 'presenter')
    expect(target.sent).toEqual([[IPC_CHANNELS.shell.command, 'presenter']])
  })

  it('removes its handlers and listeners when disposed', () => {
    const { ipc, lab, dispose } = setup()
    dispose()
    expect(ipc.handlers.size).toBe(0)
    expect(lab.listenerCount('frame')).toBe(0)
  })
})

describe('our page', () => {
  it('is the built file whatever its query or fragment, and no other file', () => {
    expect(isSamePage(`${PAGE}#lesson`, PAGE)).toBe(true)
    expect(isSamePage('file:///app/out/renderer/other.html', PAGE)).toBe(false)
    expect(isSamePage('https://app/out/renderer/index.html', PAGE)).toBe(false)
  })

  it("is the dev server's origin in development, and no other origin", () => {
    expect(isSamePage('http://localhost:5173/src/index.html', 'http://localhost:5173/')).toBe(true)
    expect(isSamePage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
  })
})

describe('the IPC contract', () => {
  it('has no channel string anywhere but src/shared/contract.ts', () => {
    const channels = [
      ...Object.values(IPC_CHANNELS.request),
      ...Object.values(IPC_CHANNELS.event),
      ...Object.values(IPC_CHANNELS.shell)
    ]
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && !path.endsWith(join('shared', 'contract.ts'))) {
          const text = readFileSync(path, 'utf8')
          for (const c of channels)
            if (text.includes(`'${c}'`) || text.includes(`"${c}"`)) offenders.push(`${path}: ${c}`)
        }
      }
    }
    walk(join(import.meta.dirname, '../../src'))
    expect(offenders).toEqual([])
  })
})
