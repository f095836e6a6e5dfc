/**
 * The crowd's open loop against a raw server that holds its answers until the crowd's own queue has filled: what a
 * user reads in the latency chart must count from each request's *scheduled* time (no coordinated omission), and
 * `connections` bounds what is on the wire. No assertion here depends on how fast the machine is: the wait is
 * forced by the server's gate, and the scheduled times are fixed by the rate.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { LoadGenerator } from '../../src/main/lab/crowd/load-generator'
import { decodeHistogram, percentileMs } from '../../src/main/lab/histogram'
import { withDefaults, type Settings } from '../../src/shared/settings'

let server: Server | null = null
let load: LoadGenerator | null = null
afterEach(async () => {
  await load?.stop()
  load = null
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = null
})

const answer = (socket: Socket): void => {
  if (!socket.destroyed) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok')
}

/** A server that answers hellos at once and holds every /work request until `release()`; it counts the most
 * /work requests it held at one moment. */
async function gatedServer() {
  const held: Socket[] = []
  let released = false
  let open = 0
  let mostOpen = 0
  server = createServer((socket) => {
    socket.on('data', (chunk) => {
      for (const line of chunk
        .toString('latin1')
        .split('\r\n')
        .filter((l) => l.startsWith('GET '))) {
        if (line.startsWith('GET / ')) answer(socket)
        else if (released) answer(socket)
        else {
          held.push(socket)
          mostOpen = Math.max(mostOpen, ++open)
        }
      }
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    mostOpen: () => mostOpen,
    release: () => {
      released = true
      for (const s of held.splice(0)) answer(s)
    }
  }
}

/** Starts an open loop of /work requests on `load`; resolves to a promise of why it finished. */
async function startOpenLoop(origin: string, patch: Partial<Settings>): Promise<{ finished: Promise<string> }> {
  const settings = withDefaults({ mode: 'open', route: 'work', timeoutMs: 30_000, ...patch })
  let done: (reason: string) => void = () => {}
  const finished = new Promise<string>((r) => (done = r))
  load = new LoadGenerator(origin, settings, (reason) => done(reason))
  await load.warmUp()
  load.start()
  return { finished }
}

const until = async (ok: () => boolean): Promise<void> => {
  while (!ok()) await new Promise((r) => setTimeout(r, 5))
}

it('counts open-loop latency from the scheduled time: requests queued behind a stall report the wait', async () => {
  const gate = await gatedServer()
  // 100 a second on one connection: one request every 10 ms; the first is held, the others queue in the crowd
  const { finished } = await startOpenLoop(gate.origin, { ratePerS: 100, connections: 1, requests: 21 })
  // all 21 scheduled: the 21st is due 200 ms after the first, so request k (k = 1…20) was due 10·(20 − k) ms
  // before the gate opened, at least — and everything is answered at once after it opens
  await until(() => load!.inFlight() >= 21)
  gate.release()
  expect(await finished).toBe('requests')
  const tick = load!.tick()
  expect(tick.completed).toBe(21)
  const h = decodeHistogram(tick.latencyHistogram)!
  // requests 1…11 of 21 were due ≥ 90 ms before the gate opened, so the median is that wait at least; measured
  // from the actual send, only the first request (sent at its due time) would show it
  expect(percentileMs(h, 50)).toBeGreaterThanOrEqual(90)
  expect(tick.latencyMaxMs).toBeGreaterThanOrEqual(190)
}, 20_000)

it('keeps at most `connections` requests on the wire in the open loop; the rest wait in the crowd', async () => {
  const gate = await gatedServer()
  const { finished } = await startOpenLoop(gate.origin, {
    ratePerS: 200,
    connections: 3,
    concurrency: 10,
    requests: 12
  })
  await until(() => load!.inFlight() >= 12)
  expect(load!.unanswered().count).toBe(12)
  gate.release()
  expect(await finished).toBe('requests')
  expect(gate.mostOpen()).toBe(3)
}, 20_000)
