/**
 * A worker's side of the one backend of several processes (cluster-backend.ts): it asks the primary once, every
 * call gets the same address, and once the primary says the backend ended, calls fail at once with a 502 and the
 * worker's report says the backend is down.
 */
import { describe, expect, it } from 'vitest'
import { BackendOfPrimary, isBackendDown, type BackendUp } from '../../src/main/lab/subject/cluster-backend'

function worker(): { backend: BackendOfPrimary; asked: BackendUp[] } {
  const asked: BackendUp[] = []
  return { backend: new BackendOfPrimary((m) => asked.push(m)), asked }
}

describe("a worker's side of the primary's backend", () => {
  it('asks the primary once, however many calls want the address, and each gets it', async () => {
    const { backend, asked } = worker()
    const first = backend.origin()
    const second = backend.origin()
    expect(asked).toEqual([{ type: 'backend-wanted' }])
    backend.receive({ type: 'backend-at', origin: 'http://127.0.0.1:4100' })
    expect(await first).toBe('http://127.0.0.1:4100')
    expect(await second).toBe('http://127.0.0.1:4100')
    expect(await backend.origin()).toBe('http://127.0.0.1:4100')
    expect(asked).toHaveLength(1)
    expect(backend.ended()).toBeNull()
  })

  it('a backend that could not start fails the waiting call with the reason, as a 502', async () => {
    const { backend } = worker()
    const call = backend.origin()
    backend.receive({ type: 'backend-failed', message: 'the backend did not start within 10 s' })
    await expect(call).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_UPSTREAM_FAILED',
      statusCode: 502,
      message: 'the backend did not start within 10 s'
    })
  })

  it('once the backend ended, says how, and every call fails at once: the one waiting and the ones after', async () => {
    const { backend, asked } = worker()
    const waiting = backend.origin()
    backend.receive({ type: 'backend-ended', ended: 'signal SIGKILL' })
    await expect(waiting).rejects.toMatchObject({
      statusCode: 502,
      message: 'the backend process has ended (signal SIGKILL)'
    })
    expect(backend.ended()).toBe('signal SIGKILL')
    await expect(backend.origin()).rejects.toMatchObject({ statusCode: 502 })
    expect(asked).toHaveLength(1)
  })

  it("tells the primary's messages from the rest a worker gets", () => {
    expect(isBackendDown({ type: 'backend-at', origin: 'http://127.0.0.1:1' })).toBe(true)
    expect(isBackendDown({ type: 'backend-ended', ended: 'exit code 1' })).toBe(true)
    expect(isBackendDown({ type: 'bc', json: '{}' })).toBe(false)
    expect(isBackendDown({ type: 'stop' })).toBe(false)
    expect(isBackendDown(null)).toBe(false)
  })
})
