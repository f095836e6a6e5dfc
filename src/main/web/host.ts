/**
 * Browser mode: one HTTP server on 127.0.0.1 that serves the built renderer and carries the control contract over a
 * WebSocket at /ws. Only pages from this host may connect (the Origin must be http://127.0.0.1:PORT or
 * http://localhost:PORT), and only requests naming this host are served, so another site open in the same browser
 * cannot drive the Lab (nor reach it by DNS rebinding). A client that stops reading is given frames no more, then
 * closed (WS_CLOSE.backlog): what the host holds for one client is bounded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  CONTROL_WS_PATH,
  RUN_IMPORT_MAX_BYTES,
  WS_CLOSE,
  WS_MAX_UNREAD_BYTES,
  type LabEventName,
  type WsServerMessage
} from '../../shared/contract'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { ERROR_CODES } from '../../shared/errors'
import { clientDispatch, forwardEvents, type LabLike, type RunsLike } from '../control'

export const DEFAULT_WEB_PORT = 4310
/**
 * Back-pressure, per client, on what the host has queued for it and the client has not read (`bufferedAmount`: in
 * the socket's user-space buffer, past what the kernel took). A client this far behind (minutes of frames) stops
 * getting frames until it catches up: a gap in the charts is better than a queue that grows.
 */
const FRAME_SKIP_BYTES = 1024 * 1024
// A client WS_MAX_UNREAD_BYTES behind is not reading at all (replies and events piled up after the frames stopped):
// it is closed with WS_CLOSE.backlog instead of being held in memory, so the host's memory for a client stays under
// that plus one message. The renderer's client reconnects.
/** a client that does not take the close frame within this time is cut (ws's own default waits 30 s) */
const CLOSE_GRACE_MS = 10_000
/** a control message: a run's import carries the run's text, the rest are small */
const MAX_MESSAGE_BYTES = RUN_IMPORT_MAX_BYTES + 64 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

export interface WebHostOptions {
  lab: LabLike
  /** 0 = a port chosen by the OS */
  port?: number
  /** the built renderer (out/renderer) */
  rendererDir: string
  /** the saved runs the run requests reach; none: they are refused */
  runs?: RunsLike | null
}

export interface WebHost {
  url: string
  port: number
  /** bytes queued for all clients and not yet taken by the kernel: what the host holds for readers that lag */
  bufferedBytes(): number
  close(): Promise<void>
}

function refuseUpgrade(socket: Duplex, status: 403 | 404, code: keyof typeof ERROR_CODES, message: string): void {
  const body = JSON.stringify({ code, message })
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Loopscope-Error: ${code}\r\n` +
      'Connection: close\r\n\r\n' +
      body
  )
}

export async function startWebHost({
  lab,
  port = DEFAULT_WEB_PORT,
  rendererDir,
  runs = null
}: WebHostOptions): Promise<WebHost> {
  const root = resolve(rendererDir)
  let actualPort = port
  const allowedHosts = (): string[] => [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res
        .writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Loopscope serves only http://127.0.0.1 and http://localhost.\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (pathname.endsWith('/')) pathname += 'index.html'
    const file = normalize(join(root, pathname))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end()
      return
    }
    try {
      const info = await stat(file)
      if (!info.isFile()) throw new Error('not a file')
      const body = await readFile(file)
      const isHtml = extname(file) === '.html'
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
        'Cross-Origin-Opener-Policy': 'same-origin'
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      if (pathname === '/index.html') {
        res
          .writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end(`The dashboard is not built (no ${join(root, 'index.html')}): run "npx electron-vite build" first.\n`)
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n')
      }
    }
  }

  const server = createServer((req, res) => void serveFile(req, res))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {})
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path !== CONTROL_WS_PATH) {
      refuseUpgrade(
        socket,
        404,
        'LOOPSCOPE_ERR_IPC_INVALID',
        `no control channel at ${path}; it is at ${CONTROL_WS_PATH}`
      )
      return
    }
    const origin = req.headers.origin
    if (!origin || !allowedOrigins().includes(origin) || !allowedHosts().includes(req.headers.host ?? '')) {
      refuseUpgrade(
        socket,
        403,
        'LOOPSCOPE_ERR_WS_ORIGIN',
        `a control connection from ${origin ? `origin ${origin}` : 'a client with no Origin'} was refused; only pages served by ${allowedOrigins()[0]} may connect`
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    const dispatch = clientDispatch(lab, undefined, runs)
    let graceTimer: NodeJS.Timeout | undefined
    const closeForBacklog = (): void => {
      // The close frame queues behind what the client has not read; if it never reads that either, cut it.
      ws.close(WS_CLOSE.backlog.code, WS_CLOSE.backlog.reason)
      graceTimer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
      graceTimer.unref()
    }
    // A saved run or its export is one reply of up to a few MiB (an hour's run: ~6 MiB): while one is on its way it
    // does not count as unread, so the frames after it neither skip nor close the client. One at a time, so a
    // client that asks for runs and does not read them is still held to WS_MAX_UNREAD_BYTES plus one run.
    let runReplyBytes = 0
    const unread = (): number => ws.bufferedAmount - runReplyBytes
    const send = (message: WsServerMessage): void => {
      if (ws.readyState !== ws.OPEN) return
      if (unread() > WS_MAX_UNREAD_BYTES) {
        closeForBacklog()
        return
      }
      const text = JSON.stringify(message)
      if (text.length > FRAME_SKIP_BYTES && runReplyBytes === 0 && 'reply' in message) {
        runReplyBytes = Buffer.byteLength(text)
        ws.send(text, () => (runReplyBytes = 0))
      } else ws.send(text)
    }
    const stopForwarding = forwardEvents(
      lab,
      (event: LabEventName, data) => {
        if (event === 'frame' && unread() > FRAME_SKIP_BYTES) return
        send({ event, data })
      },
      runs
    )
    send({ event: 'status', data: lab.status() })
    ws.on('message', (raw, isBinary) => {
      // A connection being closed takes no more requests: a client that floods while it does not read is not served.
      if (ws.readyState !== ws.OPEN) return
      let message: unknown
      try {
        message = isBinary ? undefined : JSON.parse(raw.toString())
      } catch {
        message = undefined
      }
      const { id, request, args } = (message ?? {}) as { id?: unknown; request?: unknown; args?: unknown }
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        send({
          id: 0,
          reply: {
            ok: false,
            error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: 'a control message must be JSON {id, request, args}' }
          }
        })
        return
      }
      void dispatch(request, args).then((reply) => send({ id, reply }))
    })
    ws.on('close', () => {
      clearTimeout(graceTimer)
      stopForwarding()
    })
    ws.on('error', () => ws.terminate())
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolveListen()
    })
  })
  const address = server.address()
  actualPort = typeof address === 'object' && address ? address.port : port

  let closing: Promise<void> | null = null
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    port: actualPort,
    bufferedBytes() {
      let total = 0
      for (const client of wss.clients) total += client.bufferedAmount
      return total
    },
    close() {
      closing ??= new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.close(() => done())
        server.closeAllConnections()
      })
      return closing
    }
  }
}
