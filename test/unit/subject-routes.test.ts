import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { pickSubject, withDefaults, type SettingsPatch } from '../../src/shared/settings'
import { buildSubject } from '../../src/main/lab/subject/build-subject'

let app: FastifyInstance | null = null

function subject(patch: SettingsPatch = {}): FastifyInstance {
  app = buildSubject({ settings: pickSubject(withDefaults(patch)) })
  return app
}

afterEach(async () => {
  await app?.close()
  app = null
})

describe('the subject routes', () => {
  it('answers GET / with hello world', async () => {
    const res = await subject().inject('/')
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('hello world')
  })

  it('answers GET /work with a small JSON naming the delay and the mode', async () => {
    const res = await subject({ delayMs: 0 }).inject('/work')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, delayMs: 0, mode: 'evented-wait' })
  })

  it('answers an unknown route with 404 and a coded JSON error', async () => {
    const res = await subject().inject('/nope')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ code: 'LOOPSCOPE_ERR_HTTP_NOT_FOUND', message: expect.stringContaining('/nope') })
  })

  it('answers a method the route does not have with 404 and a coded JSON error', async () => {
    const res = await subject().inject({ method: 'DELETE', url: '/work' })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('LOOPSCOPE_ERR_HTTP_NOT_FOUND')
  })

  it('answers a URL that does not decode with 400 and a coded JSON error', async () => {
    const res = await subject().inject('/%zz')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message: expect.any(String) })
  })

  it('answers a malformed JSON body with 400 and a coded JSON error', async () => {
    const res = await subject({ delayMs: 0 }).inject({
      method: 'POST',
      url: '/work',
      headers: { 'content-type': 'application/json' },
      payload: '{"oops'
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message: expect.stringContaining('JSON') })
  })

  it('answers bytes that are not HTTP with 400 and a coded JSON error over a real socket', async () => {
    const server = subject()
    await server.listen({ port: 0, host: '127.0.0.1' })
    const { port } = server.server.address() as AddressInfo
    const socket = connect(port, '127.0.0.1')
    socket.write('NOT HTTP AT ALL\r\n\r\n')
    const raw = await new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk) => (text += chunk))
      socket.on('close', () => resolve(text))
    })
    expect(raw).toMatch(/^HTTP\/1\.1 400/)
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
      message: expect.any(String)
    })
  })

  it('answers a handler failure with 500 and a coded JSON error', async () => {
    const server = subject()
    server.get('/boom', async () => {
      throw new Error('kaput')
    })
    const res = await server.inject('/boom')
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ code: 'LOOPSCOPE_ERR_HTTP_INTERNAL', message: 'kaput' })
  })

  it('counts requests held at /wait and messages published for the report', async () => {
    const server = subject({ pollTimeoutMs: 5000 })
    await server.ready()
    const held = server.inject('/wait')
    await expect.poll(() => server.subject.counters().held).toBe(1)
    const published = await server.inject({ method: 'POST', url: '/publish', payload: { text: 'hi' } })
    expect(published.statusCode).toBe(200)
    expect((await held).statusCode).toBe(200)
    expect(server.subject.counters()).toMatchObject({ held: 0, published: 1 })
  })
})
