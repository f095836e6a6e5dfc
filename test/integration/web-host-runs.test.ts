import { RUN_VERSION } from '../../src/shared/run-file'
/** The run requests over the browser mode's WebSocket, on real sockets: an hour-long run in, out, and away. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Runs } from '../../src/main/runs/runs'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { WS_MAX_UNREAD_BYTES, type Reply, type WsServerMessage } from '../../src/shared/contract'
import { runToJson, type RunEntry, type RunFile } from '../../src/shared/run-file'
import { frameCount } from '../../src/shared/run-frames'
import { fixtureFrames, fixtureRun } from '../helpers/run-fixture'
import { makeFrame } from '../unit/renderer-fixtures'
import { FakeLab } from '../unit/control-fake-lab'

let host: WebHost
let lab: FakeLab
let dir: string
let ws: WebSocket

beforeEach(async () => {
  lab = new FakeLab()
  dir = mkdtempSync(join(tmpdir(), 'loopscope-web-runs-'))
  host = await startWebHost({ lab, port: 0, rendererDir: dir, runs: new Runs({ dir: join(dir, 'runs') }) })
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { origin: `http://127.0.0.1:${host.port}` })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
})
afterEach(async () => {
  ws.terminate()
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

let nextId = 1
function ask<T>(request: string, args: unknown): Promise<Reply<T>> {
  const id = nextId++
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData): void => {
      const message = JSON.parse(String(raw)) as WsServerMessage
      if ('id' in message && message.id === id) {
        ws.off('message', onMessage)
        resolve(message.reply as Reply<T>)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, request, args }))
  })
}

describe('saved runs over the WebSocket', () => {
  it('imports an hour-long run, sends it back whole while frames keep coming, exports and deletes it', async () => {
    const hour = fixtureRun({
      frames: Array.from({ length: 36_000 }, (_, i) => ({ ...fixtureFrames(1)[0]!, t: i * 100 }))
    })
    const text = runToJson(hour)
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024)
    const imported = await ask<RunEntry>('runImport', { text, fileName: 'hour.json' })
    expect(imported).toMatchObject({ ok: true, value: { frames: 36_000, name: 'blocking at 1 s' } })
    const id = (imported as { value: RunEntry }).value.id

    let closed = false
    ws.on('close', () => (closed = true))
    const frames: unknown[] = []
    ws.on('message', (raw) => {
      if (String(raw).startsWith('{"event":"frame"')) frames.push(raw)
    })
    // The page stops reading while the run arrives: the reply waits in the host's buffer, and frames keep coming.
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.pause()
    const got = ask<RunFile>('runGet', { id })
    await expect.poll(() => host.bufferedBytes(), { timeout: 20_000 }).toBeGreaterThan(WS_MAX_UNREAD_BYTES)
    // what the run's reply holds back is not the page's backlog: these frames and this status are not dropped
    for (let i = 0; i < 5; i++) lab.emit('frame', makeFrame(i * 100))
    lab.emit('status', lab.status())
    socket.resume()
    const reply = await got
    expect(reply.ok && frameCount(reply.value.frames)).toBe(36_000)
    await expect.poll(() => frames.length).toBe(5)
    expect(closed).toBe(false)

    const html = await ask<{ fileName: string; text: string }>('runExport', { id, format: 'html' })
    expect(html.ok && html.value.fileName).toBe(`loopscope-${id}.html`)
    expect(await ask('runDelete', { id })).toEqual({ ok: true, value: null })
    expect(await ask('runList', null)).toEqual({ ok: true, value: [] })
  }, 120_000)

  it('refuses a bad import in words, naming the file', async () => {
    expect(await ask('runImport', { text: '{"format":"loopscope-run","version":3}', fileName: 'later.json' })).toEqual({
      ok: false,
      error: {
        code: 'LOOPSCOPE_ERR_RUNS_NEWER_VERSION',
        message: `"later.json" was saved by a newer Loopscope (format version 3; this one reads version ${RUN_VERSION}): update Loopscope to open it`
      }
    })
  })
})

describe('a run started from the dashboard', () => {
  it('is saved under its label when it ends, and the page is told with runSaved', async () => {
    const { Lab } = await import('../../src/main/lab/lab')
    const real = new Lab()
    const runs = new Runs({ dir: join(dir, 'real-runs') })
    runs.record(real, '0.1.0-test')
    const realHost = await startWebHost({ lab: real, port: 0, rendererDir: dir, runs })
    const page = new WebSocket(`ws://127.0.0.1:${realHost.port}/ws`, { origin: `http://127.0.0.1:${realHost.port}` })
    try {
      const saved = new Promise<RunEntry>((resolve) =>
        page.on('message', (raw) => {
          const m = JSON.parse(String(raw)) as WsServerMessage
          if ('event' in m && m.event === 'runSaved') resolve(m.data as RunEntry)
        })
      )
      await new Promise((r) => page.once('open', r))
      page.send(
        JSON.stringify({
          id: 1,
          request: 'start',
          args: { delayMs: 100, concurrency: 10, requests: 30, label: 'Thread pool of 10' }
        })
      )
      const entry = await saved
      expect(entry).toMatchObject({ name: 'Thread pool of 10', endReason: 'requests', theoryRps: 100 })
      expect((await runs.list()).map((e) => e.id)).toEqual([entry.id])
    } finally {
      page.terminate()
      await realHost.close()
      await real.close()
      await runs.settled()
    }
  }, 60_000)
})
