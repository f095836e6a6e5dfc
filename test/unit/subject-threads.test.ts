import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { pickSubject, withDefaults, type SettingsPatch } from '../../src/shared/settings'
import { buildSubject } from '../../src/main/lab/subject/build-subject'

const DELAY_MS = 200
const EARLY_MS = 5

let app: FastifyInstance | null = null

/** A subject whose pool threads have all started, so that timings measure the work, not thread start-up. */
async function subject(patch: SettingsPatch): Promise<FastifyInstance> {
  app = buildSubject({ settings: pickSubject(withDefaults(patch)) })
  await app.subject.ready()
  return app
}

async function concurrently(server: FastifyInstance, n: number): Promise<number> {
  const start = performance.now()
  const answers = await Promise.all(Array.from({ length: n }, () => server.inject('/work')))
  for (const res of answers) expect(res.statusCode).toBe(200)
  return performance.now() - start
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(async () => {
  await app?.close()
  app = null
})

describe('the thread pool', () => {
  it('runs N requests at a time with N threads', async () => {
    const server = await subject({ threads: 2, delayMs: DELAY_MS })
    const elapsedMs = await concurrently(server, 4)
    expect(elapsedMs).toBeGreaterThanOrEqual(2 * DELAY_MS - EARLY_MS)
    expect(elapsedMs).toBeLessThan(4 * DELAY_MS)
  })

  it('keeps the event loop free while the threads wait', async () => {
    const server = await subject({ threads: 1, delayMs: DELAY_MS })
    const start = performance.now()
    const work = server.inject('/work')
    const hello = await server.inject('/')
    expect(hello.body).toBe('hello world')
    expect(performance.now() - start).toBeLessThan(DELAY_MS)
    expect((await work).json().mode).toBe('threads-wait')
  })

  it('burns CPU on the threads in cpu mode', async () => {
    const server = await subject({ threads: 1, delayMs: 100, work: 'cpu' })
    const start = performance.now()
    const res = await server.inject('/work')
    expect(performance.now() - start).toBeGreaterThanOrEqual(100 - EARLY_MS)
    expect(res.json()).toEqual({ ok: true, delayMs: 100, mode: 'threads-cpu' })
  })

  it('does not count requests waiting for a thread as active', async () => {
    const server = await subject({ threads: 1, delayMs: DELAY_MS })
    const running = concurrently(server, 3)
    await tick(DELAY_MS / 2)
    expect(server.subject.counters()).toMatchObject({ active: 1 })
    await running
    expect(server.subject.counters()).toMatchObject({ active: 0 })
  })

  it('runs new requests on a pool of the new size after a live change of threads', async () => {
    const server = await subject({ threads: 1, delayMs: DELAY_MS })
    server.subject.update(pickSubject(withDefaults({ threads: 4, delayMs: DELAY_MS })))
    await server.subject.ready()
    const elapsedMs = await concurrently(server, 4)
    expect(elapsedMs).toBeLessThan(3 * DELAY_MS)
  })

  it('finishes requests already on the old pool when threads change', async () => {
    const server = await subject({ threads: 1, delayMs: DELAY_MS })
    const onOldPool = concurrently(server, 2)
    await tick(DELAY_MS / 2)
    server.subject.update(pickSubject(withDefaults({ threads: 0, delayMs: 0 })))
    await onOldPool
    expect(server.subject.counters()).toMatchObject({ active: 0 })
    expect((await server.inject('/work')).json().mode).toBe('evented-wait')
  })
})
