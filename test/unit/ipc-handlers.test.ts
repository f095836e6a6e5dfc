import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { registerIpc, type IpcMainLike } from '../../src/main/ipc'
import { IPC_CHANNELS } from '../../src/shared/contract'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { FakeLab } from './control-fake-lab'

type Handler = (event: { sender?: unknown }, ...args: unknown[]) => unknown

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
    return Promise.resolve(this.handlers.get(channel)!({ sender: 'window' }, ...args))
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

function setup() {
  const ipc = new IpcMainStandIn()
  const lab = new FakeLab()
  const target = new Target()
  const dispose = registerIpc(ipc, lab, target, { isTrustedSender: (e) => e.sender === 'window' })
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
      error: { code: 'LOOPSCOPE_ERR_SETTINGS_INVALID', message: 'concurrency must be an integer from 1 to 10000 (got 0)' }
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
    const reply = await ipc.handlers.get(IPC_CHANNELS.request.start)!({ sender: 'some-frame' }, {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    expect(lab.calls).toEqual([])
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

  it('removes its handlers and listeners when disposed', () => {
    const { ipc, lab, dispose } = setup()
    dispose()
    expect(ipc.handlers.size).toBe(0)
    expect(lab.listenerCount('frame')).toBe(0)
  })
})

describe('the IPC contract', () => {
  it('has no channel string anywhere but src/shared/contract.ts', () => {
    const channels = [...Object.values(IPC_CHANNELS.request), ...Object.values(IPC_CHANNELS.event)]
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && !path.endsWith(join('shared', 'contract.ts'))) {
          const text = readFileSync(path, 'utf8')
          for (const c of channels) if (text.includes(`'${c}'`) || text.includes(`"${c}"`)) offenders.push(`${path}: ${c}`)
        }
      }
    }
    walk(join(import.meta.dirname, '../../src'))
    expect(offenders).toEqual([])
  })
})
