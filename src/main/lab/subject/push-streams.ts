/**
 * The open connections of one streaming transport (SSE or WebSocket) and the one way bytes reach them: straight to
 * the TCP socket, the same Buffer for every connection, with the send-buffer cap checked before each write. A
 * connection whose unsent bytes are over its allowance when a write comes is a slow consumer: it is cut (by the
 * transport's own way: SSE drops the connection, WebSocket closes with 1008) and counted, so a client that never
 * reads holds at most its allowance plus one write of the subject's memory, never more.
 *
 * The allowance is PUSH_SEND_BUFFER_CAP_BYTES, raised by a resume's replay (written whole, at most the log) until the
 * client has read its way back under the cap: a subscriber catching up is not a slow one.
 */
import type { Socket } from 'node:net'
import { PUSH_SEND_BUFFER_CAP_BYTES } from '../../../shared/wire'
import type { TransportCounts } from './push-hub'

export interface PushStream {
  readonly socket: Socket
  /** unsent bytes allowed before the next write cuts the connection */
  allowanceBytes: number
}

export class StreamSet<S extends PushStream> {
  private readonly streams = new Set<S>()

  constructor(
    private readonly counts: TransportCounts,
    /** close a slow consumer the transport's way; it is already out of the set */
    private readonly cutOff: (stream: S) => void,
    /** false once the transport must not write to it any more (a WebSocket that is closing) */
    private readonly accepts: (stream: S) => boolean = () => true,
    private readonly capBytes = PUSH_SEND_BUFFER_CAP_BYTES
  ) {}

  get size(): number {
    return this.streams.size
  }

  add(stream: S): void {
    stream.allowanceBytes = this.capBytes
    this.streams.add(stream)
  }

  delete(stream: S): void {
    this.streams.delete(stream)
  }

  all(): IterableIterator<S> {
    return this.streams.values()
  }

  /** Writes bytes to one connection; false if it could not take them (cut as a slow consumer, or closed). */
  write(stream: S, bytes: Buffer): boolean {
    const socket = stream.socket
    if (!socket.writable || !this.accepts(stream)) return false
    const unsentBytes = socket.writableLength
    if (unsentBytes > stream.allowanceBytes) {
      this.streams.delete(stream)
      this.counts.slowConsumersCut++
      this.cutOff(stream)
      return false
    }
    if (unsentBytes <= this.capBytes) stream.allowanceBytes = this.capBytes
    socket.write(bytes)
    this.counts.bytesWritten += bytes.length
    return true
  }

  /** A resume's replay: written whole, its size added to the allowance until the client has read it. */
  replay(stream: S, bytes: Buffer): boolean {
    if (!this.write(stream, bytes)) return false
    stream.allowanceBytes = this.capBytes + bytes.length
    return true
  }

  /** The same bytes to every connection: the fan-out. */
  broadcast(bytes: Buffer): void {
    for (const stream of this.streams) this.write(stream, bytes)
  }
}
