/**
 * A worker's side of the one backend of several processes (cluster-backend.ts): it asks the primary once, every
 * call gets the same address, and once the primary says the backend ended, calls fail at once with a 502 and the
 * worker's report says the backend is down. And the primary's side, with a stand-in for the backend process: one
 * start for every worker, its end said once to the host and to every worker, none started once the subject stops.
 */
import { describe, expect, it } from 'vitest'
import type { ErrorInfo } from '../../src/shared/errors'
import type { ownBackend } from '../../src/main/lab/subject/backend-source'
import {
  BackendOfPrimary,
  ClusterBackend,
  isBackendDown,
  type BackendDown,
  type BackendUp
} from '../../src/main/lab/subject/cluster-backend'

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

/** A worker as the primary sees it: what it was sent. */
function fakeWorker(): { isConnected: () => boolean; send: (m: BackendDown) => boolean; got: BackendDown[] } {
  const got: BackendDown[] = []
  return { isConnected: () => true, send: (m) => (got.push(m), true), got }
}

/** The backend process, as the primary's side drives it: started on demand, listening, or ending, by the test. */
function standIn() {
  const starts: Parameters<typeof ownBackend>[0][] = []
  let listen!: (origin: string) => void
  let fail!: (err: Error) => void
  const origin = new Promise<string>((resolve, reject) => {
    listen = resolve
    fail = reject
  })
  origin.catch(() => {})
  let ended: string | null = null
  let closed = 0
  const start: typeof ownBackend = (opts) => {
    starts.push(opts)
    return { origin: () => origin, ended: () => ended, close: () => void closed++ }
  }
  return {
    start,
    starts,
    listen,
    fail,
    end(how: string) {
      ended = how
      starts[0]!.onExit({ code: 'LOOPSCOPE_ERR_UPSTREAM_EXITED', message: `ended (${how})` })
    },
    closed: () => closed
  }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe("the primary's side of the one backend", () => {
  function primary() {
    const backend = standIn()
    const errors: ErrorInfo[] = []
    const workers = [fakeWorker(), fakeWorker()]
    const side = new ClusterBackend(
      { error: (e) => errors.push(e), listening: () => {} },
      () => workers as never,
      backend.start
    )
    return { backend, errors, workers, side }
  }

  it('starts one backend for every worker that asks, and answers each with its address', async () => {
    const { backend, workers, side } = primary()
    expect(side.handle(workers[0]!, { type: 'backend-wanted' })).toBe(true)
    expect(side.handle(workers[1]!, { type: 'backend-wanted' })).toBe(true)
    backend.listen('http://127.0.0.1:4100')
    await tick()
    expect(backend.starts).toHaveLength(1)
    for (const w of workers) expect(w.got).toEqual([{ type: 'backend-at', origin: 'http://127.0.0.1:4100' }])
    // any other message is the caller's
    expect(side.handle(workers[0]!, { type: 'hb' })).toBe(false)
  })

  it('says an end once to the host and to every worker; a worker that asks later hears the same', async () => {
    const { backend, errors, workers, side } = primary()
    side.handle(workers[0]!, { type: 'backend-wanted' })
    backend.listen('http://127.0.0.1:4100')
    await tick()
    backend.end('signal SIGKILL')
    expect(errors).toHaveLength(1)
    for (const w of workers) expect(w.got.at(-1)).toEqual({ type: 'backend-ended', ended: 'signal SIGKILL' })
    const late = fakeWorker()
    side.handle(late, { type: 'backend-wanted' })
    expect(late.got).toEqual([{ type: 'backend-ended', ended: 'signal SIGKILL' }])
    expect(backend.starts).toHaveLength(1)
  })

  it('a start that fails is said to every worker that asked, with its reason', async () => {
    const { backend, workers, side } = primary()
    for (const w of workers) side.handle(w, { type: 'backend-wanted' })
    backend.fail(new Error('the backend could not be started: spawn ENOENT'))
    await tick()
    for (const w of workers)
      expect(w.got).toEqual([{ type: 'backend-failed', message: 'the backend could not be started: spawn ENOENT' }])
  })

  it('once the subject stops, ends the backend and starts none for a worker still asking', () => {
    const { backend, workers, side } = primary()
    side.handle(workers[0]!, { type: 'backend-wanted' })
    side.close()
    expect(backend.closed()).toBe(1)
    const asking = fakeWorker()
    side.handle(asking, { type: 'backend-wanted' })
    expect(asking.got).toEqual([{ type: 'backend-failed', message: 'the subject is stopping' }])
    expect(backend.starts).toHaveLength(1)
    // stopped before any worker asked: nothing is started at all
    const idle = primary()
    idle.side.close()
    idle.side.handle(idle.workers[0]!, { type: 'backend-wanted' })
    expect(idle.backend.starts).toHaveLength(0)
  })
})
