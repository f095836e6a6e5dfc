/**
 * GET /ws, WebSocket through @fastify/websocket and ws (protocol: WS_PATH in src/shared/wire.ts). A message is
 * framed once per publish (ws-frame.ts) and the same bytes written to every socket's TCP socket by one loop under
 * the send-buffer cap (push-streams.ts); everything a socket says or is told goes the same way, so it is counted.
 *
 * permessage-deflate is off: each compressing socket keeps its own zlib context (tens of KB of native memory per
 * socket, and the fragmentation that comes with it: ws #1202), which at 10,000 subscribers costs more than the
 * subject's whole heap, to shrink messages of 280 characters. It would also make ws queue frames while it
 * compresses, and then the shared frame could land between two of ws's own (ws-frame.ts says why it cannot now).
 *
 * Refusals: a frame over WS_MAX_CLIENT_FRAME_BYTES is closed with 1009 by ws itself (maxPayload); not JSON, or
 * binary, 1003; a bad shape or value gets a `refused` frame and the socket stays; a page of another origin is a 403
 * before the upgrade. Each is counted. A socket, once
 * upgraded, is outside Node's HTTP timeouts (slow-clients.ts): a silent subscriber stays as long as it likes.
 */
import type { IncomingMessage } from 'node:http'
import fastifyWebsocket from '@fastify/websocket'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import WebSocket from 'ws'
import { WS_MAX_CLIENT_FRAME_BYTES, WS_PATH, type Message, type PushServerFrame } from '../../../shared/wire'
import type { PushHub } from './push-hub'
import { describeValue as describe } from '../../../shared/describe-value'
import { parseSince, textProblem } from './push-input'
import { StreamSet, type PushStream } from './push-streams'
import { badRequest } from './wait-route'
import { textFrame } from './ws-frame'

interface WsStream extends PushStream {
  readonly ws: WebSocket
}

const STREAM = Symbol('loopscope.wsStream')
type Tagged = WebSocket & { [STREAM]?: WsStream }

/** RFC 6455 §7.4.1 */
export const WS_CLOSE = { goingAway: 1001, unsupportedData: 1003, policy: 1008, tooBig: 1009 } as const
/** How long a socket told to close has to answer before it is dropped (ws's default is 30 s). */
const CLOSE_TIMEOUT_MS = 3_000
const BAD_FRAME = 'LOOPSCOPE_ERR_PUSH_BAD_FRAME'

const frameOf = (value: PushServerFrame): Buffer => textFrame(JSON.stringify(value))
/** A Message's JSON as a `message` frame's, without parsing it again: `{"id":…}` → `{"type":"message","id":…}`. */
const messageFrame = (json: string): Buffer => textFrame(`{"type":"message",${json.slice(1)}`)
const STOPPING = frameOf({ type: 'stopping' })

/**
 * A browser sends the page's Origin with every WebSocket, and no CORS stands between a page and a socket: without
 * this a page anywhere, opened by anyone on the workshop network, could publish to a shared subject — which
 * POST /publish does not allow it (a JSON body needs a preflight the subject never answers). So a socket from a page
 * of another host is refused; the subject's own /live page, and clients that are not pages (no Origin), are taken.
 * Returns the foreign origin, or null.
 */
function foreignOrigin(origin: string | undefined, host: string | undefined): string | null {
  if (origin === undefined) return null
  try {
    return new URL(origin).host === host ? null : origin
  } catch {
    return origin
  }
}

