import { describe, expect, it } from 'vitest'
// the ws package's own framing, as an implementation of RFC 6455 that is not ours
import * as wsModule from 'ws'
import { ChunkedDecoder, EventStreamParser, type StreamEvent } from '../../src/main/lab/crowd/event-stream'
import {
  acceptFor,
  FrameParser,
  OPCODE,
  clientFrame,
  textFrame,
  type ServerFrame
} from '../../src/main/lab/crowd/ws-frames'
import { parseHead } from '../../src/main/lab/crowd/http-head'

// ws exports its framing classes at run time; @types/ws does not declare them
const { Sender, Receiver } = wsModule as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }
    ): Buffer[]
  }
  Receiver: new (options: {
    isServer: boolean
  }) => NodeJS.WritableStream & { on(event: 'message', cb: (data: Buffer) => void): void }
}

/** Feeds `whole` in two pieces cut at every byte boundary (and once whole); returns what each run produced. */
function everyCut<T>(whole: Buffer, run: (chunks: Buffer[]) => T): T[] {
  const out = [run([whole])]
  for (let cut = 1; cut < whole.length; cut++) out.push(run([whole.subarray(0, cut), whole.subarray(cut)]))
  return out
}

function events(chunks: Buffer[]): StreamEvent[] {
  const parser = new EventStreamParser()
  const out: StreamEvent[] = []
  for (const c of chunks) parser.feed(c, (e) => out.push(e))
  return out
}

const message = '{"id":7,"text":"é🙂 hi","publishedAt":1.5}'

describe('the SSE client’s event-stream parser', () => {
  it('reads the hello, a message and a keep-alive comment split at every byte', () => {
    const stream = Buffer.from(
      `retry: 1000\nevent: hello\ndata: {"type":"hello"}\n\n: keep-alive\n\nid: 7\ndata: ${message}\n\n`
    )
    for (const got of everyCut(stream, events)) {
      expect(got).toEqual([
        { event: 'hello', data: '{"type":"hello"}', id: '' },
        { event: '', data: message, id: '7' }
      ])
    }
  })

  it('takes CRLF and lone CR as line ends, even with the CR and LF in two chunks', () => {
    const stream = Buffer.from(`id: 1\r\ndata: a\r\rid: 2\rdata:b\r\n\r\n`)
    for (const got of everyCut(stream, events)) {
      expect(got).toEqual([
        { event: '', data: 'a', id: '1' },
        { event: '', data: 'b', id: '2' }
      ])
    }
  })

  it('joins several data lines with a line feed and drops an event with no data', () => {
    expect(events([Buffer.from('event: stopping\n\ndata: one\ndata: two\n\n')])).toEqual([
      { event: '', data: 'one\ntwo', id: '' }
    ])
  })

  it('refuses a line far longer than any message', () => {
    expect(() => events([Buffer.alloc(70 * 1024, 0x61)])).toThrow(/too long/)
  })
})

describe('the SSE client’s chunked decoder', () => {
  const body = `id: 1\ndata: ${message}\n\n`
  const bytes = Buffer.from(body)
  const chunked = Buffer.concat([
    Buffer.from(`${(10).toString(16)}\r\n`),
    bytes.subarray(0, 10),
    Buffer.from(`\r\n${(bytes.length - 10).toString(16)};ext=1\r\n`),
    bytes.subarray(10),
    Buffer.from('\r\n0\r\n\r\n')
  ])

  it('hands on exactly the data, whatever byte the chunks are cut at', () => {
    for (const got of everyCut(chunked, (chunks) => {
      const d = new ChunkedDecoder()
      const parts: Buffer[] = []
      for (const c of chunks) d.feed(c, (data) => parts.push(Buffer.from(data)))
      return { text: Buffer.concat(parts).toString('utf8'), ended: d.ended }
    })) {
      expect(got).toEqual({ text: body, ended: true })
    }
  })

  it('refuses a size that is not hexadecimal', () => {
    expect(() => new ChunkedDecoder().feed(Buffer.from('zz\r\nabc'), () => {})).toThrow(/chunk size/)
  })
})

function frames(chunks: Buffer[]): { opcode: number; text: string }[] {
  const parser = new FrameParser()
  const out: { opcode: number; text: string }[] = []
  for (const c of chunks)
    parser.feed(c, (f: ServerFrame) => out.push({ opcode: f.opcode, text: f.payload.toString('utf8') }))
  return out
}

const serverFrame = (text: string, opts: { fin?: boolean; opcode?: number } = {}): Buffer =>
  Buffer.concat(
    Sender.frame(Buffer.from(text), {
      fin: opts.fin ?? true,
      opcode: opts.opcode ?? OPCODE.text,
      mask: false,
      readOnly: false,
      rsv1: false
    })
  )

describe('the WebSocket client’s frames', () => {
  it('reads server frames made by the ws package, short and 16-bit long, split at every byte', () => {
    const long = 'x'.repeat(300)
    const wire = Buffer.concat([serverFrame(message), serverFrame(long), serverFrame('', { opcode: OPCODE.ping })])
    for (const got of everyCut(wire, frames)) {
      expect(got).toEqual([
        { opcode: OPCODE.text, text: message },
        { opcode: OPCODE.text, text: long },
        { opcode: OPCODE.ping, text: '' }
      ])
    }
  })

  it('joins a fragmented message, with a ping between its fragments', () => {
    const wire = Buffer.concat([
      serverFrame('{"a":', { fin: false }),
      serverFrame('', { opcode: OPCODE.ping }),
      serverFrame('1}', { fin: true, opcode: OPCODE.continuation })
    ])
    expect(frames([wire])).toEqual([
      { opcode: OPCODE.ping, text: '' },
      { opcode: OPCODE.text, text: '{"a":1}' }
    ])
  })

  it('refuses a masked frame from the server and a frame with a reserved bit', () => {
    const masked = Buffer.concat(
      Sender.frame(Buffer.from('hi'), { fin: true, opcode: 1, mask: true, readOnly: false, rsv1: false })
    )
    expect(() => frames([masked])).toThrow(/masked/)
    const rsv = serverFrame('hi')
    rsv[0] = rsv[0]! | 0x40
    expect(() => frames([rsv])).toThrow(/reserved/)
  })

  it('writes masked client frames that the ws package’s server side reads back', async () => {
    const receiver = new Receiver({ isServer: true })
    const got: string[] = []
    receiver.on('message', (data: Buffer) => got.push(data.toString('utf8')))
    const long = JSON.stringify({ text: 'é'.repeat(200) })
    receiver.write(textFrame('{"since":42}'))
    receiver.write(textFrame(long))
    expect(got).toEqual(['{"since":42}', long])
    const close = clientFrame(OPCODE.close, Buffer.from([0x03, 0xe8]))
    expect(close[1]! & 0x80).toBe(0x80)
  })

  it('computes the handshake accept of RFC 6455’s example', () => {
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
  })

  it('reads a 101 head with its accept, and leaves the frames after it alone', () => {
    const head =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\n\r\n'
    const parsed = parseHead(Buffer.concat([Buffer.from(head), serverFrame('hi')]))
    expect(parsed).toMatchObject({ status: 101, accept: 'abc=', bodyStart: Buffer.byteLength(head) })
  })
})
