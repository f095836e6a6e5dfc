/**
 * The three push transports' fan-out, measured alike: `npx tsx bench/push.ts [--n N] [--max]`, or
 * `npm run bench -- push` (benchPush()). Long polling's own, fuller figures (the swarm, the live figure):
 * bench/long-poll.ts.
 *
 * The subject (Fastify + the broadcast plugin) runs in a child process with --expose-gc, as in bench/long-poll.ts
 * (one process cannot hold both ends of 19,000 connections within a 20,000-file limit). This process opens N raw
 * TCP subscribers per transport — a GET /wait again after each answer, a GET /events, or a WebSocket upgrade and
 * then nothing but reading — so the client
 * side does no parsing that could be what limits the figure: each looks for the round's marker text in what it
 * reads. For each transport it prints:
 *   - fan-out: publish → the last subscriber has the message (clocks: performance.timeOrigin + performance.now()
 *     in both processes), over ROUNDS rounds, and the subject's synchronous publish call (serialise, frame once,
 *     write to every socket) with its cost per delivery;
 *   - the subject's memory per connection after a forced GC on both sides of the subtraction (N open, none open):
 *     RSS, and RSS without the heap's empty pages, beside the goal (4 KB; long polling 6 KB).
 * Bounded: a watchdog gives up, the child exits when this process goes away, connecting is 500 at a time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { ask as askChild, listenBenchSubject } from './child-ipc'
import { connect, type Socket } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { maxSubscribers } from '../src/main/lab/crowd/subscriber-limits'
import { sampleMemory, type MemorySample } from '../src/main/lab/subject/memory-probe'
import type { PushTransport } from '../src/shared/wire'

type ToChild =
  { type: 'rss' } | { type: 'open'; transport: PushTransport } | { type: 'publish'; text: string } | { type: 'close' }
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'rss'; memory: MemorySample }
  | { type: 'open'; open: number }
  | { type: 'published'; publishedAt: number; publishMs: number }

const ROUNDS = 5
/** The goals: SSE and WebSocket 120 ms and 4 KB, long polling 200 ms and 6 KB. */
const GOAL_FANOUT_MS: Record<PushTransport, number> = { 'long-poll': 200, sse: 120, websocket: 120 }
const GOAL_BYTES_PER_CONNECTION: Record<PushTransport, number> = {
  'long-poll': 6 * 1024,
  sse: 4 * 1024,
  websocket: 4 * 1024
}
const CONNECT_BATCH = 500
const WATCHDOG_MS = 240_000
const OPEN_TIMEOUT_MS = 60_000
const FANOUT_TIMEOUT_MS = 30_000

// ── the subject (child) ─────────────────────────────────────────────────────────────────────────────────────────
async function runSubject(): Promise<void> {
  const send = (m: FromChild): void => void process.send!(m)
  const app = await listenBenchSubject({ forceCloseConnections: true })
  process.on('message', (m: ToChild) => {
    switch (m.type) {
      case 'rss': {
        const push = app.longPoll.push()
        const memory = sampleMemory(
          app.longPoll.connections(),
          push['long-poll'].open + push.sse.open + push.websocket.open
        )
        if (!memory) throw new Error('gc() is not available in the subject')
        send({ type: 'rss', memory })
        break
      }
      case 'open':
        send({ type: 'open', open: app.longPoll.push()[m.transport].open })
        break
      case 'publish': {
        const start = performance.now()
        // one process's own log: every subscriber has it by the time publish returns (the promise is already settled)
        const published = app.longPoll.publish(m.text)
        const publishMs = performance.now() - start
        void published.then((message) => send({ type: 'published', publishedAt: message.publishedAt, publishMs }))
        break
      }
      case 'close':
        void app.close().then(() => process.exit(0))
        break
    }
  })
  send({ type: 'listening', port: (app.server.address() as { port: number }).port })
}

