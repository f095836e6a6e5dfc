/**
 * The crowd's warm-up against a raw server that answers one connection's hello only after the warm-up's 5-s bound:
 * that late answer must not be taken for the answer to the run's first request on the connection.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { LoadGenerator } from '../../src/main/lab/crowd/load-generator'
import { withDefaults } from '../../src/shared/settings'

let server: Server | null = null
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

const answer = (socket: Socket, status: number, body: string): void => {
  socket.write(`HTTP/1.1 ${status} X\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`)
}

it('closes a connection whose hello is still unanswered at the bound, so no request is credited with it', async () => {
  let connections = 0
  server = createServer((socket) => {
    const late = ++connections === 2
    // HTTP/1.1 answers in order: each request's answer waits for the one before it on the connection
    let previous = Promise.resolve()
    const after = (ms: number, status: number, body: string): void => {
      previous = previous
        .then(() => new Promise<void>((r) => setTimeout(r, ms)))
        .then(() => {
          if (!socket.destroyed) answer(socket, status, body)
        })
    }
    socket.on('data', (chunk) => {
      for (const line of chunk
        .toString('latin1')
        .split('\r\n')
        .filter((l) => l.startsWith('GET '))) {
        // the hello ('/') is answered 404, so a request credited with it would count as an error
        if (line.startsWith('GET / ')) after(late ? 6_000 : 0, 404, 'hello')
        else after(50, 200, 'work')
      }
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  const settings = withDefaults({ mode: 'closed', concurrency: 2, requests: 4, route: 'work', timeoutMs: 10_000 })
  let done: (reason: string) => void = () => {}
  const finished = new Promise<string>((r) => (done = r))
  const load = new LoadGenerator(`http://127.0.0.1:${port}`, settings, (reason) => done(reason))
  await load.warmUp()
  load.start()
  expect(await finished).toBe('requests')
  const tick = load.tick()
  expect(tick.completed).toBe(4)
  expect(Object.values(tick.errors).reduce((a, b) => a + b, 0)).toBe(0)
  // every answer came from /work, which takes 50 ms
  expect(tick.latencyMinMs).toBeGreaterThanOrEqual(45)
  await load.stop()
}, 20_000)
