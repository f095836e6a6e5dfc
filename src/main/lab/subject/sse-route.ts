/**
 * GET /events, Server-Sent Events (protocol: SSE_PATH in src/shared/wire.ts). A stream is hijacked from Fastify and
 * written to its TCP socket directly: the response has no chunked encoding (it ends when the connection does, which
 * HTTP/1.1 allows and EventSource expects of a stream), so one Buffer per message is the same bytes for every stream,
 * written by one loop (push-streams.ts) under the send-buffer cap. One keep-alive timer serves every stream.
 *
 * Node's slow-client timeouts (slow-clients.ts) do not touch a stream: its request has arrived whole, and the
 * server's inactivity timeout is off, so a silent stream stays open as long as the client keeps it.
 */
import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SSE_KEEPALIVE_MS, SSE_PATH, SSE_RETRY_MS } from '../../../shared/wire'
import type { PushHub } from './push-hub'
import { parseSince } from './push-input'
import { StreamSet, type PushStream } from './push-streams'
import { badRequest } from './wait-route'

interface SseStream extends PushStream {
  readonly res: ServerResponse
}

const STREAM = Symbol('loopscope.sseStream')
type Tagged = ServerResponse & { [STREAM]?: SseStream }

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n')
const STOPPING = Buffer.from(event('stopping', {}))

/**
 * The cursor a request asks from: Last-Event-ID K (sent by EventSource as it reconnects, so it wins over the URL's
 * since) means id ≥ K + 1; ?since=N id ≥ N; neither, only new messages. A string is why it is refused.
 */
function cursor(request: FastifyRequest<{ Querystring: { since?: unknown } }>): number | undefined | string {
  const lastEventId = request.headers['last-event-id']
  if (lastEventId !== undefined && lastEventId !== '') {
    const last = parseSince(lastEventId, 'Last-Event-ID')
    return typeof last === 'number' ? last + 1 : last
  }
  return parseSince(request.query.since)
}

export function registerSse(routes: FastifyInstance, hub: PushHub, keepAliveMs = SSE_KEEPALIVE_MS): void {
  const counts = hub.counts.sse
  const streams = new StreamSet<SseStream>(counts, (stream) => stream.socket.destroy())
  let keepAlive: NodeJS.Timeout | null = null

  function closed(this: Tagged): void {
    const stream = this[STREAM]
    if (stream) streams.delete(stream)
    if (streams.size === 0 && keepAlive !== null) {
      clearInterval(keepAlive)
      keepAlive = null
    }
  }

  hub.attach('sse', {
    deliver: (message, json) => {
      if (streams.size > 0) streams.broadcast(Buffer.from(`id: ${message.id}\ndata: ${json}\n\n`))
    },
    open: () => streams.size,
    stop: () => {
      for (const stream of [...streams.all()]) {
        streams.write(stream, STOPPING)
        streams.delete(stream)
        stream.res.end()
      }
    }
  })

  routes.get(SSE_PATH, (request: FastifyRequest<{ Querystring: { since?: unknown } }>, reply: FastifyReply) => {
    const since = cursor(request)
    if (typeof since === 'string') {
      counts.refused++
      return badRequest(reply, since)
    }
    // Fastify answers HEAD by this route too: the head only (the stream is written past Node, which would send it)
    if (request.method === 'HEAD') return reply.header('content-type', 'text/event-stream; charset=utf-8').send()
    const res = reply.raw as Tagged
    const socket = res.socket
    if (socket === null || socket.destroyed) return reply.code(204).send()
    reply.hijack()
    // No chunked encoding: the body is the stream until the connection closes (Node then says Connection: close).
    res.useChunkedEncodingByDefault = false
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // a proxy in front (nginx) would otherwise buffer the stream
      'x-accel-buffering': 'no'
    })
    res.flushHeaders()
    const stream: SseStream = { socket, res, allowanceBytes: 0 }
    res[STREAM] = stream
    res.on('close', closed)
    streams.add(stream)
    let opening = `retry: ${SSE_RETRY_MS}\n${event('hello', hub.hello())}`
    if (hub.closing) {
      streams.write(stream, Buffer.from(opening + STOPPING.toString()))
      res.end()
      return reply
    }
    if (since === undefined) streams.write(stream, Buffer.from(opening))
    else {
      const { json, missed, fromId } = hub.log.range(since)
      if (missed > 0) opening += event('missed', { type: 'missed', count: missed })
      for (let i = 0; i < json.length; i++) opening += `id: ${fromId + i}\ndata: ${json[i]}\n\n`
      streams.replay(stream, Buffer.from(opening))
    }
    keepAlive ??= setInterval(() => streams.broadcast(KEEP_ALIVE), keepAliveMs).unref()
    return reply
  })
}