// ── the subscribers (this process) ──────────────────────────────────────────────────────────────────────────────
function request(transport: PushTransport, port: number): string {
  if (transport === 'long-poll') return `GET /wait HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`
  return transport === 'sse'
    ? `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`
    : `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
}

/** N raw subscribers; each notes when it first reads the current marker (a marker never spans two reads: a
 *  message is one write of under 200 bytes, and the tail of the previous read is kept in case). A long-poll one
 *  then asks again for the next message (GET /wait on the same keep-alive socket), as a subscriber does. */
class Subscribers {
  readonly sockets: Socket[] = []
  marker = '\u0000'
  got = 0
  lastAtMs = 0

  async open(transport: PushTransport, port: number, n: number): Promise<void> {
    const head = request(transport, port)
    const again = transport === 'long-poll'
    for (let i = 0; i < n; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => this.one(port, head, again))
      await Promise.all(batch)
    }
  }

  private one(port: number, head: string, again: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      socket.setEncoding('latin1')
      let tail = ''
      let seen = ''
      socket.on('data', (chunk: string) => {
        const text = tail + chunk
        tail = chunk.slice(-32)
        if (seen !== this.marker && text.includes(this.marker)) {
          seen = this.marker
          this.got++
          const at = performance.timeOrigin + performance.now()
          if (at > this.lastAtMs) this.lastAtMs = at
          if (again) socket.write(head)
        }
      })
      socket.once('connect', () => {
        socket.write(head)
        resolve()
      })
      socket.once('error', reject)
      this.sockets.push(socket)
    })
  }

  arm(marker: string): void {
    this.marker = marker
    this.got = 0
    this.lastAtMs = 0
  }

  close(): void {
    for (const socket of this.sockets.splice(0)) socket.destroy()
  }
}

// ── the measurement ─────────────────────────────────────────────────────────────────────────────────────────────
const ask = <T extends FromChild['type']>(
  child: ChildProcess,
  message: ToChild | null,
  answer: T
): Promise<Extract<FromChild, { type: T }>> => askChild<FromChild, T>(child, message, answer)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Until the subject has n of this transport open. */
async function waitOpen(child: ChildProcess, transport: PushTransport, n: number): Promise<void> {
  const start = performance.now()
  for (;;) {
    const { open } = await ask(child, { type: 'open', transport }, 'open')
    if (open >= n) return
    if (performance.now() - start > OPEN_TIMEOUT_MS) throw new Error(`only ${open} of ${n} ${transport} open`)
    await sleep(50)
  }
}

function forkSubject(): ChildProcess {
  const child = fork(fileURLToPath(import.meta.url), ['--subject'], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  process.once('exit', () => child.kill())
  return child
}

interface Figures {
  transport: PushTransport
  n: number
  fanoutMs: number
  publishMs: number
  bytesPerConnection: number
  rssPerConnection: number
}

/** One transport at n subscribers, in a subject process of its own (RSS after another transport's run would
 *  still hold what its connections left behind: heap pages, the allocator's free lists). */
async function measure(
  transport: PushTransport,
  n: number,
  say: (line: string) => void,
  firstRound: number
): Promise<Figures> {
  const child = forkSubject()
  const subscribers = new Subscribers()
  try {
    const { port } = await ask(child, null, 'listening')
    await sleep(200)
    const base = (await ask(child, { type: 'rss' }, 'rss')).memory
    const opening = performance.now()
    await subscribers.open(transport, port, n)
    await waitOpen(child, transport, n)
    const openMs = performance.now() - opening
    await sleep(300)
    const m = (await ask(child, { type: 'rss' }, 'rss')).memory
    const slack = (x: MemorySample): number => x.heapPhysicalBytes - x.heapUsedBytes
    const rssPer = (m.rssBytes - base.rssBytes) / n
    const cleanPer = (m.rssBytes - slack(m) - (base.rssBytes - slack(base))) / n
    const heapPer = (m.heapUsedBytes + m.externalBytes - base.heapUsedBytes - base.externalBytes) / n
    say(`\n${transport}, ${n} subscribers: all open in ${openMs.toFixed(0)} ms`)
    say(
      `  subject memory per connection after a GC: RSS ${kb(rssPer)}, without the heap's empty pages ` +
        `${kb(cleanPer)} (of it JS heap ${kb(heapPer)}); goal ${kb(GOAL_BYTES_PER_CONNECTION[transport])}: ` +
        `${(cleanPer / GOAL_BYTES_PER_CONNECTION[transport]).toFixed(2)}× (RSS ${(rssPer / GOAL_BYTES_PER_CONNECTION[transport]).toFixed(2)}×)`
    )
    const fanouts: number[] = []
    const publishes: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      // long polling: every subscriber held again (its re-poll has come) before the next publish
      await waitOpen(child, transport, n)
      const marker = `mark-${firstRound + r}-end`
      subscribers.arm(marker)
      const { publishedAt, publishMs } = await ask(child, { type: 'publish', text: marker }, 'published')
      const start = performance.now()
      while (subscribers.got < n) {
        if (performance.now() - start > FANOUT_TIMEOUT_MS)
          throw new Error(`only ${subscribers.got} of ${n} got ${marker}`)
        await sleep(2)
      }
      fanouts.push(subscribers.lastAtMs - publishedAt)
      publishes.push(publishMs)
      await sleep(200)
    }
    const fan = median(fanouts)
    const pub = median(publishes)
    say(
      `  fan-out (publish → last subscriber has it): median ${fan.toFixed(0)} ms, all ${fanouts.map((f) => f.toFixed(0)).join(', ')} ms; ` +
        `goal ${GOAL_FANOUT_MS[transport]} ms: ${(fan / GOAL_FANOUT_MS[transport]).toFixed(2)}×`
    )
    say(
      `  the subject's publish call (frame once, write to each): median ${pub.toFixed(1)} ms, ` +
        `${((pub * 1000) / n).toFixed(2)} µs per delivery; all ${publishes.map((p) => p.toFixed(1)).join(', ')} ms`
    )
    return { transport, n, fanoutMs: fan, publishMs: pub, bytesPerConnection: cleanPer, rssPerConnection: rssPer }
  } finally {
    subscribers.close()
    if (child.exitCode === null) child.kill()
  }
}

