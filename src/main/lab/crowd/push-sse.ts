/**
 * The Server-Sent Events client: one `GET /events?since=last+1` per connection, then the stream — a hello, one event
 * per message (`id:` + `data:` Message JSON), a `missed` event when a resume asked for messages the log no longer
 * holds, keep-alive comments (see SSE_PATH in shared/wire.ts). `?since=` rather than Last-Event-ID: the same
 * resume on the first connection as on every later one, so the books' `from` is what the first one asked for.
 */
import { SSE_KEEPALIVE_MS, SSE_PATH, type Message, type PushHello, type PushMissed } from '../../../shared/wire'
import { HeadReader } from './http-head'
import { ChunkedDecoder, EventStreamParser, type StreamEvent } from './event-stream'
import { lastParsed, type ClientMaker, type PushClient } from './push-client'

export function sseClients(hostHeader: string): ClientMaker {
  const parseMessage = lastParsed((data: string) => JSON.parse(data) as Message)
  return (sub, sink): PushClient => {
    const head = new HeadReader()
    let chunked: ChunkedDecoder | null = null
    const events = new EventStreamParser()
    const onEvent = (e: StreamEvent, receivedAtMs: number): void => {
      if (e.event === '') {
        const m = parseMessage(e.data)
        if (m.id <= sub.last && sub.run !== '') sink.duplicate(sub)
        else sink.deliver(sub, [m], receivedAtMs)
      } else if (e.event === 'hello') sink.hello(sub, JSON.parse(e.data) as PushHello)
      else if (e.event === 'missed') sink.missed(sub, (JSON.parse(e.data) as PushMissed).count)
      // 'stopping': the subject closes the stream next, and the swarm reconnects after a back-off
    }
    const body = (bytes: Buffer, receivedAtMs: number): void => events.feed(bytes, (e) => onEvent(e, receivedAtMs))
    return {
      ask() {
        sink.write(
          sub,
          `GET ${SSE_PATH}?since=${sink.resumeFrom(sub)} HTTP/1.1\r\nHost: ${hostHeader}\r\nAccept: text/event-stream\r\n\r\n`,
          true
        )
      },
      feed(chunk, receivedAtMs) {
        let rest = chunk
        if (!head.done) {
          const read = head.read(chunk)
          if (read === null) return
          const parsed = read.head
          if (parsed.status !== 200) throw new Error(`${SSE_PATH} answered ${parsed.status}`)
          if (!parsed.contentType.startsWith('text/event-stream'))
            throw new Error(`${SSE_PATH} answered ${parsed.contentType || 'no content type'}`)
          if (parsed.chunked) chunked = new ChunkedDecoder()
          rest = read.rest
        }
        if (chunked) chunked.feed(rest, (data) => body(data, receivedAtMs))
        else body(rest, receivedAtMs)
      },
      busy: true,
      // the subject writes a comment every SSE_KEEPALIVE_MS: twice that silent means the stream is lost
      idleLimitMs: 2 * SSE_KEEPALIVE_MS + 5_000
    }
  }
}
