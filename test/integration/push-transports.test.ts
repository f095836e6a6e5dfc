/**
 * The broadcast lab's three transports on one subject, over real sockets on 127.0.0.1: one log and one publish
 * path (every message to every subscriber of every transport once, in order, across a resume), and what each
 * streaming transport refuses or cuts.
 */
import { spawn } from 'node:child_process'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSubject } from '../../src/main/lab/subject/build-subject'
import type { SubjectReport, SubjectToHost } from '../../src/main/lab/protocol'
import { pickSubject, withDefaults } from '../../src/shared/settings'
import { PUSH_SEND_BUFFER_CAP_BYTES, WS_MAX_CLIENT_FRAME_BYTES, type PushHello } from '../../src/shared/wire'
import WebSocket from 'ws'
import { LongPollClient, SseClient, until, WsClient } from '../helpers/push-clients'
import { pushSubject, type PushSubject, type PushSubjectOptions } from '../helpers/push-subject'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const subject = (opts: PushSubjectOptions = {}): Promise<PushSubject> => pushSubject(cleanups, opts)

const sse = async (port: number, path = '/events', headers: Record<string, string> = {}): Promise<SseClient> => {
  const client = await SseClient.open(port, path, headers)
  cleanups.push(() => client.close())
  return client
}
const ws = async (port: number, path = '/ws'): Promise<WsClient> => {
  const client = await WsClient.open(port, path)
  cleanups.push(() => client.end())
  return client
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('one log, one publish path, three transports', () => {
  it('SSE: sends retry and hello first, then every message to every stream once, in order, across a Last-Event-ID resume', async () => {
    const { app, port } = await subject()
    const streams = await Promise.all([1, 2, 3].map(() => sse(port)))
    await until('3 streams', () => app.longPoll.push().sse.open === 3)
    expect(streams[0]!.status).toBe(200)
    expect(streams[0]!.head).toMatch(/content-type: text\/event-stream/i)
    expect(streams[0]!.retryMs).toBe(1000)
    expect(streams[0]!.events[0]).toMatchObject({ event: 'hello' })
    expect(JSON.parse(streams[0]!.events[0]!.data)).toMatchObject({ type: 'hello', next: 1 })
    for (let i = 1; i <= 10; i++) app.longPoll.publish(`m${i}`)
    await until('10 each', () => streams.every((s) => s.ids().length === 10))
    // the first goes away after #10 and comes back with Last-Event-ID while publishing goes on
    streams[0]!.close()
    for (let i = 11; i <= 15; i++) app.longPoll.publish(`m${i}`)
    const back = await sse(port, '/events', { 'Last-Event-ID': streams[0]!.events.at(-1)!.id! })
    for (let i = 16; i <= 20; i++) app.longPoll.publish(`m${i}`)
    await until('all 20', () => back.ids().at(-1) === 20 && streams.slice(1).every((s) => s.ids().length === 20))
    expect([...streams[0]!.ids(), ...back.ids()]).toEqual(range(1, 20))
    for (const s of streams.slice(1)) expect(s.ids()).toEqual(range(1, 20))
    expect(back.messages()[0]).toMatchObject({ id: 11, text: 'm11' })
  })

  it('SSE: ?since=N sends the messages from N, and says how many had left the log', async () => {
    const { app, port } = await subject({ logSize: 5 })
    for (let i = 1; i <= 8; i++) app.longPoll.publish(`m${i}`)
    const stream = await sse(port, '/events?since=2')
    await until('the replay', () => stream.ids().length === 5)
    expect(stream.events.map((e) => e.event)).toEqual([
      'hello',
      'missed',
      'message',
      'message',
      'message',
      'message',
      'message'
    ])
    expect(JSON.parse(stream.events[1]!.data)).toEqual({ type: 'missed', count: 2 })
    expect(stream.ids()).toEqual(range(4, 8))
    expect(stream.events[2]!.id).toBe('4')
  })

  it('WebSocket: hello first, then every message to every socket once, in order, across a ?since resume', async () => {
    const { app, port } = await subject()
    const sockets = await Promise.all([1, 2, 3].map(() => ws(port)))
    await until('3 sockets', () => app.longPoll.push().websocket.open === 3)
    expect(sockets[0]!.frames[0]).toMatchObject({ type: 'hello', next: 1 } satisfies Partial<PushHello>)
    // the hello is dated on the subject's clock and counts the subscribers then, itself included
    const hello = sockets[2]!.frames[0] as PushHello
    expect(Math.abs(hello.now - Date.now())).toBeLessThan(5_000)
    expect(hello.subscribers).toBeGreaterThanOrEqual(1)
    for (let i = 1; i <= 10; i++) app.longPoll.publish(`m${i}`)
    await until('10 each', () => sockets.every((s) => s.ids().length === 10))
    sockets[0]!.end()
    for (let i = 11; i <= 15; i++) app.longPoll.publish(`m${i}`)
    const back = await ws(port, `/ws?since=${sockets[0]!.ids().at(-1)! + 1}`)
    for (let i = 16; i <= 20; i++) app.longPoll.publish(`m${i}`)
    await until('all 20', () => back.ids().at(-1) === 20 && sockets.slice(1).every((s) => s.ids().length === 20))
    expect([...sockets[0]!.ids(), ...back.ids()]).toEqual(range(1, 20))
    for (const s of sockets.slice(1)) expect(s.ids()).toEqual(range(1, 20))
    expect(back.frames[0]).toMatchObject({ type: 'hello', next: 16 })
  })

  it('WebSocket: a {"since": N} frame replays from N, in order, before the next new message', async () => {
    const { app, port } = await subject()
    for (let i = 1; i <= 4; i++) app.longPoll.publish(`m${i}`)
    const socket = await ws(port)
    socket.send({ since: 2 })
    await until('the replay', () => socket.ids().length === 3)
    app.longPoll.publish('m5')
    await until('the new one', () => socket.ids().length === 4)
    expect(socket.ids()).toEqual([2, 3, 4, 5])
  })

  it('long polling: every message to every subscriber once, in order, across a reconnect with since', async () => {
    const { app, origin } = await subject()
    const subscribers = [1, 2, 3].map(() => new LongPollClient(origin, 1))
    cleanups.push(() => Promise.all(subscribers.map((s) => s.stop())))
    await until('3 held', () => app.longPoll.held() === 3)
    for (let i = 1; i <= 10; i++) {
      app.longPoll.publish(`m${i}`)
      if (i % 3 === 0) await tick()
    }
    await until('10 each', () => subscribers.every((s) => s.ids().at(-1) === 10))
    await subscribers[0]!.stop()
    for (let i = 11; i <= 15; i++) app.longPoll.publish(`m${i}`)
    const back = new LongPollClient(origin, subscribers[0]!.ids().at(-1)! + 1)
    cleanups.push(() => back.stop())
    for (let i = 16; i <= 20; i++) app.longPoll.publish(`m${i}`)
    await until('all 20', () => back.ids().at(-1) === 20 && subscribers.slice(1).every((s) => s.ids().at(-1) === 20))
    expect([...subscribers[0]!.ids(), ...back.ids()]).toEqual(range(1, 20))
    for (const s of subscribers.slice(1)) expect(s.ids()).toEqual(range(1, 20))
  })

  it('a publish over WebSocket reaches long-poll, SSE and WebSocket subscribers, each once, and is answered with its id', async () => {
    const { app, port, origin } = await subject()
    const waiter = new LongPollClient(origin, 1)
    cleanups.push(() => waiter.stop())
    const stream = await sse(port)
    const listener = await ws(port)
    const publisher = await ws(port)
    await until(
      'all subscribed',
      () => app.longPoll.held() === 1 && app.longPoll.push().sse.open === 1 && app.longPoll.push().websocket.open === 2
    )
    publisher.send({ text: 'from a socket' })
    publisher.send({ text: 'and another' })
    await until('everyone has both', () =>
      [waiter.ids(), stream.ids(), listener.ids(), publisher.ids()].every((ids) => ids.length === 2)
    )
    for (const ids of [waiter.ids(), stream.ids(), listener.ids(), publisher.ids()]) expect(ids).toEqual([1, 2])
    expect(stream.messages().map((m) => m.text)).toEqual(['from a socket', 'and another'])
    await until('both answered', () => publisher.frames.filter((f) => f.type === 'published').length === 2)
    expect(publisher.frames.filter((f) => f.type === 'published')).toEqual([
      { type: 'published', id: 1 },
      { type: 'published', id: 2 }
    ])
  })
})

describe('what /ws refuses', () => {
  it('closes a frame over the size limit with 1009 and counts it', async () => {
    const { app, port } = await subject()
    const socket = await ws(port)
    socket.send({ text: 'x'.repeat(WS_MAX_CLIENT_FRAME_BYTES) })
    await until('closed', () => socket.close !== null)
    expect(socket.close!.code).toBe(1009)
    await until('counted', () => app.longPoll.push().websocket.refused === 1)
    expect(app.longPoll.published()).toBe(0)
  })

  it('closes a frame that is not JSON, or binary, with 1003 and the reason', async () => {
    const { app, port } = await subject()
    const socket = await ws(port)
    socket.send('hello?')
    await until('closed', () => socket.close !== null)
    expect(socket.close).toEqual({ code: 1003, reason: 'LOOPSCOPE_ERR_PUSH_BAD_FRAME: a frame must be JSON' })
    const binary = await ws(port)
    binary.ws.send(Buffer.from('{"text":"hi"}'))
    await until('closed', () => binary.close !== null)
    expect(binary.close!.code).toBe(1003)
    expect(binary.close!.reason).toMatch(/binary frames are not taken/)
    expect(app.longPoll.push().websocket.refused).toBe(2)
  })

  it('answers an unknown shape or a bad value with a refused frame that names the field, and keeps the socket', async () => {
    const { app, port } = await subject()
    const socket = await ws(port)
    socket.send({ hello: 'there' })
    socket.send({ text: '' })
    socket.send({ since: -1 })
    socket.send([1, 2])
    await until('4 refusals', () => socket.frames.filter((f) => f.type === 'refused').length === 4)
    const refused = socket.frames.filter((f) => f.type === 'refused')
    expect(refused.map((f) => f.code)).toEqual(Array(4).fill('LOOPSCOPE_ERR_PUSH_BAD_FRAME'))
    expect(refused.map((f) => f.message)).toEqual([
      'a frame must be {"since": N}, {"text": "…"} or {"ping": N} (got {"hello":"there"})',
      'text must be a string of 1 to 280 characters (got "")',
      'since must be a non-negative integer message id (got -1)',
      'a frame must be {"since": N}, {"text": "…"} or {"ping": N} (got [1,2])'
    ])
    expect(app.longPoll.push().websocket.refused).toBe(4)
    // still open and subscribed
    app.longPoll.publish('still here')
    await until('the message', () => socket.ids().length === 1)
    expect(socket.close).toBeNull()
  })

  it('answers {"ping": N} with {"type": "pong", "ping": N} at once', async () => {
    const { port } = await subject()
    const socket = await ws(port)
    socket.send({ ping: 7 })
    await until('the pong', () => socket.frames.some((f) => f.type === 'pong'))
    expect(socket.frames.find((f) => f.type === 'pong')).toEqual({ type: 'pong', ping: 7 })
  })

  it('refuses a socket from a page of another origin with a coded 403, and takes its own pages and non-pages', async () => {
    const { app, port } = await subject()
    const foreign = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: 'http://evil.example' })
    foreign.on('error', () => {})
    const status = await new Promise<number>((resolve) => {
      foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      foreign.on('open', () => resolve(101))
    })
    foreign.terminate()
    expect(status).toBe(403)
    expect(app.longPoll.push().websocket).toMatchObject({ refused: 1, open: 0 })
    const own = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` })
    cleanups.push(() => own.terminate())
    await new Promise((resolve, reject) => own.once('open', resolve).once('error', reject))
    await ws(port)
    await until('both open', () => app.longPoll.push().websocket.open === 2)
  })

  it('refuses a bad ?since before the upgrade with a coded 400, and a plain GET with 426', async () => {
    const { app, port, origin } = await subject()
    await expect(WsClient.open(port, '/ws?since=soon')).rejects.toThrow(/400/)
    const plain = await fetch(`${origin}/ws`)
    expect(plain.status).toBe(426)
    expect(await plain.json()).toMatchObject({ code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST' })
    expect(app.longPoll.push().websocket.refused).toBe(1)
  })
})

describe('what /events refuses', () => {
  it('answers a bad Last-Event-ID or since with the coded 400 /wait gives, naming the field', async () => {
    const { app, port } = await subject()
    const badId = await sse(port, '/events', { 'Last-Event-ID': 'abc' })
    await until('the body', () => badId.closed || badId.body().includes('}'))
    expect(badId.status).toBe(400)
    expect(JSON.parse(badId.body())).toEqual({
      code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
      message: 'Last-Event-ID must be a non-negative integer message id (got "abc")'
    })
    const badSince = await sse(port, '/events?since=-3')
    expect(badSince.status).toBe(400)
    expect(app.longPoll.push().sse).toMatchObject({ refused: 2, open: 0 })
  })
})

describe('/events by HEAD', () => {
  it('answers the head of a stream and no body', async () => {
    const { app, origin } = await subject()
    const res = await fetch(`${origin}/events`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(await res.text()).toBe('')
    expect(app.longPoll.push().sse.open).toBe(0)
  })
})

describe('slow consumers', () => {
  // Loopback's socket buffers take several MB before a never-reading client makes the subject buffer anything; a
  // volume well past them, then: 40 MB. Without the cap the subject would hold most of it for the one client; with
  // it, the client's connection never has more than the cap and one message waiting in the subject.
  const VOLUME_BYTES = 40 * 1024 * 1024
  const TEXT = '€'.repeat(280)

  /** the longest a message of TEXT is on the wire, framing included */
  const MESSAGE_BYTES = Buffer.byteLength(TEXT) + 120

  /** Publishes until the volume is out or the stalled client is cut, noting the most its connection left unsent. */
  async function flood(
    app: FastifyInstance,
    held: Socket,
    stillOpen: () => boolean
  ): Promise<{ sentBytes: number; maxUnsentBytes: number }> {
    let published = 0
    let maxUnsentBytes = 0
    while (published * MESSAGE_BYTES < VOLUME_BYTES && stillOpen()) {
      for (let i = 0; i < 500; i++) {
        app.longPoll.publish(TEXT)
        maxUnsentBytes = Math.max(maxUnsentBytes, held.writableLength)
      }
      published += 500
      await tick()
    }
    return { sentBytes: published * MESSAGE_BYTES, maxUnsentBytes }
  }

  /** The subject's end of the client's connection, whose unsent bytes are what the client costs the subject. */
  function serverSide(app: FastifyInstance): (clientPort: number) => Socket {
    const sockets: Socket[] = []
    app.server.on('connection', (socket: Socket) => sockets.push(socket))
    return (clientPort) => sockets.find((s) => s.remotePort === clientPort)!
  }

  it('SSE: a stream that never reads is cut with the cap unsent, counted, and never holds more of the subject', async () => {
    const { app, port } = await subject({ logSize: 10 })
    const find = serverSide(app)
    const reader = await sse(port)
    const stalled = await sse(port)
    stalled.socket.pause()
    await until('2 streams', () => app.longPoll.push().sse.open === 2)
    const held = find(stalled.socket.localPort!)
    const { sentBytes, maxUnsentBytes } = await flood(app, held, () => app.longPoll.push().sse.open === 2)
    expect(sentBytes).toBeLessThan(VOLUME_BYTES)
    expect(app.longPoll.push().sse).toMatchObject({ open: 1, slowConsumersCut: 1 })
    expect(maxUnsentBytes).toBeGreaterThan(PUSH_SEND_BUFFER_CAP_BYTES / 2)
    expect(maxUnsentBytes).toBeLessThanOrEqual(PUSH_SEND_BUFFER_CAP_BYTES + MESSAGE_BYTES)
    // reading again, it finds the connection closed after what it was sent before the cut
    stalled.socket.resume()
    await until('closed', () => stalled.closed)
    // the reader was never cut
    await until('the reader has all', () => reader.ids().length === app.longPoll.published())
    expect(reader.closed).toBe(false)
  })

  it('SSE: a subscriber resuming with a replay far over the cap is not cut while it reads its way back', async () => {
    // 10,000 messages of 280 three-byte characters: an 8.6 MB replay, more than loopback's buffers take at once
    const { app, port } = await subject({ logSize: 10_000 })
    for (let i = 0; i < 10_000; i++) app.longPoll.publish(TEXT)
    const find = serverSide(app)
    const catching = await sse(port, '/events?since=1')
    catching.socket.pause()
    await until('open', () => app.longPoll.push().sse.open === 1)
    const held = find(catching.socket.localPort!)
    await until('the replay waits in the subject', () => held.writableLength > PUSH_SEND_BUFFER_CAP_BYTES)
    app.longPoll.publish('live, after the replay')
    expect(app.longPoll.push().sse).toMatchObject({ open: 1, slowConsumersCut: 0 })
    catching.socket.resume()
    await until('all of it', () => catching.ids().length === 10_001, 20_000)
    expect(catching.ids()).toEqual(range(1, 10_001))
    expect(catching.closed).toBe(false)
  })

  it('WebSocket: a socket that never reads is closed with 1008 and the cap unsent, counted, and never holds more', async () => {
    const { app, port } = await subject({ logSize: 10 })
    const find = serverSide(app)
    const reader = await ws(port)
    const stalled = await ws(port)
    // ws reads off its socket as bytes come: a paused socket is a client that reads nothing
    const clientSocket = (stalled.ws as unknown as { _socket: Socket })._socket
    clientSocket.pause()
    await until('2 sockets', () => app.longPoll.push().websocket.open === 2)
    const held = find(clientSocket.localPort!)
    const { sentBytes, maxUnsentBytes } = await flood(app, held, () => app.longPoll.push().websocket.open === 2)
    expect(sentBytes).toBeLessThan(VOLUME_BYTES)
    expect(app.longPoll.push().websocket).toMatchObject({ open: 1, slowConsumersCut: 1 })
    expect(maxUnsentBytes).toBeGreaterThan(PUSH_SEND_BUFFER_CAP_BYTES / 2)
    // the cap, one message, and the close frame queued behind them
    expect(maxUnsentBytes).toBeLessThanOrEqual(PUSH_SEND_BUFFER_CAP_BYTES + MESSAGE_BYTES + 128)
    clientSocket.resume()
    await until('closed', () => stalled.close !== null)
    expect(stalled.close).toEqual({
      code: 1008,
      reason: 'LOOPSCOPE_ERR_PUSH_SLOW_CONSUMER: too many bytes left unread'
    })
    await until('the reader has all', () => reader.ids().length === app.longPoll.published())
  })
})

describe('held streams', () => {
  it('SSE: a keep-alive comment comes every keep-alive interval on an idle stream', async () => {
    const { port } = await subject({ sseKeepAliveMs: 100 })
    const stream = await sse(port)
    await until('3 comments', () => stream.comments >= 3, 5_000)
    expect(stream.events.map((e) => e.event)).toEqual(['hello'])
  })

  it('says stopping to SSE and WebSocket subscribers as the subject closes (WebSocket: then 1001)', async () => {
    const { app, port } = await subject()
    const stream = await sse(port)
    const socket = await ws(port)
    await until('both open', () => app.longPoll.push().sse.open === 1 && app.longPoll.push().websocket.open === 1)
    await app.close()
    await until('both told', () => stream.closed && socket.close !== null)
    expect(stream.events.at(-1)).toEqual({ event: 'stopping', data: '{}' })
    expect(socket.frames.at(-1)).toEqual({ type: 'stopping' })
    expect(socket.close).toEqual({ code: 1001, reason: 'the subject is stopping' })
  })

  it('counts the bytes each transport wrote', async () => {
    const { app, port, origin } = await subject()
    const waiter = new LongPollClient(origin, 1)
    cleanups.push(() => waiter.stop())
    const stream = await sse(port)
    const socket = await ws(port)
    await until('all subscribed', () => app.longPoll.held() === 1 && app.longPoll.push().websocket.open === 1)
    const before = app.longPoll.push()
    const message = await app.longPoll.publish('count me')
    await until('delivered', () => waiter.ids().length === 1 && stream.ids().length === 1 && socket.ids().length === 1)
    const after = app.longPoll.push()
    const json = JSON.stringify(message)
    expect(after.sse.bytesWritten - before.sse.bytesWritten).toBe(Buffer.byteLength(`id: 1\ndata: ${json}\n\n`))
    // a text frame of < 126 bytes has a 2-byte header; the message frame adds "type":"message",
    const wsPayload = Buffer.byteLength(`{"type":"message",${json.slice(1)}`)
    expect(after.websocket.bytesWritten - before.websocket.bytesWritten).toBe(wsPayload + (wsPayload < 126 ? 2 : 4))
    // a /wait answer: its body and its head
    expect(after['long-poll'].bytesWritten - before['long-poll'].bytesWritten).toBeGreaterThan(json.length + 100)
  })
})

describe('in the subject itself', () => {
  it('holds an SSE stream and a WebSocket past every slow-client timeout: a held stream is not a slow client', async () => {
    const timeouts = { headersMs: 300, requestMs: 300, keepAliveMs: 300, checkEveryMs: 100 }
    const app = buildSubject({ settings: pickSubject(withDefaults({})), timeouts })
    await app.listen({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => app.close())
    const port = (app.server.address() as { port: number }).port
    const stream = await sse(port)
    const socket = await ws(port)
    // silent for five times the longest timeout (the SSE keep-alive is 15 s away)
    await new Promise((r) => setTimeout(r, 1_500))
    expect(stream.closed).toBe(false)
    expect(socket.close).toBeNull()
    app.longPoll.publish('still here')
    await until('both have it', () => stream.ids().length === 1 && socket.ids().length === 1)
  })

  it("reports each transport's figures to the host: open now, and bytes written", async () => {
    const reports: SubjectReport[] = []
    const send = (m: SubjectToHost): void => void (m.type === 'report' && reports.push(m))
    const app = buildSubject({ settings: pickSubject(withDefaults({})), instrument: true, send })
    await app.listen({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => app.close())
    const port = (app.server.address() as { port: number }).port
    await sse(port)
    await ws(port)
    await ws(port)
    app.longPoll.publish('counted')
    await until('a report with them', () => reports.at(-1)?.longPoll?.push?.websocket.open === 2, 5_000)
    const push = reports.at(-1)!.longPoll!.push!
    expect(push.sse.open).toBe(1)
    expect(push['long-poll'].open).toBe(0)
    expect(push.sse.bytesWritten).toBeGreaterThan(0)
    expect(push.websocket.bytesWritten).toBeGreaterThan(push.sse.bytesWritten)
  })
})

describe('outside clients', () => {
  it('curl -N follows /events: the hello, then a message published after it connected', async () => {
    const { app, origin } = await subject()
    const curl = spawn('curl', ['-sN', '--max-time', '10', `${origin}/events`])
    cleanups.push(() => curl.kill())
    let text = ''
    curl.stdout.setEncoding('utf8').on('data', (chunk: string) => void (text += chunk))
    await until('curl connected', () => app.longPoll.push().sse.open === 1)
    const message = await app.longPoll.publish('to curl')
    await until('curl has it', () => text.includes('to curl'))
    expect(text).toMatch(
      /^retry: 1000\nevent: hello\ndata: \{"type":"hello","run":"[0-9a-f]{12}","next":1,"now":[\d.]+,"subscribers":1\}\n\n/
    )
    expect(text).toContain(`id: 1\ndata: ${JSON.stringify(message)}\n\n`)
  })
})
