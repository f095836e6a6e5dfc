/**
 * The client's half of RFC 6455, as much as the subscribers use: the opening handshake's key and the accept it
 * expects back (§4.1), the server's frames read as bytes arrive (unmasked, §5.2; fragmented messages joined; close,
 * ping and pong handed on), and the client's own frames, always masked (§5.3): `{"since":N}` on resume, a pong, a
 * close. No extensions (the subject offers no per-message deflate) and text messages only.
 */
import { createHash, randomBytes } from 'node:crypto'

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
/** a message from our subject is one JSON Message (≤ 280 characters); one past this is refused */
export const MAX_SERVER_MESSAGE_BYTES = 1024 * 1024

/** A new Sec-WebSocket-Key: 16 random bytes in base64. */
export function newKey(): string {
  return randomBytes(16).toString('base64')
}

/** The Sec-WebSocket-Accept a server must answer to `key`. */
export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64')
}

export type ServerFrame = { opcode: number; payload: Buffer }

export class FrameParser {
  private pending: Buffer | null = null
  private fragments: Buffer[] = []
  private fragmentOpcode = -1

  /**
   * Calls onFrame once per whole message (text or binary, fragments joined) and per control frame. The payload
   * is a view valid only during the call. Throws on a masked server frame, a reserved bit, or a message too large.
   */
  feed(chunk: Buffer, onFrame: (frame: ServerFrame) => void): void {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk])
    this.pending = null
    let at = 0
    for (;;) {
      const used = this.one(buf, at, onFrame)
      if (used === 0) break
      at += used
    }
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at))
  }

  get midFrame(): boolean {
    return this.pending !== null || this.fragments.length > 0
  }

  reset(): void {
    this.pending = null
    this.fragments = []
    this.fragmentOpcode = -1
  }

  /** Reads one frame at `at`; returns its length, 0 when it has not all arrived. */
  private one(buf: Buffer, at: number, onFrame: (frame: ServerFrame) => void): number {
    if (buf.length - at < 2) return 0
    const b0 = buf[at]!
    const b1 = buf[at + 1]!
    if ((b0 & 0x70) !== 0) throw new Error('WebSocket frame with a reserved bit set (no extension was agreed)')
    if ((b1 & 0x80) !== 0) throw new Error('masked WebSocket frame from the server')
    const fin = (b0 & 0x80) !== 0
    const opcode = b0 & 0x0f
    let length = b1 & 0x7f
    let headerBytes = 2
    if (length === 126) {
      if (buf.length - at < 4) return 0
      length = buf.readUInt16BE(at + 2)
      headerBytes = 4
    } else if (length === 127) {
      if (buf.length - at < 10) return 0
      const big = buf.readBigUInt64BE(at + 2)
      if (big > BigInt(MAX_SERVER_MESSAGE_BYTES)) throw new Error('WebSocket message too large')
      length = Number(big)
      headerBytes = 10
    }
    if (length > MAX_SERVER_MESSAGE_BYTES) throw new Error('WebSocket message too large')
    if (buf.length - at < headerBytes + length) return 0
    const payload = buf.subarray(at + headerBytes, at + headerBytes + length)
    if (opcode >= 0x8) {
      if (!fin || length > 125) throw new Error('malformed WebSocket control frame')
      onFrame({ opcode, payload })
    } else if (opcode === OPCODE.continuation) {
      if (this.fragmentOpcode < 0) throw new Error('WebSocket continuation without a first fragment')
      this.addFragment(payload)
      if (fin) {
        const whole = Buffer.concat(this.fragments)
        const first = this.fragmentOpcode
        this.fragments = []
        this.fragmentOpcode = -1
        onFrame({ opcode: first, payload: whole })
      }
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.fragmentOpcode >= 0) throw new Error('WebSocket message begun inside another')
      if (fin) onFrame({ opcode, payload })
      else {
        this.fragmentOpcode = opcode
        this.addFragment(payload)
      }
    } else throw new Error(`WebSocket frame with unknown opcode ${opcode}`)
    return headerBytes + length
  }

  private addFragment(payload: Buffer): void {
    this.fragments.push(Buffer.from(payload))
    let total = 0
    for (const f of this.fragments) total += f.length
    if (total > MAX_SERVER_MESSAGE_BYTES) throw new Error('WebSocket message too large')
  }
}

/** A client frame: FIN set, masked with a fresh random key (RFC 6455 §5.3). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const out = Buffer.allocUnsafe(headerBytes + 4 + length)
  out[0] = 0x80 | opcode
  if (length < 126) out[1] = 0x80 | length
  else if (length < 65_536) {
    out[1] = 0x80 | 126
    out.writeUInt16BE(length, 2)
  } else {
    out[1] = 0x80 | 127
    out.writeBigUInt64BE(BigInt(length), 2)
  }
  const mask = randomBytes(4)
  mask.copy(out, headerBytes)
  for (let i = 0; i < length; i++) out[headerBytes + 4 + i] = payload[i]! ^ mask[i & 3]!
  return out
}

export const textFrame = (text: string): Buffer => clientFrame(OPCODE.text, Buffer.from(text, 'utf8'))
