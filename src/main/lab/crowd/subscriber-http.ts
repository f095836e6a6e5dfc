/**
 * A minimal HTTP/1.1 response parser for the subscribers' raw sockets: status line, Content-Length or chunked body,
 * `connection: close`, and the one header the lab cares about (x-loopscope-missed). Responses may arrive split
 * across chunks or (never for /wait, but cheaply handled) several in one. It parses responses to requests this
 * client wrote itself, from a server it started; it is not a general-purpose or hostile-input parser.
 */
import { parseHead } from './http-head'

export interface ParsedResponse {
  status: number
  body: string
  /** the server will close the connection after this response */
  close: boolean
  /** x-loopscope-missed, 0 when absent */
  missed: number
}

const CRLF = Buffer.from('\r\n')
/** a safety bound: a /wait answer holds at most logSize (≤ 10,000) messages of ≤ 280 characters */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

export class ResponseParser {
  private pending: Buffer | null = null

  /**
   * Feeds bytes; calls onResponse for each complete response. Throws on a malformed response (the caller drops the
   * connection). `chunk` may be reused by the caller afterwards: nothing keeps a reference to it.
   */
  feed(chunk: Buffer, onResponse: (response: ParsedResponse) => void): void {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk])
    this.pending = null
    for (;;) {
      const used = parseOne(buf, onResponse)
      if (used === 0) {
        if (buf.length > MAX_RESPONSE_BYTES) throw new Error('response too large')
        // A copy: the caller may hand in a view of a buffer that it reuses for every read.
        if (buf.length > 0) this.pending = Buffer.from(buf)
        return
      }
      if (used === buf.length) return
      buf = buf.subarray(used)
    }
  }

  /** bytes of an unfinished response are waiting */
  get midResponse(): boolean {
    return this.pending !== null
  }

  reset(): void {
    this.pending = null
  }
}

/** Parses one response at the start of buf; returns the bytes it used, 0 when it is not complete yet. */
function parseOne(buf: Buffer, onResponse: (response: ParsedResponse) => void): number {
  const head = parseHead(buf)
  if (head === null) return 0
  const { status, close, missed, bodyStart, length } = head
  if (head.chunked) return parseChunked(buf, bodyStart, status, close, missed, onResponse)
  if (!(length >= 0)) throw new Error('response without a length (this client reads only keep-alive answers)')
  if (buf.length < bodyStart + length) return 0
  onResponse({ status, body: buf.toString('utf8', bodyStart, bodyStart + length), close, missed })
  return bodyStart + length
}

function parseChunked(
  buf: Buffer,
  start: number,
  status: number,
  close: boolean,
  missed: number,
  onResponse: (response: ParsedResponse) => void
): number {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const sizeEnd = buf.indexOf(CRLF, at)
    if (sizeEnd < 0) return 0
    const size = parseInt(buf.toString('latin1', at, sizeEnd), 16)
    if (!Number.isInteger(size) || size < 0) throw new Error('malformed chunk size')
    if (size === 0) {
      // Last chunk, then (no trailers from our subject) the final CRLF.
      const end = buf.indexOf(CRLF, sizeEnd + 2)
      if (end < 0) return 0
      onResponse({ status, body: Buffer.concat(parts).toString('utf8'), close, missed })
      return end + 2
    }
    if (buf.length < sizeEnd + 2 + size + 2) return 0
    parts.push(buf.subarray(sizeEnd + 2, sizeEnd + 2 + size))
    at = sizeEnd + 2 + size + 2
  }
}
