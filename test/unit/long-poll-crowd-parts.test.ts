import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ResponseParser, type ParsedResponse } from '../../src/main/lab/crowd/subscriber-http'
import { limitSentence, maxSubscribers, readFdLimit } from '../../src/main/lab/crowd/subscriber-limits'

function parseAll(chunks: string[]): ParsedResponse[] {
  const parser = new ResponseParser()
  const out: ParsedResponse[] = []
  for (const chunk of chunks) parser.feed(Buffer.from(chunk), (r) => out.push(r))
  return out
}

const answer = (body: string, extra = ''): string =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`

describe('the subscribers’ response parser', () => {
  it('reads a Content-Length response that arrives in one chunk', () => {
    expect(parseAll([answer('[]')])).toEqual([{ status: 200, body: '[]', close: false, missed: 0 }])
  })

  it('reads a response split anywhere, including inside the head and a multi-byte character', () => {
    const whole = Buffer.from(answer('[{"text":"é🙂"}]', 'x-loopscope-missed: 4\r\n'))
    for (let cut = 1; cut < whole.length; cut++) {
      const parser = new ResponseParser()
      const out: ParsedResponse[] = []
      parser.feed(whole.subarray(0, cut), (r) => out.push(r))
      parser.feed(whole.subarray(cut), (r) => out.push(r))
      expect(out).toEqual([{ status: 200, body: '[{"text":"é🙂"}]', close: false, missed: 4 }])
    }
  })

  it('reads two responses in one chunk', () => {
    expect(parseAll([answer('[1]') + answer('[2]')]).map((r) => r.body)).toEqual(['[1]', '[2]'])
  })

  it('reads a chunked response and notices connection: close', () => {
    const chunked =
      'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n'
    expect(parseAll([chunked.slice(0, 70), chunked.slice(70)])).toEqual([
      { status: 400, body: '{"a":1}', close: true, missed: 0 }
    ])
  })

  it('refuses something that is not HTTP', () => {
    expect(() => parseAll(['SSH-2.0-OpenSSH\r\n\r\n'])).toThrow(/not an HTTP/)
  })
})

describe('the subscriber limit', () => {
  it('reads the open-file limit on Linux and keeps a reserve', () => {
    // this process's soft limit, read here on its own (the test runs on Linux, as .ci does)
    const soft = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))![1]
    const { limit, reason } = readFdLimit()
    expect(limit).toBe(Number(soft))
    expect(reason).toBe('its open-file limit')
    // the reserve comes off the limit, and never below none
    expect(maxSubscribers(limit - 3)).toEqual({ max: 3, limit, reason: 'its open-file limit' })
    expect(maxSubscribers(limit + 10).max).toBe(0)
  })

  it('falls back to a stated assumption where the limit cannot be read', () => {
    expect(readFdLimit('darwin')).toMatchObject({ limit: 10_240, reason: expect.stringMatching(/^assumed/) })
    expect(readFdLimit('win32').reason).toMatch(/^assumed/)
  })

  it('explains a refusal in one plain sentence', () => {
    expect(limitSentence(25_000, { max: 19_400, limit: 20_000, reason: 'its open-file limit' }, 600)).toBe(
      'Only 19,400 of 25,000 subscribers can run: this process may open 20,000 files (its open-file limit) and keeps 600 for itself.'
    )
  })
})
