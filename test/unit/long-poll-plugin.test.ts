import { connect } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import longPoll from '../../src/main/lab/subject/long-poll'
import {
  HELD_HEADER,
  MISSED_HEADER,
  POLL_TIMEOUT_HEADER,
  RUN_HEADER,
  SENT_AT_HEADER,
  STOPPING_HEADER,
  type Message
} from '../../src/shared/wire'

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
    expect(body.map((m) => [m.id, m.text])).toEqual([
      [2, 'two'],
      [3, 'three']
    ])
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
    const sent = await app.longPoll.publish('news')
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

  it.each(['-1', 'abc', '1.5', '', '99999999999999999999'])(
    'refuses since=%j with 400 and a coded message',
    async (since) => {
      const app = await build()
      const res = await app.inject({ url: `/wait?since=${since}` })
      expect(res.statusCode).toBe(400)
      const body = res.json<{ code: string; message: string }>()
      expect(body.code).toBe('LOOPSCOPE_ERR_HTTP_BAD_REQUEST')
      expect(body.message).toMatch(/since must be a non-negative integer/)
    }
  )

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
    const res = await app.inject({
      method: 'POST',
      url: '/publish',
      headers: { 'content-type': 'application/json' },
      payload
    })
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

  it('is served with a CSP that allows only its own inline code and its own origin', async () => {
    const app = await build()
    const res = await app.inject({ url: '/live' })
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/)
    expect(res.headers['content-security-policy']).toMatch(/connect-src 'self'/)
    expect(res.body).toContain('data-poll-timeout-ms="10000"')
  })
})

describe('what a /wait answer tells the page', () => {
  it('an answer at once: this run, the held count with the asker, the server clock and the next poll timeout', async () => {
    const app = await build()
    const message = await app.longPoll.publish('hello')
    const res = await app.inject({ url: '/wait?since=1' })
    expect(res.headers[RUN_HEADER]).toMatch(/^[0-9a-f]{12}$/)
    expect(res.headers[HELD_HEADER]).toBe('1')
    expect(res.headers[POLL_TIMEOUT_HEADER]).toBe('10000')
    expect(Number(res.headers[SENT_AT_HEADER])).toBeGreaterThanOrEqual(message.publishedAt)
    expect(res.headers[STOPPING_HEADER]).toBeUndefined()
    const again = await app.inject({ url: '/wait?since=1' })
    expect(again.headers[RUN_HEADER]).toBe(res.headers[RUN_HEADER])
  })

  it('a fan-out: every woken answer says how many were held, and each is dated after the publish', async () => {
    const app = await build()
    const origin = await listen(app)
    const answers = Array.from({ length: 3 }, () => fetch(`${origin}/wait?since=1`))
    await until(() => app.longPoll.held() === 3)
    const message = await app.longPoll.publish('to all')
    for (const res of await Promise.all(answers)) {
      expect(res.headers.get(HELD_HEADER)).toBe('3')
      // the header is written to a tenth of a millisecond (toFixed(1)): after the publish, to within that rounding
      expect(Number(res.headers.get(SENT_AT_HEADER))).toBeGreaterThanOrEqual(message.publishedAt - 0.05)
      expect(((await res.json()) as Message[]).map((m) => m.id)).toEqual([1])
    }
  })

  it('a new subject has another run id, so a page can tell that ids count from 1 again', async () => {
    const one = await build()
    const two = await build()
    one.longPoll.publish('x')
    two.longPoll.publish('x')
    const [a, b] = await Promise.all([one.inject({ url: '/wait?since=1' }), two.inject({ url: '/wait?since=1' })])
    expect(a.headers[RUN_HEADER]).not.toBe(b.headers[RUN_HEADER])
  })

  it('says the subject is stopping on the answers it gives as it closes', async () => {
    const app = await build()
    const origin = await listen(app)
    const pending = fetch(`${origin}/wait?since=1`)
    await until(() => app.longPoll.held() === 1)
    await app.close()
    const res = await pending
    expect(res.headers.get(STOPPING_HEADER)).toBe('1')
    expect(await res.json()).toEqual([])
  })
})

describe('the decoration', () => {
  it('is visible on the parent app', async () => {
    const app = await build()
    expect(typeof app.longPoll.held).toBe('function')
    expect(app.longPoll.held()).toBe(0)
    expect((await app.longPoll.publish('x')).id).toBe(1)
  })
})
