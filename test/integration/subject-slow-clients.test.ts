import { readFileSync } from 'node:fs'
import { connect, type AddressInfo, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { pickSubject, withDefaults, type SettingsPatch } from '../../src/shared/settings'
import { buildSubject } from '../../src/main/lab/subject/build-subject'
import { SUBJECT_TIMEOUTS, type SubjectTimeouts } from '../../src/main/lab/subject/slow-clients'
import { SubscriberSwarm } from '../../src/main/lab/crowd/subscribers'
import { PUSH_TRANSPORTS } from '../../src/shared/wire'
import type { PushTransportTick } from '../../src/main/lab/protocol'
import { until } from '../helpers/push-clients'

const cleanups: (() => unknown)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function subject(
  timeouts: Partial<SubjectTimeouts>,
  patch: SettingsPatch = {}
): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildSubject({ settings: pickSubject(withDefaults(patch)), timeouts: { checkEveryMs: 100, ...timeouts } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  cleanups.push(() => app.close())
  return { app, port: (app.server.address() as AddressInfo).port }
}

interface Raw {
  socket: Socket
  /** everything received so far */
  received(): string
  /** resolves with the ms from `since` to the server closing the connection */
  closedAfter(since: number): Promise<number>
}

function raw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => void (text += chunk))
    socket.on('error', () => {})
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now())))
    cleanups.push(() => socket.destroy())
    socket.once('connect', () =>
      resolve({ socket, received: () => text, closedAfter: async (since) => (await closed) - since })
    )
    socket.once('error', reject)
  })
}

/** Writes one byte of `text` every `everyMs` until the socket closes or the text runs out. */
function dribble(socket: Socket, text: string, everyMs: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer)
    socket.write(text.charAt(i++))
  }, everyMs)
  cleanups.push(() => clearInterval(timer))
}

describe('slow clients at the subject', () => {
  it('waits 30 s for headers and for a whole request, as the README says, and keeps idle connections 65 s', () => {
    expect(SUBJECT_TIMEOUTS).toMatchObject({
      headersMs: 30_000,
      requestMs: 30_000,
      keepAliveMs: 65_000,
      checkEveryMs: 1_000
    })
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
    const s = (ms: number): string => `${ms / 1000} s`
    expect(readme).toContain(`headers within ${s(SUBJECT_TIMEOUTS.headersMs)}`)
    expect(readme).toContain(`whole request, body included, within ${s(SUBJECT_TIMEOUTS.requestMs)}`)
    expect(readme).toContain(`idle for ${s(SUBJECT_TIMEOUTS.keepAliveMs)}`)
    expect(readme).toContain(`checked every ${s(SUBJECT_TIMEOUTS.checkEveryMs)}`)
  })

  it('cuts a client still sending its headers, a byte a second, at the header timeout with a coded 408', async () => {
    const { port } = await subject({ headersMs: 3000, requestMs: 6000 })
    const client = await raw(port)
    const start = Date.now()
    client.socket.write('GET /work HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    dribble(client.socket, 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1000)
    const afterMs = await client.closedAfter(start)
    expect(afterMs).toBeGreaterThanOrEqual(2900)
    expect(afterMs).toBeLessThan(4500)
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /)
    expect(client.received()).toContain('"code":"LOOPSCOPE_ERR_HTTP_BAD_REQUEST"')
  })

  it('cuts a client whose headers came whole but whose body comes slowly at the request timeout', async () => {
    const { port } = await subject({ headersMs: 1000, requestMs: 2500 })
    const client = await raw(port)
    const start = Date.now()
    const body = '{"text":"slow body"}'
    client.socket.write(
      `POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
    )
    dribble(client.socket, body, 300)
    const afterMs = await client.closedAfter(start)
    expect(afterMs).toBeGreaterThanOrEqual(2400)
    expect(afterMs).toBeLessThan(4000)
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('holds a /wait and a slow demo request past both timeouts, and keeps their connections for the next request', async () => {
    const { app, port } = await subject({ headersMs: 500, requestMs: 500 }, { pollTimeoutMs: 5000, delayMs: 2000 })
    const waiter = await raw(port)
    const worker = await raw(port)
    waiter.socket.write('GET /wait HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    worker.socket.write('GET /work HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await new Promise((r) => setTimeout(r, 1800))
    expect(app.longPoll.held()).toBe(1)
    expect(waiter.socket.destroyed).toBe(false)

    app.longPoll.publish('still here')
    await new Promise((r) => setTimeout(r, 600))
    expect(waiter.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*"still here"/)
    expect(worker.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*"delayMs":2000/)

    // The same connections serve another request each.
    const before = worker.received().length
    worker.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await new Promise((r) => setTimeout(r, 200))
    expect(worker.received().slice(before)).toMatch(/^HTTP\/1\.1 200 [\s\S]*hello world$/)
    expect(waiter.socket.destroyed || worker.socket.destroyed).toBe(false)
  })

  for (const transport of PUSH_TRANSPORTS) {
    it(`leaves the crowd's ${transport} subscribers connected past every timeout, and delivers to each`, async () => {
      // Every clock at 400 ms, and the long polls answered empty every 1 s: 3 s is many of each.
      const { app, port } = await subject({ headersMs: 400, requestMs: 400, keepAliveMs: 400 }, { pollTimeoutMs: 1000 })
      const delivered = new Set<number>()
      const swarm = new SubscriberSwarm({
        origin: `http://127.0.0.1:${port}`,
        pollTimeoutMs: 1000,
        transport,
        onMessages: (index) => delivered.add(index)
      })
      cleanups.push(() => swarm.close())
      const sums = { subscribers: 0, errors: 0, requests: 0, timeouts: 0 }
      const take = (): void => {
        const t: PushTransportTick | undefined = swarm.tick().transports.find((x) => x.transport === transport)
        sums.subscribers = t?.subscribers ?? 0
        for (const k of ['errors', 'requests', 'timeouts'] as const) sums[k] += t?.[k] ?? 0
      }
      swarm.setCount(20)
      await until('20 connected', () => (take(), sums.subscribers === 20))
      await new Promise((r) => setTimeout(r, 3000))
      take()
      expect(sums.errors).toBe(0)
      expect(sums.subscribers).toBe(20)
      // a stream or a socket opened once per subscriber; long polls re-asked after each empty answer
      if (transport === 'long-poll') expect(sums.timeouts).toBeGreaterThanOrEqual(20 * 2)
      else expect(sums.requests).toBe(20)
      app.longPoll.publish('after the timeouts')
      await until('every subscriber has it', () => delivered.size === 20)
    }, 15_000)
  }
})
