import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { pickSubject, withDefaults, type SettingsPatch } from '../../src/shared/settings'
import { buildSubject } from '../../src/main/lab/subject/build-subject'

const DELAY_MS = 100
/** Timers may fire a little early by the clock we read; a noisy 2-core machine can only make things later. */
const EARLY_MS = 5

let app: FastifyInstance | null = null

function subject(patch: SettingsPatch): FastifyInstance {
  app = buildSubject({ settings: pickSubject(withDefaults(patch)) })
  return app
}

/** Sends n requests at once; resolves with the wall time until the last answer, in ms. */
async function concurrently(server: FastifyInstance, n: number, url = '/work'): Promise<number> {
  const start = performance.now()
  const answers = await Promise.all(Array.from({ length: n }, () => server.inject(url)))
  for (const res of answers) expect(res.statusCode).toBe(200)
  return performance.now() - start
}

/** Starts a /work request and a hello-world request together; resolves with when each answered, in ms. */
async function helloDuringWork(server: FastifyInstance): Promise<{ workMs: number; helloMs: number }> {
  const start = performance.now()
  const since = (): number => performance.now() - start
  const [workMs, helloMs] = await Promise.all([
    server.inject('/work').then(since),
    new Promise((resolve) => setImmediate(resolve)).then(() => server.inject('/')).then(since)
  ])
  return { workMs, helloMs }
}

afterEach(async () => {
  await app?.close()
  app = null
})

describe('the demo handler', () => {
  it('takes at least delayMs for one request', async () => {
    const server = subject({ delayMs: 200 })
    expect(await concurrently(server, 1)).toBeGreaterThanOrEqual(200 - EARLY_MS)
  })

  it('overlaps concurrent evented waits', async () => {
    const elapsedMs = await concurrently(subject({ delayMs: DELAY_MS }), 10)
    expect(elapsedMs).toBeGreaterThanOrEqual(DELAY_MS - EARLY_MS)
    expect(elapsedMs).toBeLessThan(5 * DELAY_MS)
  })

  it('serialises concurrent blocking waits', async () => {
    const elapsedMs = await concurrently(subject({ delayMs: DELAY_MS, blocking: true }), 10)
    expect(elapsedMs).toBeGreaterThanOrEqual(10 * DELAY_MS - EARLY_MS)
  })

  it('answers hello world while an evented CPU request runs, between its slices', async () => {
    const { workMs, helloMs } = await helloDuringWork(subject({ delayMs: 300, work: 'cpu', blocking: false }))
    expect(workMs).toBeGreaterThanOrEqual(300 - EARLY_MS)
    expect(helloMs).toBeLessThan(workMs)
  })

  it('answers hello world only after a blocking CPU request ends', async () => {
    const { workMs, helloMs } = await helloDuringWork(subject({ delayMs: 300, work: 'cpu', blocking: true }))
    expect(workMs).toBeGreaterThanOrEqual(300 - EARLY_MS)
    expect(helloMs).toBeGreaterThanOrEqual(300 - EARLY_MS)
  })

  it('answers hello world only after a blocking wait ends', async () => {
    const { helloMs } = await helloDuringWork(subject({ delayMs: 300, blocking: true }))
    expect(helloMs).toBeGreaterThanOrEqual(300 - EARLY_MS)
  })

  it('applies a settings change to the next request', async () => {
    const server = subject({ delayMs: 0 })
    server.subject.update(pickSubject(withDefaults({ delayMs: 150, work: 'cpu', blocking: true })))
    const start = performance.now()
    const res = await server.inject('/work')
    expect(performance.now() - start).toBeGreaterThanOrEqual(150 - EARLY_MS)
    expect(res.json()).toEqual({ ok: true, delayMs: 150, mode: 'blocking-cpu' })
  })

  it('keeps the settings a request started with when they change while it runs', async () => {
    const server = subject({ delayMs: DELAY_MS })
    const running = server.inject('/work')
    await new Promise((resolve) => setTimeout(resolve, 20))
    server.subject.update(pickSubject(withDefaults({ delayMs: 0 })))
    expect((await running).json().delayMs).toBe(DELAY_MS)
  })

  it('counts a request as active while its work runs', async () => {
    const server = subject({ delayMs: DELAY_MS })
    const running = Promise.all([server.inject('/work'), server.inject('/work')])
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS / 2))
    expect(server.subject.counters()).toEqual({
      active: 2,
      held: 0,
      published: 0,
      libuvPool: { size: 4, busy: 0, waiting: 0, fileReadMs: null }
    })
    await running
    expect(server.subject.counters().active).toBe(0)
  })
})
