/**
 * One WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as a server's must be) as one Buffer, built by
 * ws's own `Sender.frame` so the framing is the library's, not ours. ws builds a frame per `send()`; a broadcast
 * frames once and writes these same bytes to every socket (ws #617, where its author suggests exactly this).
 *
 * Writing them to the socket beside ws is safe only because ws never leaves a frame half-written between two of its
 * calls: without permessage-deflate and without Blob data its Sender writes each frame whole, synchronously (a
 * header and a payload inside one cork), and queues nothing. Both are so here: deflate is off (ws-route.ts) and
 * every send is a string or a Buffer.
 */
import WebSocket from 'ws'

interface FrameOptions {
  fin: boolean
  opcode: number
  mask: boolean
  readOnly: boolean
  rsv1: boolean
}
/** @types/ws does not declare the Sender class that ws exports */
const { Sender } = WebSocket as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }

const TEXT: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: false, rsv1: false }

export function textFrame(text: string): Buffer {
  const parts = Sender.frame(Buffer.from(text), TEXT)
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}
