/**
 * The head of an HTTP/1.x response (status line and the few headers the subscribers act on), read from the start
 * of a buffer. Shared by the three subscriber clients: long polling reads one per answer, Server-Sent Events and
 * WebSocket one per connection, before the stream or the frames.
 */
import { MISSED_HEADER } from '../../../shared/wire'

export interface ResponseHead {
  status: number
  /** bytes from the start of the buffer to the body (past the blank line) */
  bodyStart: number
  /** Content-Length; -1 when absent */
  length: number
  chunked: boolean
  /** the server will close the connection after this response */
  close: boolean
  /** x-loopscope-missed, 0 when absent */
  missed: number
  /** lower-cased Content-Type, '' when absent */
  contentType: string
  /** Sec-WebSocket-Accept, '' when absent */
  accept: string
}

const HEADER_END = Buffer.from('\r\n\r\n')
/** a head this client reads is a few hundred bytes; one past this is not an answer from our subject */
export const MAX_HEAD_BYTES = 16 * 1024

/** The head at the start of buf; null when it has not all arrived yet. Throws on something that is not HTTP/1.x. */
export function parseHead(buf: Buffer): ResponseHead | null {
  const headerEnd = buf.indexOf(HEADER_END)
  if (headerEnd < 0) {
    if (buf.length > MAX_HEAD_BYTES) throw new Error('response head too large')
    if (buf.length >= 7 && buf.toString('latin1', 0, 7) !== 'HTTP/1.') throw notHttp(buf.toString('latin1', 0, 40))
    return null
  }
  const head = buf.toString('latin1', 0, headerEnd)
  if (!head.startsWith('HTTP/1.')) throw notHttp(head.slice(0, 40))
  const status = Number(head.slice(9, 12))
  if (!Number.isInteger(status)) throw new Error('malformed status line')
  const out: ResponseHead = {
    status,
    bodyStart: headerEnd + 4,
    length: -1,
    chunked: false,
    close: head.startsWith('HTTP/1.0'),
    missed: 0,
    contentType: '',
    accept: ''
  }
  let lineStart = head.indexOf('\r\n') + 2
  while (lineStart > 1 && lineStart < head.length) {
    let lineEnd = head.indexOf('\r\n', lineStart)
    if (lineEnd < 0) lineEnd = head.length
    const colon = head.indexOf(':', lineStart)
    if (colon > lineStart && colon < lineEnd) {
      const name = head.slice(lineStart, colon).toLowerCase()
      const value = head.slice(colon + 1, lineEnd).trim()
      if (name === 'content-length') out.length = Number(value)
      else if (name === 'transfer-encoding') out.chunked = value.toLowerCase().includes('chunked')
      else if (name === 'connection') out.close = value.toLowerCase() === 'close'
      else if (name === MISSED_HEADER) out.missed = Number(value) || 0
      else if (name === 'content-type') out.contentType = value.toLowerCase()
      else if (name === 'sec-websocket-accept') out.accept = value
    }
    lineStart = lineEnd + 2
  }
  return out
}

const notHttp = (start: string): Error => new Error(`not an HTTP/1.x response: ${JSON.stringify(start)}`)

/**
 * The head of a streaming answer (SSE, WebSocket's 101), read once at the start of a connection: feed chunks until
 * it returns the head and the bytes after it (the start of the stream); null while the head is still incomplete.
 */
export class HeadReader {
  private pending: Buffer | null = Buffer.alloc(0)

  /** true once the head has been read: every later chunk is the stream's */
  get done(): boolean {
    return this.pending === null
  }

  read(chunk: Buffer): { head: ResponseHead; rest: Buffer } | null {
    // a copy: the caller may hand in a view of a buffer that it reuses for every read
    const buf = Buffer.concat([this.pending ?? Buffer.alloc(0), chunk])
    const head = parseHead(buf)
    if (head === null) {
      this.pending = buf
      return null
    }
    this.pending = null
    return { head, rest: buf.subarray(head.bodyStart) }
  }
}
