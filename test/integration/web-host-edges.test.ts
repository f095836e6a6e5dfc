/** The browser-mode host against hostile clients, on real sockets of 127.0.0.1: one that never reads, deep values. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { WS_CLOSE, WS_MAX_UNREAD_BYTES, type WsServerMessage } from '../../src/shared/contract'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'
import { FakeLab } from '../unit/control-fake-lab'

let host: WebHost
let lab: FakeLab
let rendererDir: string
const clients: WebSocket[] = []

beforeEach(async () => {
  lab = new FakeLab()
  // The WebSocket needs no built renderer: an empty folder stands in for it.
  rendererDir = mkdtempSync(join(tmpdir(), 'loopscope-web-'))
  host = await startWebHost({ lab, port: 0, rendererDir })
})
afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate()
  await host.close()
  rmSync(rendererDir, { recursive: true, force: true })
})

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { origin: `http://127.0.0.1:${host.port}` })
  clients.push(ws)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** Sends one request (its name and arguments as JSON text) and waits for its reply; events are skipped. */
function ask(ws: WebSocket, id: number, request: string, args: string): Promise<WsServerMessage & { id: number }> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData): void => {
      const message = JSON.parse(String(raw)) as WsServerMessage
      if ('id' in message && message.id === id) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
    ws.send(`{"id":${id},"request":${request},"args":${args}}`)
  })
}

const nestedArrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels)
const nestedObjects = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels)

describe('the browser-mode host', () => {
  it('serves its pages with the one Content-Security-Policy', async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>')
    const policy = await new Promise<unknown>((resolve, reject) => {
      get(`http://127.0.0.1:${host.port}/`, (res) => {
        res.resume()
        resolve(res.headers['content-security-policy'])
      }).on('error', reject)
    })
    expect(policy).toBe(CONTENT_SECURITY_POLICY)
  })
})

describe('the browser-mode host and a client that never reads', () => {
  it('closes it with 4008 and holds no more than the cap for it, however many refusals it asks for', async () => {
    const ws = await open()
    // Stop reading at the TCP level: the host's replies fill the kernel's buffers, then the host's own.
    const socket = (ws as unknown as { _socket: Socket })._socket
    socket.pause()
    const bad = JSON.stringify({ id: 1, request: 'update', args: { notASetting: 1 } })
    let sent = 0
    let mostHeldBytes = 0
    let batchesPastCap = 0
    // Until the host holds the cap (the kernel's buffers fill first), then a few more batches: they must add nothing.
    while (batchesPastCap < 3 && sent < 400_000) {
      for (let i = 0; i < 1999; i++) ws.send(bad)
      await new Promise((done) => ws.send(bad, done))
      sent += 2000
      await new Promise((done) => setTimeout(done, 5))
      const heldBytes = host.bufferedBytes()
      mostHeldBytes = Math.max(mostHeldBytes, heldBytes)
      if (heldBytes > WS_MAX_UNREAD_BYTES) batchesPastCap++
    }
    expect(batchesPastCap).toBe(3)
    // One message may go past the cap before the next send sees it; replies are a few hundred bytes.
    expect(mostHeldBytes).toBeLessThanOrEqual(WS_MAX_UNREAD_BYTES + 64 * 1024)

    let replies = 0
    ws.on('message', () => replies++)
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }))
    )
    socket.resume()
    expect(await closed).toEqual({ code: WS_CLOSE.backlog.code, reason: WS_CLOSE.backlog.reason })
    expect(replies).toBeLessThan(sent)
    expect(host.bufferedBytes()).toBe(0)
  })
})

describe('the browser-mode host and deeply nested values', () => {
  it('refuses 5,000 nested arrays as a setting naming the field, briefly', async () => {
    const ws = await open()
    const reply = await ask(ws, 1, '"update"', `{"delayMs":${nestedArrays(5000)}}`)
    expect(reply).toEqual({
      id: 1,
      reply: {
        ok: false,
        error: {
          code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
          message:
            'delayMs must be an integer number of milliseconds from 0 to 60000 (got an array nested 5000 levels deep)',
          field: 'delayMs'
        }
      }
    })
    expect(lab.calls).toEqual([])
  })

  it('refuses 5,000 nested objects as a setting naming the field, briefly', async () => {
    const ws = await open()
    const reply = await ask(ws, 2, '"start"', `{"share":${nestedObjects(5000)}}`)
    expect(reply.id).toBe(2)
    expect(reply).toMatchObject({
      reply: {
        ok: false,
        error: {
          code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
          message: expect.stringMatching(/^share must be true or false/)
        }
      }
    })
    expect(JSON.stringify(reply).length).toBeLessThan(300)
    expect(JSON.stringify(reply)).toContain('(got an object nested 5000 levels deep)')
  })

  it('answers a request named by 5,000 nested arrays in words and keeps serving', async () => {
    const ws = await open()
    const reply = await ask(ws, 3, nestedArrays(5000), 'null')
    expect(reply).toMatchObject({
      reply: {
        ok: false,
        error: {
          code: 'LOOPSCOPE_ERR_IPC_INVALID',
          message: expect.stringMatching(/^unknown request an array nested 5000 levels deep; known: /)
        }
      }
    })
    expect(await ask(ws, 4, '"status"', 'null')).toMatchObject({ id: 4, reply: { ok: true } })
  })
})
