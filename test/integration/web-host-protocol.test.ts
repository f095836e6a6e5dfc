/**
 * The browser-mode host on real sockets of 127.0.0.1, with a stand-in Lab (FakeLab) so each request and reply of the
 * WebSocket protocol can be checked on its own: where it listens, what it serves, whom it lets in, and how it answers.
 * No browser and no real run here; the browser tests (test/e2e) drive the same host with the real Lab.
 */
import { request } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { FakeLab } from '../unit/control-fake-lab'
import { RENDERER_DIR } from '../e2e/browser'

let host: WebHost
let lab: FakeLab

beforeEach(async () => {
  lab = new FakeLab()
  host = await startWebHost({ lab, port: 0, rendererDir: RENDERER_DIR })
})
afterEach(async () => {
  await host.close()
})

function connect(
  origin?: string,
  hostHeader?: string
): Promise<{ ws: WebSocket | null; status: number; body: string; messages: unknown[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
      ...(origin ? { origin } : {}),
      ...(hostHeader ? { headers: { host: hostHeader } } : {})
    })
    const messages: unknown[] = []
    ws.on('message', (m) => messages.push(JSON.parse(String(m))))
    ws.on('open', () => resolve({ ws, status: 101, body: '', messages }))
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ ws: null, status: res.statusCode ?? 0, body, messages }))
    })
    ws.on('error', () => {})
  })
}

function get(
  path: string,
  hostHeader?: string,
  address = '127.0.0.1'
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: address, port: host.port, path, headers: hostHeader ? { host: hostHeader } : {} },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

describe('the browser-mode host', () => {
  it('listens on 127.0.0.1 only, and reports its URL', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`)
    expect((await get('/', undefined, '127.0.0.1')).status).toBe(200)
    // another address of this machine (all of 127/8 is the loopback on Linux): a host on every interface answers there
    await expect(get('/', `127.0.0.1:${host.port}`, '127.0.0.2')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('serves the built dashboard with a Content-Security-Policy', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<div id="root">')
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'")
  })

  it('serves nothing outside the renderer folder', async () => {
    expect((await get('/../../package.json')).status).toBe(404)
    expect((await get('/%2e%2e/%2e%2e/package.json')).status).toBe(404)
  })

  it('refuses requests that name another host (DNS rebinding)', async () => {
    expect((await get('/', 'evil.example:80')).status).toBe(403)
  })

  it('refuses a WebSocket from another origin with 403 and LOOPSCOPE_ERR_WS_ORIGIN', async () => {
    const own = `http://127.0.0.1:${host.port}`
    // another port, none, and origins that merely start like the host's own
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${host.port + 1}`,
      undefined,
      `${own}0`,
      `${own}.evil.example`,
      `${own}@evil.example`
    ]) {
      const res = await connect(origin)
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body)).toMatchObject({ code: 'LOOPSCOPE_ERR_WS_ORIGIN' })
    }
  })

  it('refuses a WebSocket from its own origin that names another host (DNS rebinding)', async () => {
    const res = await connect(`http://127.0.0.1:${host.port}`, `evil.example:${host.port}`)
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body)).toMatchObject({ code: 'LOOPSCOPE_ERR_WS_ORIGIN' })
    // the same page, naming the host it came from, is let in
    const ok = await connect(`http://127.0.0.1:${host.port}`, `127.0.0.1:${host.port}`)
    expect(ok.status).toBe(101)
    ok.ws!.close()
  })

  it('carries the contract for its own origin: status first, then replies and events', async () => {
    const { ws, messages } = await connect(`http://localhost:${host.port}`)
    ws!.send(JSON.stringify({ id: 7, request: 'update', args: { delayMs: 70_000 } }))
    ws!.send(JSON.stringify({ id: 8, request: 'update', args: { delayMs: 300 } }))
    await new Promise((r) => setTimeout(r, 100))
    lab.emit('frame', { t: 1 })
    await new Promise((r) => setTimeout(r, 100))
    ws!.close()
    expect(messages[0]).toMatchObject({ event: 'status', data: { running: false } })
    expect(messages).toContainEqual({
      id: 7,
      reply: {
        ok: false,
        error: {
          code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
          message: expect.stringContaining('delayMs must be'),
          field: 'delayMs'
        }
      }
    })
    expect(messages).toContainEqual(expect.objectContaining({ id: 8, reply: expect.objectContaining({ ok: true }) }))
    expect(messages).toContainEqual({ event: 'frame', data: { t: 1 } })
    expect(lab.settings.delayMs).toBe(300)
  })

  it('answers a malformed message with a coded error', async () => {
    const { ws } = await connect(`http://127.0.0.1:${host.port}`)
    const reply = new Promise((resolve) =>
      ws!.on('message', (m) => {
        const msg = JSON.parse(String(m))
        if ('id' in msg) resolve(msg)
      })
    )
    ws!.send('not json')
    expect(await reply).toMatchObject({ id: 0, reply: { ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } } })
    ws!.close()
  })
})
