import { connect } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import longPoll, { MISSED_HEADER, type Message } from '../../src/main/lab/subject/long-poll'

const apps: FastifyInstance[] = []

async function build(settings = { pollTimeoutMs: 10_000, logSize: 1000 }): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(longPoll, { getSettings: () => settings })
  apps.push(app)
  return app
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

describe('GET /wait', () => {
  it('answers at once with the messages from since on when there is news', async () => {
    const app = await build()
    app.longPoll.publish('one')
    app.longPoll.publish('two')
    app.longPoll.publish('three')
    const res = await app.inject({ url: '/wait?since=2' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = res.json<Message[]>()
    expect(body.map((m) => [m.id, m.text])).toEqual([[2, 'two'], [3, 'three']])
    expect(body[0]!.publishedAt).toBeGreaterThan(Date.now() - 60_000)
    expect(res.headers[MISSED_HEADER]).toBeUndefined()
  })

  it('answers everything the log holds for since=0', async () => {
    const app = await build()
    app.longPoll.publish('a')
    const res = await app.inject({ url: '/wait?since=0' })
    expect(res.json<Message[]>().map((m) => m.id)).toEqual([1])
  })

  it('holds a request until the next message is published, then answers with it', async () => {
    const app = await build()
    const origin = await listen(app)
    app.longPoll.publish('old')
    const pending = fetch(`${origin}/wait?since=2`).then(async (r) => (await r.json()) as Message[])
    await until(() => app.longPoll.held() === 1)
    const sent = app.longPoll.publish('news')
    expect(await pending).toEqual([sent])
    expect(app.longPoll.held()).toBe(0)
  })

  it('without since waits for the next message even when older ones exist', async () => {
    const app = await build()
    const origin = await listen(app)
    app.longPoll.publish('old')
    const pending = fetch(`${origin}/wait`).then(async (r) => (await r.json()) as Message[])
    await until(() => app.longPoll.held() === 1)
    app.longPoll.publish('new')
    expect((await pending).map((m) => m.text)).toEqual(['new'])
  })

  it('answers [] when the poll timeout passes with no news', async () => {
    const app = await build({ pollTimeoutMs: 300, logSize: 1000 })
    const origin = await listen(app)
    const start = performance.now()
    const res = await fetch(`${origin}/wait?since=1`)
    const tookMs = performance.now() - start
    expect(await res.json()).toEqual([])
    expect(tookMs).toBeGreaterThanOrEqual(250)
    expect(tookMs).toBeLessThan(5_000)
    expect(app.longPoll.held()).toBe(0)
  })

  it('forgets a subscriber that goes away', async () => {
    const app = await build()
    const origin = new URL(await listen(app))
    const socket = connect({ host: '127.0.0.1', port: Number(origin.port) })
    await new Promise<void>((resolve) => socket.on('connect', resolve))
    socket.write('GET /wait?since=1 HTTP/1.1\r\nHost: x\r\n\r\n')
    await until(() => app.longPoll.held() === 1)
    socket.destroy()
    await until(() => app.longPoll.held() === 0)
  })

  it('reports messages that left the log in x-loopscope-missed and answers what is left', async () => {
    const app = await build({ pollTimeoutMs: 10_000, logSize: 3 })
    for (let i = 1; i <= 10; i++) app.longPoll.publish(`m${i}`)
    const res = await app.inject({ url: '/wait?since=5' })
    expect(res.json<Message[]>().map((m) => m.id)).toEqual([8, 9, 10])
    expect(res.headers[MISSED_HEADER]).toBe('3')
  })

  it('answers the whole log to a cursor from before a restart (beyond the next id)', async () => {
    const app = await build()
    app.longPoll.publish('after restart')
    const res = await app.inject({ url: '/wait?since=500' })
    expect(res.json<Message[]>().map((m) => m.id)).toEqual([1])
  })

  it.each(['-1', 'abc', '1.5', '', '99999999999999999999'])('refuses since=%j with 400 and a coded message', async (since) => {
    const app = await build()
    const res = await app.inject({ url: `/wait?since=${since}` })
    expect(res.statusCode).toBe(400)
    const body = res.json<{ code: string; message: string }>()
    expect(body.code).toBe('LOOPSCOPE_ERR_HTTP_BAD_REQUEST')
    expect(body.message).toMatch(/since must be a non-negative integer/)
  })

  it('answers held requests with [] when the app closes', async () => {
    const app = await build()
    const origin = await listen(app)
    const pending = fetch(`${origin}/wait?since=1`).then(async (r) => (await r.json()) as Message[])
    await until(() => app.longPoll.held() === 1)
    await app.close()
    expect(await pending).toEqual([])
    expect(app.longPoll.held()).toBe(0)
  })
})

describe('POST /publish', () => {
  it('appends a message with the next id, answers it and counts it', async () => {
    const app = await build()
    const res = await app.inject({ method: 'POST', url: '/publish', payload: { text: 'hello' } })
    expect(res.statusCode).toBe(200)
    const message = res.json<Message>()
    expect(message).toMatchObject({ id: 1, text: 'hello' })
    expect(typeof message.publishedAt).toBe('number')
    expect(app.longPoll.published()).toBe(1)
  })

  it.each([
    ['no text', {}],
    ['an empty text', { text: '' }],
    ['a number', { text: 42 }],
    ['281 characters', { text: 'x'.repeat(281) }]
  ])('refuses %s with 400 naming the field and its range', async (_name, payload) => {
    const app = await build()
    const res = await app.inject({ method: 'POST', url: '/publish', payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
      message: expect.stringMatching(/^text must be a string of 1 to 280 characters/)
    })
    expect(app.longPoll.published()).toBe(0)
  })

  it('refuses a body that is not JSON with a coded 400', async () => {
    const app = await build()
    const res = await app.inject({
      method: 'POST',
      url: '/publish',
      headers: { 'content-type': 'application/json' },
      payload: '{nope'
    })
    expect(res.statusCode).toBe(400)
    expect(res.json<{ code: string }>().code).toBe('LOOPSCOPE_ERR_HTTP_BAD_REQUEST')
  })

  it('refuses a body over 8 KiB with a coded 413 and publishes nothing', async () => {
    const app = await build()
    const res = await app.inject({
      method: 'POST',
      url: '/publish',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(8 * 1024) })
    })
    expect(res.statusCode).toBe(413)
    expect(res.json<{ code: string }>().code).toBe('LOOPSCOPE_ERR_HTTP_TOO_LARGE')
    expect(app.longPoll.published()).toBe(0)
  })

  it('refuses a body that is not application/json with a coded 415 and publishes nothing', async () => {
    const app = await build()
    const res = await app.inject({
      method: 'POST',
      url: '/publish',
      headers: { 'content-type': 'text/plain' },
      payload: '{"text":"hello"}'
    })
    expect(res.statusCode).toBe(415)
    expect(res.json<{ code: string }>().code).toBe('LOOPSCOPE_ERR_HTTP_MEDIA_TYPE')
    expect(app.longPoll.published()).toBe(0)
  })

  it('takes 280 characters written the longest way JSON allows (an escaped surrogate pair each)', async () => {
    const app = await build()
    const payload = `{"text":"${'\\ud83d\\ude42'.repeat(280)}"}`
    const res = await app.inject({ method: 'POST', url: '/publish', headers: { 'content-type': 'application/json' }, payload })
    expect(res.statusCode).toBe(200)
    expect(res.json<Message>().text).toBe('🙂'.repeat(280))
  })

  it('accepts 280 characters counted as people count them (emoji are one each)', async () => {
    const app = await build()
    const res = await app.inject({ method: 'POST', url: '/publish', payload: { text: '🙂'.repeat(280) } })
    expect(res.statusCode).toBe(200)
  })
})

describe('GET /live', () => {
  it('serves a self-contained HTML page that long-polls /wait and uses no external URL', async () => {
    const app = await build()
    const res = await app.inject({ url: '/live' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('/wait?since=')
    expect(res.body).toContain('/publish')
    expect(res.body).toContain('prefers-color-scheme')
    expect(res.body).not.toMatch(/https?:\/\//)
    expect(res.body).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)
  })
})

describe('the decoration', () => {
  it('is visible on the parent app', async () => {
    const app = await build()
    expect(typeof app.longPoll.held).toBe('function')
    expect(app.longPoll.held()).toBe(0)
    expect(app.longPoll.publish('x').id).toBe(1)
  })
})
