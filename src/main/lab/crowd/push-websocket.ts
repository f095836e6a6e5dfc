/**
 * The WebSocket client: the RFC 6455 opening handshake on `GET /ws?since=last+1` (its accept checked), then one JSON
 * text frame per server message (see WS_PATH in shared/wire.ts). The resume rides in the URL, not in a `{"since"}`
 * frame: a message published while such a frame was on its way would come live first and again in the replay. So
 * this client never needs to send a frame of its own but a pong or a close (masked, as every client frame must be).
 * A message at or below its last would be a repeat: dropped and counted as a duplicate, so the books stay exact.
 */
import { WS_PATH, type PushServerFrame } from '../../../shared/wire'
import { HeadReader } from './http-head'
import { acceptFor, clientFrame, FrameParser, newKey, OPCODE, type ServerFrame } from './ws-frames'
import { lastParsed, type ClientMaker, type PushClient } from './push-client'

export function webSocketClients(hostHeader: string): ClientMaker {
  const parseFrame = lastParsed((text: string) => JSON.parse(text) as PushServerFrame)
  return (sub, sink): PushClient => {
    const key = newKey()
    const head = new HeadReader()
    const frames = new FrameParser()
    const onFrame = (f: ServerFrame, receivedAtMs: number): void => {
      if (f.opcode === OPCODE.ping) return sink.write(sub, clientFrame(OPCODE.pong, f.payload))
      if (f.opcode === OPCODE.close) {
        sink.write(sub, clientFrame(OPCODE.close, f.payload.subarray(0, 2)))
        sub.socket?.end()
        return
      }
      if (f.opcode !== OPCODE.text) return
      const frame = parseFrame(f.payload.toString('utf8'))
      switch (frame.type) {
        case 'message':
          if (frame.id <= sub.last) sink.duplicate(sub)
          else sink.deliver(sub, [frame], receivedAtMs)
          break
        case 'hello':
          sink.hello(sub, frame)
          break
        case 'missed':
          sink.missed(sub, frame.count)
          break
      }
    }
    return {
      ask() {
        sink.write(
          sub,
          `GET ${WS_PATH}?since=${sink.resumeFrom(sub)} HTTP/1.1\r\nHost: ${hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
          true
        )
      },
      feed(chunk, receivedAtMs) {
        let rest = chunk
        if (!head.done) {
          const read = head.read(chunk)
          if (read === null) return
          if (read.head.status !== 101) throw new Error(`${WS_PATH} answered ${read.head.status}, not 101`)
          if (read.head.accept !== acceptFor(key)) throw new Error(`${WS_PATH} answered a wrong Sec-WebSocket-Accept`)
          rest = read.rest
        }
        frames.feed(rest, (f) => onFrame(f, receivedAtMs))
      },
      busy: true,
      // the protocol has no keep-alive of its own here: an idle socket is not a lost one
      idleLimitMs: 0
    }
  }
}
