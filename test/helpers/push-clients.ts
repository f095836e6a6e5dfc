/**
 * Plain clients for the three push transports, for tests: each keeps what it received, in order, so a test can say
 * "every message once, in order". SSE is read off a raw TCP socket (the stream is not chunked, so the body is the
 * event stream as written); WebSocket is the `ws` package's own client; long polling is fetch in a loop.
 */
import { connect, type Socket } from 'node:net'
import WebSocket from 'ws'
import type { Message, PushServerFrame } from '../../src/shared/wire'

export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export interface SseEvent {
  event: string
  id?: string
  data: string
}

export class SseClient {
  status = 0
  head = ''
  readonly events: SseEvent[] = []
  comments = 0
  retryMs: number | null = null
  closed = false
  private buffer = ''
  private constructor(readonly socket: Socket) {}

  /** GET path on 127.0.0.1:port, with these extra header lines; resolves once the head has come */
  static open(port: number, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      const client = new SseClient(socket)
      socket.setEncoding('utf8')
      socket.on('error', () => {})
      socket.once('close', () => {
        client.closed = true
        if (client.status === 0) reject(new Error('closed before the head'))
      })
      socket.on('data', (chunk: string) => {
        if (client.status === 0) {
          client.buffer += chunk
          const end = client.buffer.indexOf('\r\n\r\n')
          if (end < 0) return
          client.head = client.buffer.slice(0, end)
          client.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(client.head)?.[1])
          const rest = client.buffer.slice(end + 4)
          client.buffer = ''
          client.feed(rest)
          resolve(client)
        } else client.feed(chunk)
      })
      const lines = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n${lines}\r\n`)
    })
  }

  private feed(text: string): void {
    this.buffer += text
    let end: number
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 2)
      const event: SseEvent = { event: 'message', data: '' }
      let fields = 0
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments++
          continue
        }
        const colon = line.indexOf(':')
        const name = line.slice(0, colon)
        const value = line.slice(colon + 1).replace(/^ /, '')
        if (name === 'retry') this.retryMs = Number(value)
        else if (name === 'event') event.event = value
        else if (name === 'id') event.id = value
        else if (name === 'data') event.data = event.data ? `${event.data}\n${value}` : value
        else continue
        if (name !== 'retry') fields++
      }
      if (fields > 0) this.events.push(event)
    }
  }

  /** the body, when the answer is not a stream (a 400) */
  body(): string {
    return this.buffer
  }

  messages(): Message[] {
    return this.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as Message)
  }

  ids(): number[] {
    return this.messages().map((m) => m.id)
  }

  close(): void {
    this.socket.destroy()
  }
}

export class WsClient {
  readonly frames: PushServerFrame[] = []
  close: { code: number; reason: string } | null = null
  private constructor(readonly ws: WebSocket) {}

  static open(port: number, path = '/ws'): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`)
      const client = new WsClient(ws)
      ws.on('message', (data) => client.frames.push(JSON.parse(data.toString()) as PushServerFrame))
      ws.on('close', (code, reason) => void (client.close = { code, reason: reason.toString() }))
      ws.once('open', () => resolve(client))
      ws.once('error', reject)
    })
  }

  messages(): Message[] {
    return this.frames
      .filter((f): f is Extract<PushServerFrame, { type: 'message' }> => f.type === 'message')
      .map(({ type: _type, ...m }) => m)
  }

  ids(): number[] {
    return this.messages().map((m) => m.id)
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value))
  }

  end(): void {
    this.ws.terminate()
  }
}

/** A long-poll subscriber: /wait?since=next in a loop until stopped, keeping every message it was answered. */
export class LongPollClient {
  readonly messages: Message[] = []
  private stopped = false
  private controller = new AbortController()
  readonly done: Promise<void>

  constructor(origin: string, from: number) {
    this.done = this.loop(origin, from)
  }

  private async loop(origin: string, from: number): Promise<void> {
    let next = from
    while (!this.stopped) {
      try {
        const res = await fetch(`${origin}/wait?since=${next}`, { signal: this.controller.signal })
        const body = (await res.json()) as Message[]
        for (const m of body) {
          this.messages.push(m)
          next = m.id + 1
        }
      } catch {
        return
      }
    }
  }

  ids(): number[] {
    return this.messages.map((m) => m.id)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.controller.abort()
    await this.done
  }
}