export function registerWs(routes: FastifyInstance, hub: PushHub, publish: (text: string) => Promise<Message>): void {
  const counts = hub.counts.websocket
  const streams = new StreamSet<WsStream>(
    counts,
    (stream) => stream.ws.close(WS_CLOSE.policy, 'LOOPSCOPE_ERR_PUSH_SLOW_CONSUMER: too many bytes left unread'),
    (stream) => stream.ws.readyState === WebSocket.OPEN
  )
  const send = (stream: WsStream, value: PushServerFrame): boolean => streams.write(stream, frameOf(value))

  /** The messages with id ≥ since, one write (a `missed` first if some had left the log). */
  function replay(stream: WsStream, since: number): void {
    const { json, missed } = hub.log.range(since)
    const frames = json.map(messageFrame)
    if (missed > 0) frames.unshift(frameOf({ type: 'missed', count: missed }))
    if (frames.length > 0) streams.replay(stream, Buffer.concat(frames))
  }

  function refuse(stream: WsStream, message: string): void {
    counts.refused++
    send(stream, { type: 'refused', code: BAD_FRAME, message })
  }
  function closeRefused(stream: WsStream, message: string): void {
    counts.refused++
    stream.ws.close(WS_CLOSE.unsupportedData, `${BAD_FRAME}: ${message}`)
  }

  // Shared listeners, not closures per socket: `this` is the socket.
  function closed(this: Tagged): void {
    const stream = this[STREAM]
    if (stream) streams.delete(stream)
  }
  function received(this: Tagged, data: WebSocket.RawData, isBinary: boolean): void {
    const stream = this[STREAM]
    if (!stream) return
    if (isBinary) return closeRefused(stream, 'binary frames are not taken, only JSON text')
    let value: unknown
    try {
      value = JSON.parse(data.toString())
    } catch {
      return closeRefused(stream, 'a frame must be JSON')
    }
    const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []
    if (keys.length === 1 && keys[0] === 'since') {
      const since = parseSince((value as { since: unknown }).since)
      if (typeof since !== 'number') return refuse(stream, since ?? 'since must be a non-negative integer message id')
      return replay(stream, since)
    }
    if (keys.length === 1 && keys[0] === 'text') {
      const text = (value as { text: unknown }).text
      const problem = textProblem(text)
      if (problem !== null) return refuse(stream, problem)
      // With a shared store the id comes back later; while the store is away the publish is refused, with why.
      publish(text as string).then(
        (message) => void send(stream, { type: 'published', id: message.id }),
        (err: Error) => {
          counts.refused++
          send(stream, { type: 'refused', code: 'LOOPSCOPE_ERR_STORE_UNAVAILABLE', message: err.message })
        }
      )
      return
    }
    if (keys.length === 1 && keys[0] === 'ping') {
      const ping = (value as { ping: unknown }).ping
      if (typeof ping === 'number' && Number.isFinite(ping)) return void send(stream, { type: 'pong', ping })
      return refuse(stream, `ping must be a number (got ${describe(ping)})`)
    }
    refuse(stream, `a frame must be {"since": N}, {"text": "…"} or {"ping": N} (got ${describe(value)})`)
  }

  hub.attach('websocket', {
    deliver: (_message, json) => {
      if (streams.size > 0) streams.broadcast(messageFrame(json))
    },
    open: () => streams.size,
    stop: () => {
      for (const stream of [...streams.all()]) {
        streams.write(stream, STOPPING)
        streams.delete(stream)
        stream.ws.close(WS_CLOSE.goingAway, 'the subject is stopping')
      }
    }
  })

  const serverOptions = {
    perMessageDeflate: false,
    maxPayload: WS_MAX_CLIENT_FRAME_BYTES,
    // our own StreamSet knows the sockets; ws's Set would be a second one
    clientTracking: false,
    closeTimeout: CLOSE_TIMEOUT_MS
  } satisfies WebSocket.ServerOptions & { closeTimeout: number }

  void routes.register(fastifyWebsocket, {
    options: serverOptions,
    // The hub says `stopping` and closes the sockets (long-poll.ts's preClose); here only ws's server is let go.
    preClose(done) {
      this.websocketServer.close()
      done()
    },
    errorHandler(error, ws) {
      // ws's own refusals (a frame over maxPayload: 1009, bad UTF-8: 1007, a protocol error: 1002) come with the
      // close already sent; anything else (the connection reset) ends the socket.
      if ((error as { code?: unknown }).code?.toString().startsWith('WS_ERR_')) counts.refused++
      else ws.terminate()
    }
  })
  void routes.register(async (ctx) => {
    ctx.route<{ Querystring: { since?: unknown } }>({
      method: 'GET',
      url: WS_PATH,
      // Checked before the upgrade: the origin (below), and the URL's since (a bad one is a 400, as on /wait).
      preValidation: (request, reply, done) => {
        const origin = foreignOrigin(request.headers.origin, request.headers.host)
        if (origin !== null) {
          counts.refused++
          return void reply.code(403).send({
            code: 'LOOPSCOPE_ERR_PUSH_ORIGIN',
            message: `a WebSocket from a page of another origin (${describe(origin)}) is refused: ${WS_PATH} takes this server's own pages and clients that are not pages`
          })
        }
        const since = parseSince(request.query.since)
        if (typeof since !== 'string') return done()
        counts.refused++
        void badRequest(reply, since)
      },
      handler: (_request: FastifyRequest, reply: FastifyReply) =>
        reply
          .code(426)
          .header('upgrade', 'websocket')
          .send({
            code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
            message: `${WS_PATH} speaks WebSocket only: open it with a WebSocket client (new WebSocket('ws://…${WS_PATH}'))`
          }),
      wsHandler: (ws: Tagged, request) => {
        const socket = (request.raw as IncomingMessage).socket
        const stream: WsStream = { socket, ws, allowanceBytes: 0 }
        ws[STREAM] = stream
        ws.on('close', closed)
        ws.on('message', received)
        streams.add(stream)
        send(stream, hub.hello())
        if (hub.closing) {
          streams.write(stream, STOPPING)
          ws.close(WS_CLOSE.goingAway, 'the subject is stopping')
          return
        }
        const since = parseSince(request.query.since)
        if (typeof since === 'number') replay(stream, since)
      }
    })
  })
}