export async function benchPush(options: { n?: number[]; print?: boolean } = {}): Promise<string[]> {
  const lines: string[] = []
  const say = (line: string): void => {
    lines.push(line)
    if (options.print) console.log(line)
  }
  const limit = maxSubscribers()
  const counts = (options.n ?? [10_000]).map((n) => Math.min(n, limit.max))
  say(
    `open-file limit ${limit.limit} (${limit.reason}); subscribers at most ${limit.max}; measuring ${counts.join(', ')}`
  )
  // the figures are times on a shared machine: say how shared it was
  say(
    `load average at the start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores`
  )
  let watchdog: NodeJS.Timeout | undefined
  const gaveUp = new Promise<never>((_r, reject) => {
    watchdog = setTimeout(() => reject(new Error(`gave up after ${WATCHDOG_MS / 1000} s`)), WATCHDOG_MS)
  })
  try {
    const table: Figures[] = []
    for (const n of counts) {
      for (const transport of ['long-poll', 'sse', 'websocket'] as const) {
        table.push(await Promise.race([gaveUp, measure(transport, n, say, table.length * ROUNDS + 1)]))
      }
    }
    say(
      `\nload average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`
    )
    say(
      '| transport | subscribers | fan-out, median (÷ goal) | subject publish call per delivery | memory per connection (÷ goal) | RSS per connection |'
    )
    say('| --- | --- | --- | --- | --- | --- |')
    for (const f of table) {
      say(
        `| ${f.transport} | ${f.n} | ${f.fanoutMs.toFixed(0)} ms (${(f.fanoutMs / GOAL_FANOUT_MS[f.transport]).toFixed(2)}×) | ` +
          `${((f.publishMs * 1000) / f.n).toFixed(2)} µs | ${kb(f.bytesPerConnection)} ` +
          `(${(f.bytesPerConnection / GOAL_BYTES_PER_CONNECTION[f.transport]).toFixed(2)}×) | ${kb(f.rssPerConnection)} |`
      )
    }
  } finally {
    clearTimeout(watchdog)
  }
  return lines
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])
if (process.argv.includes('--subject')) void runSubject()
else if (isMain) {
  const at = process.argv.indexOf('--n')
  const n =
    at > 0
      ? process.argv[at + 1]!.split(',').map(Number)
      : process.argv.includes('--max')
        ? [10_000, Infinity]
        : undefined
  benchPush({ print: true, n }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
}
