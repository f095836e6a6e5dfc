/**
 * One keep-alive HTTP/1.1 connection of the crowd's load: a raw socket, a prebuilt request, and the subscribers'
 * response parser (subscriber-http.ts). One request at a time (no pipelining), as ab and autocannon do.
 *
 * Why not undici here: measured on the 2-core machine against the same hello-world subject, undici's dispatch API
 * reached ~0.8 of autocannon's req/s and the crowd, not the server, set the pace; a raw socket writing prebuilt
 * bytes and reading into one shared buffer matches autocannon (npm run bench -- crowd). The lab only ever talks to
 * the subject it started, so the parser needs no more than status, length and keep-alive.
 */
import type { Socket } from 'node:net'
import { connectReadingInto } from './read-into'
import { ResponseParser } from './subscriber-http'

export type Done = (status: number, err: NodeJS.ErrnoException | null, connection: LoadConnection) => void

function failure(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code })
}

export class LoadConnection {
  private socket: Socket | null = null
  private readonly parser = new ResponseParser()
  private done: Done | null = null
  /** the current request's own facts, kept here so that sending one allocates nothing (see load-generator.ts) */
  startMs = 0
  fromOpenLoop = false

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** reused for every read of every connection of this crowd; the parser copies what it must keep */
    private readonly readBuffer: Buffer
  ) {}

  /** Writes one request (prebuilt bytes, or a text of ASCII); `done` runs once, with the status or the error. */
  send(request: Buffer | string, timeoutMs: number, done: Done): void {
    this.done = done
    const socket = this.socket ?? this.open()
    socket.setTimeout(timeoutMs)
    if (typeof request === 'string') socket.write(request, 'latin1')
    else socket.write(request)
  }

  close(): void {
    this.done = null
    this.drop()
  }

  private open(): Socket {
    const socket = connectReadingInto(this.host, this.port, this.readBuffer, (bytes, buffer) => {
      if (this.socket === socket) this.onData(Buffer.from(buffer.buffer, buffer.byteOffset, bytes))
    })
    socket.on('timeout', () => this.fail(failure('ETIMEDOUT', 'no answer within the request timeout')))
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err))
    socket.on('close', () => {
      // A close between requests (the server ended an idle keep-alive connection) is no failure; during one it is.
      if (this.socket === socket) this.fail(failure('ECONNRESET', 'the server closed the connection'))
    })
    this.socket = socket
    return socket
  }

  private onData(chunk: Buffer): void {
    try {
      this.parser.feed(chunk, (response) => {
        const done = this.done
        this.done = null
        this.socket?.setTimeout(0)
        if (response.close) this.drop()
        done?.(response.status, null, this)
      })
    } catch (err) {
      this.fail(failure('EPROTO', (err as Error).message))
    }
  }

  private fail(err: NodeJS.ErrnoException): void {
    const done = this.done
    this.done = null
    this.drop()
    done?.(0, err, this)
  }

  private drop(): void {
    const socket = this.socket
    this.socket = null
    this.parser.reset()
    socket?.destroy()
  }
}
