/** The front door alone, between a plain HTTP client and a tiny app on 127.0.0.1: hold, release order, failures. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { FrontDoor } from '../../src/main/lab/front-door'

let door: FrontDoor | null = null
let app: Server | null = null
afterEach(async () => {
  await door?.close()
  await new Promise<void>((r) => (app ? app.close(() => r()) : r()))
  door = app = null
})

/** An app that answers each path with its own name, and notes the order it was asked in. */
async function startApp(seen: string[]): Promise<number> {
  app = createServer((req, res) => {
    seen.push(req.url ?? '')
    res.end(`app ${req.url}`)
  })
  await new Promise<void>((r) => app!.listen(0, '127.0.0.1', () => r()))
  return (app.address() as AddressInfo).port
}

const get = (port: number, path: string) =>
  request(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.statusCode, body: await r.body.text() }))
const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('the front door', () => {
  it('passes requests and answers through while traffic flows', async () => {
    door = new FrontDoor()
    const port = await door.listen(0, '127.0.0.1')
    door.target(await startApp([]))
    expect(await get(port, '/work?x=1')).toEqual({ status: 200, body: 'app /work?x=1' })
    expect(door.counts()).toMatchObject({
      held: false,
      waiting: 0,
      atApp: 0,
      holds: 0,
      heldRequests: 0,
      longestHoldMs: null
    })
  })

  it('holds every request while held, sends none to the app, and releases them in the order they came', async () => {
    const seen: string[] = []
    door = new FrontDoor()
    const port = await door.listen(0, '127.0.0.1')
    door.target(await startApp(seen))
    door.hold()
    const answers: Promise<{ body: string }>[] = []
    for (const path of ['/a', '/b', '/c']) {
      answers.push(get(port, path))
      // each one in before the next, so "the order they came" is known
      for (let waited = 0; door.counts().waiting < answers.length && waited < 2000; waited += 5) await tick(5)
    }
    expect(door.counts()).toMatchObject({ held: true, waiting: 3, atApp: 0, holds: 1, heldRequests: 3 })
    expect(seen).toEqual([])
    await tick(100)
    door.release()
    expect((await Promise.all(answers)).map((a) => a.body)).toEqual(['app /a', 'app /b', 'app /c'])
    expect(seen).toEqual(['/a', '/b', '/c'])
    expect(door.counts().longestHoldMs).toBeGreaterThanOrEqual(100)
  })

  it('fails a request with no app listening by closing its connection, and counts it as refused', async () => {
    door = new FrontDoor()
    const port = await door.listen(0, '127.0.0.1')
    const closedPort = await startApp([])
    await new Promise<void>((r) => app!.close(() => r()))
    app = null
    door.target(closedPort)
    const err = await get(port, '/work').then(
      () => null,
      (e: { code?: string }) => e
    )
    expect(err?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/)
    expect(door.counts().failedAtApp).toEqual({ reset: 0, refused: 1 })
  })
})
