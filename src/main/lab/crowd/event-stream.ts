/**
 * The body of a Server-Sent Events answer, read as it streams: the chunked transfer coding Node's HTTP server puts
 * around a response with no length (ChunkedDecoder), then the event-stream format (EventStreamParser, after the
 * WHATWG HTML "event stream interpretation": lines end in LF, CRLF or CR; `field: value` with one optional space;
 * a line starting with ':' is a comment; a blank line dispatches the event; `data` lines join with LF). Fields
 * other than id, event and data (retry) are read and ignored: this client's reconnection is the swarm's.
 * Either may receive its input split at any byte; neither keeps a reference to a chunk it was handed.
 */

export interface StreamEvent {
  /** '' for the default ("message") type */
  event: string
  data: string
  /** the last id seen on the stream, as the spec keeps it (it persists across events) */
  id: string
}

/** a line this client reads is one message (≤ 280 characters as JSON); one past this is not our subject's */
const MAX_LINE_BYTES = 64 * 1024
const LF = 0x0a
const CR = 0x0d

export class EventStreamParser {
  private pending: Buffer | null = null
  /** the previous chunk ended in CR: an LF starting this one belongs to that line end */
  private afterCr = false
  private event = ''
  private data: string[] = []
  private id = ''

  /** Throws on a line too long to be one of our subject's. */
  feed(chunk: Buffer, onEvent: (event: StreamEvent) => void): void {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk])
    this.pending = null
    let at = 0
    if (this.afterCr && buf.length > 0) {
      this.afterCr = false
      if (buf[0] === LF) at = 1
    }
    while (at < buf.length) {
      let end = at
      while (end < buf.length && buf[end] !== LF && buf[end] !== CR) end++
      if (end === buf.length) break
      this.line(buf.toString('utf8', at, end), onEvent)
      if (buf[end] === CR) {
        if (end + 1 === buf.length) this.afterCr = true
        else if (buf[end + 1] === LF) end++
      }
      at = end + 1
    }
    if (at < buf.length) {
      if (buf.length - at > MAX_LINE_BYTES) throw new Error('event-stream line too long')
      this.pending = Buffer.from(buf.subarray(at))
    }
  }

  /** part of an event has been read and not yet dispatched */
  get midEvent(): boolean {
    return this.pending !== null || this.data.length > 0 || this.event !== ''
  }

  reset(): void {
    this.pending = null
    this.afterCr = false
    this.event = ''
    this.data = []
    this.id = ''
  }

  private line(line: string, onEvent: (event: StreamEvent) => void): void {
    if (line === '') {
      if (this.data.length > 0) onEvent({ event: this.event, data: this.data.join('\n'), id: this.id })
      this.event = ''
      this.data = []
      return
    }
    if (line.charCodeAt(0) === 0x3a) return // ':' a comment: the keep-alive
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 0x20) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.event = value
    else if (field === 'id' && !value.includes('\0')) this.id = value
  }
}

/**
 * The chunked transfer coding, undone as bytes arrive: hands on each chunk's data as soon as it is read (a view of
 * the input, valid only during the call). Throws on a malformed size line; `ended` once the last chunk came.
 */
export class ChunkedDecoder {
  /** data bytes still to come in the current chunk; -1 when a size line is next, -2 when the CRLF after data is */
  private remaining = -1
  private sizeLine = ''
  ended = false

  feed(chunk: Buffer, onData: (data: Buffer) => void): void {
    let at = 0
    while (at < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at)
        onData(chunk.subarray(at, at + take))
        this.remaining -= take
        at += take
        if (this.remaining === 0) this.remaining = -2
      } else if (this.remaining === -2) {
        // the CRLF that ends a chunk's data: skip it byte by byte (it may be split)
        const byte = chunk[at++]
        if (byte === LF) this.remaining = -1
        else if (byte !== CR) throw new Error('malformed chunk: no CRLF after its data')
      } else {
        const lf = chunk.indexOf(LF, at)
        const end = lf < 0 ? chunk.length : lf
        this.sizeLine += chunk.toString('latin1', at, end)
        if (this.sizeLine.length > 64) throw new Error('malformed chunk size')
        at = end
        if (lf < 0) break
        at++
        const size = parseInt(this.sizeLine.replace(/\r$/, '').split(';')[0]!, 16)
        this.sizeLine = ''
        if (!Number.isInteger(size) || size < 0) throw new Error('malformed chunk size')
        if (size === 0) this.ended = true
        else this.remaining = size
      }
    }
  }

  reset(): void {
    this.remaining = -1
    this.sizeLine = ''
    this.ended = false
  }
}
