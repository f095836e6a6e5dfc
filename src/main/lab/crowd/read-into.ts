/**
 * The crowd's raw TCP connections (the load's and the subscribers'): Nagle off, and every read landing in one
 * buffer the caller owns, so no 64-KB buffer is allocated per read. What `onRead` is handed is valid only during
 * the call: a parser copies whatever it keeps.
 */
import { connect, type Socket } from 'node:net'

export function connectReadingInto(
  host: string,
  port: number,
  buffer: Buffer,
  onRead: (bytes: number, buffer: Uint8Array) => void
): Socket {
  return connect({
    host,
    port,
    noDelay: true,
    onread: {
      buffer,
      callback: (bytes: number, read: Uint8Array): boolean => {
        onRead(bytes, read)
        return true
      }
    }
  })
}
