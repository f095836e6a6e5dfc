/**
 * Three ways to push through the crowd's own swarm: `npx tsx bench/push-swarm.ts [--max N] [--ws-client N]`, or
 * `npm run bench -- push-swarm` (benchPushSwarm()). bench/push.ts measures the subject alone with bare sockets that
 * parse nothing; this one measures what the Lab's runs see, through SubscriberSwarm's clients. One table: for each transport (long polling, SSE, WebSocket) at 10,000 subscribers and at the
 * most this machine allows — the fan-out time (publish → the last subscriber has the message, clocks from
 * performance.timeOrigin + performance.now() in both processes; median of ROUNDS), the subject's memory per
 * connection after a forced GC (its JS heap per connection + Node's native constant, as the live figure is; and
 * the RSS difference beside it), and the subject's CPU time per delivered message (process.cpuUsage over the
 * rounds / the deliveries), and the crowd's CPU per delivery. Then the crowd's side alone: a fresh process's RSS per
 * subscriber and CPU per delivered message with the swarm's raw WebSocket client, against the `ws` package's client
 * at the same count (each in its own process, so neither inherits the other's high-water mark) — the measurement that
 * justifies hand-writing the clients (DESIGN.md: undici subscribers cost 12 KB each and fan out ~3× slower).
 *
 * The subject (Fastify + the long-poll plugin, which serves /wait, /events and /ws) runs in a child process: one
 * process cannot hold both ends of 19,000 connections within a 20,000-file limit. Everything is bounded: a watchdog
 * fails the run, and the child exits when this process goes away.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { ask as askChild, listenBenchSubject } from './child-ipc'
import { SubscriberSwarm, maxSubscribers } from '../src/main/lab/crowd/subscribers'
import { bytesPerConnection, sampleMemory, type MemorySample } from '../src/main/lab/subject/memory-probe'
import { PUSH_TRANSPORTS, WS_PATH, type PushTransport } from '../src/shared/wire'

type ToChild =
  | { type: 'memory' }
  | { type: 'open'; transport: PushTransport }
  | { type: 'publish'; text: string }
  | { type: 'cpu' }
  | { type: 'close' }
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'memory'; memory: MemorySample }
  | { type: 'open'; open: number }
  | { type: 'published'; id: number; publishedAt: number }
  | { type: 'cpu'; us: number }

const ROUNDS = 3
const WATCHDOG_MS = 240_000
const OPEN_TIMEOUT_MS = 60_000
const FANOUT_TIMEOUT_MS = 20_000
/** the goals of issue 14 */
const FANOUT_GOAL_MS: Record<PushTransport, number> = { 'long-poll': 200, sse: 120, websocket: 120 }
const MEMORY_GOAL_BYTES: Record<PushTransport, number> = { 'long-poll': 6 * 1024, sse: 4 * 1024, websocket: 4 * 1024 }

// ── the subject (child) ─────────────────────────────────────────────────────────────────────────────────────────
async function runSubject(): Promise<void> {
  const send = (m: FromChild): void => void process.send!(m)
  const app = await listenBenchSubject({ keepAliveTimeout: 65_000, forceCloseConnections: true })
  process.on('message', (m: ToChild) => {
    switch (m.type) {
      case 'memory': {
        const memory = sampleMemory(app.longPoll.connections(), app.longPoll.held())
        if (!memory) throw new Error('gc() is not available in the subject')
        send({ type: 'memory', memory })
        break
      }
      case 'open':
        send({ type: 'open', open: app.longPoll.push()[m.transport].open })
        break
      case 'publish': {
        void app.longPoll
          .publish(m.text)
          .then((message) => send({ type: 'published', id: message.id, publishedAt: message.publishedAt }))
        break
      }
      case 'cpu': {
        const u = process.cpuUsage()
        send({ type: 'cpu', us: u.user + u.system })
        break
      }
      case 'close':
        void app.close().then(() => process.exit(0))
        break
    }
  })
  send({ type: 'listening', port: (app.server.address() as { port: number }).port })
}

// ── the measurement (parent) ────────────────────────────────────────────────────────────────────────────────────
const ask = <T extends FromChild['type']>(
  child: ChildProcess,
  message: ToChild | null,
  answer: T
): Promise<Extract<FromChild, { type: T }>> => askChild<FromChild, T>(child, message, answer)

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const gcHere = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const nowMs = (): number => performance.timeOrigin + performance.now()
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const cpuHereUs = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const start = performance.now()
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
  return performance.now() - start
}

interface Row {
  transport: PushTransport
  n: number
  openMs: number
  fanoutMs: number
  fanouts: number[]
  bytesPerConnection: number
  subjectCpuUs: number
  crowdCpuUs: number
}

/** the subject's next message id: only this bench publishes, from 1 */
const ids = { next: 1 }

/**
 * ROUNDS publishes; each waits until every subscriber has the message; returns publish → last, ms. The count is
 * reset for the id before publishing: subscribers' messages may arrive before the child's IPC reply does.
 */
function rounds(subject: ChildProcess, expect: () => { got: number; lastAtMs: number; reset(id: number): void }) {
  return async (n: number): Promise<number[]> => {
    const out: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      await sleep(150)
      const wanted = ids.next++
      expect().reset(wanted)
      const { id, publishedAt } = await ask(subject, { type: 'publish', text: `round ${wanted}` }, 'published')
      if (id !== wanted) throw new Error(`expected message ${wanted}, the subject published ${id}`)
      await until(`every subscriber to have message ${id}`, () => expect().got >= n, FANOUT_TIMEOUT_MS)
      out.push(expect().lastAtMs - publishedAt)
    }
    return out
  }
}

async function measureTransport(
  subject: ChildProcess,
  origin: string,
  transport: PushTransport,
  n: number
): Promise<Row> {
  let wanted = -1
  let got = 0
  let lastAtMs = 0
  const swarm = new SubscriberSwarm({
    origin,
    pollTimeoutMs: 120_000,
    transport,
    onMessages: (_i, messages, receivedAtMs) => {
      if (messages[messages.length - 1]!.id !== wanted) return
      got++
      if (receivedAtMs > lastAtMs) lastAtMs = receivedAtMs
    }
  })
  try {
    await sleep(300)
    const base = (await ask(subject, { type: 'memory' }, 'memory')).memory
    swarm.setCount(n)
    const openMs = await until(
      `${n} open on ${transport}`,
      async () => (await ask(subject, { type: 'open', transport }, 'open')).open >= n,
      OPEN_TIMEOUT_MS
    )
    await sleep(300)
    const m = (await ask(subject, { type: 'memory' }, 'memory')).memory
    const cpuBefore = (await ask(subject, { type: 'cpu' }, 'cpu')).us
    const crowdCpuBefore = cpuHereUs()
    const fanouts = await rounds(subject, () => ({
      got,
      lastAtMs,
      reset: (id) => ((wanted = id), (got = 0), (lastAtMs = 0))
    }))(n)
    const cpuAfter = (await ask(subject, { type: 'cpu' }, 'cpu')).us
    const crowdCpuAfter = cpuHereUs()
    const deliveries = n * ROUNDS
    return {
      transport,
      n,
      openMs,
      fanoutMs: median(fanouts),
      fanouts,
      bytesPerConnection: bytesPerConnection(m, base) ?? 0,
      // the rounds' 150-ms pauses are idle, so the CPU is the fan-outs' (and a few reports')
      subjectCpuUs: (cpuAfter - cpuBefore) / deliveries,
      crowdCpuUs: (crowdCpuAfter - crowdCpuBefore) / deliveries
    }
  } finally {
    await swarm.close()
    await until(
      `the ${transport} subscribers to leave`,
      async () => (await ask(subject, { type: 'open', transport }, 'open')).open === 0,
      20_000
    ).catch(() => 0)
  }
}

// ── the crowd's client, alone in a fresh process (raw swarm or the ws package): its RSS and CPU are its own ──────
type ToClient = { type: 'expect'; id: number } | { type: 'cpu' } | { type: 'close' }
type FromClient =
  | { type: 'ready'; rssPerSubscriber: number }
  | { type: 'all'; id: number; lastAtMs: number }
  | { type: 'cpu'; us: number }

async function runClient(kind: 'raw' | 'ws', port: number, n: number): Promise<void> {
  const send = (m: FromClient): void => void process.send!(m)
  process.on('disconnect', () => process.exit(0))
  let wanted = -1
  let got = 0
  let lastAtMs = 0
  const seen = (id: number, at: number): void => {
    if (id !== wanted) return
    if (at > lastAtMs) lastAtMs = at
    if (++got === n) send({ type: 'all', id, lastAtMs })
  }
  gcHere()
  const base = process.memoryUsage.rss()
  if (kind === 'raw') {
    const swarm = new SubscriberSwarm({
      origin: `http://127.0.0.1:${port}`,
      pollTimeoutMs: 120_000,
      transport: 'websocket',
      onMessages: (_i, ms, at) => seen(ms[ms.length - 1]!.id, at)
    })
    swarm.setCount(n)
    await until(
      'the raw clients to connect',
      () => (swarm.tick().transports.find((t) => t.transport === 'websocket')?.subscribers ?? 0) >= n,
      OPEN_TIMEOUT_MS
    )
  } else {
    for (let i = 0; i < n; i += 256) {
      await Promise.all(
        Array.from({ length: Math.min(256, n - i) }, () => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { perMessageDeflate: false })
          ws.on('message', (data: Buffer) => {
            const at = nowMs()
            const frame = JSON.parse(data.toString()) as { type: string; id?: number }
            if (frame.type === 'message') seen(frame.id!, at)
          })
          return new Promise<void>((res, rej) => {
            ws.once('open', () => res())
            ws.once('error', rej)
          })
        })
      )
    }
  }
  await sleep(300)
  gcHere()
  process.on('message', (m: ToClient) => {
    if (m.type === 'expect') {
      wanted = m.id
      got = 0
      lastAtMs = 0
    } else if (m.type === 'cpu') send({ type: 'cpu', us: cpuHereUs() })
    else process.exit(0)
  })
  send({ type: 'ready', rssPerSubscriber: (process.memoryUsage.rss() - base) / n })
}

/** One client kind in its own process against the subject's /ws: RSS per subscriber, CPU per delivery, fan-out. */
async function measureClient(
  subject: ChildProcess,
  port: number,
  kind: 'raw' | 'ws',
  n: number
): Promise<{ rssPerSubscriber: number; cpuUs: number; fanoutMs: number }> {
  const client = fork(fileURLToPath(import.meta.url), ['--client', kind, String(port), String(n)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const from = <T extends FromClient['type']>(type: T, message?: ToClient): Promise<Extract<FromClient, { type: T }>> =>
    askChild<FromClient, T>(client, message ?? null, type)
  try {
    const { rssPerSubscriber } = await from('ready')
    const before = (await from('cpu', { type: 'cpu' })).us
    const fanouts: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      await sleep(150)
      const wanted = ids.next++
      const all = from('all')
      client.send({ type: 'expect', id: wanted } satisfies ToClient)
      await sleep(20)
      const { id, publishedAt } = await ask(subject, { type: 'publish', text: `round ${wanted}` }, 'published')
      if (id !== wanted) throw new Error(`expected message ${wanted}, the subject published ${id}`)
      const done = await Promise.race([all, sleep(FANOUT_TIMEOUT_MS).then(() => null)])
      if (!done) throw new Error(`the ${kind} clients did not all get message ${id}`)
      fanouts.push(done.lastAtMs - publishedAt)
    }
    const after = (await from('cpu', { type: 'cpu' })).us
    return { rssPerSubscriber, cpuUs: (after - before) / (n * ROUNDS), fanoutMs: median(fanouts) }
  } finally {
    client.kill()
    await until(
      'the clients to leave',
      async () => (await ask(subject, { type: 'open', transport: 'websocket' }, 'open')).open === 0,
      20_000
    ).catch(() => 0)
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`
const ratio = (value: number, goal: number): string => `${(value / goal).toFixed(2)}×`

/** Runs the measurement; returns the report's lines (and prints them as they come when `print` is set). */
export async function benchPushSwarm(
  options: { max?: number; wsClients?: number; print?: boolean } = {}
): Promise<string[]> {
  const lines: string[] = []
  const say = (line: string): void => {
    lines.push(line)
    if (options.print) console.log(line)
  }
  const limit = maxSubscribers()
  const max = Math.min(options.max ?? limit.max, limit.max)
  const counts = [...new Set([Math.min(10_000, max), max])]
  say(
    `open-file limit ${limit.limit} (${limit.reason}); subscribers at most ${limit.max}; measuring ${counts.join(', ')}`
  )
  const subject = fork(fileURLToPath(import.meta.url), ['--subject'], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  process.once('exit', () => subject.kill())
  let watchdog: NodeJS.Timeout | undefined
  const gaveUp = new Promise<never>((_r, reject) => {
    watchdog = setTimeout(() => reject(new Error(`gave up after ${WATCHDOG_MS / 1000} s`)), WATCHDOG_MS)
  })
  try {
    const { port } = await Promise.race([gaveUp, ask(subject, null, 'listening')])
    const origin = `http://127.0.0.1:${port}`
    const rows: Row[] = []
    for (const transport of PUSH_TRANSPORTS)
      for (const n of counts) rows.push(await Promise.race([gaveUp, measureTransport(subject, origin, transport, n)]))
    say('')
    say(
      '| transport | subscribers | connect all | fan-out median (goal) | subject memory / connection after GC (goal) | subject CPU / delivery | crowd CPU / delivery |'
    )
    say('| --- | --- | --- | --- | --- | --- | --- |')
    for (const r of rows) {
      say(
        `| ${r.transport} | ${r.n.toLocaleString('en-US')} | ${(r.openMs / 1000).toFixed(1)} s | ${r.fanoutMs.toFixed(0)} ms (${ratio(r.fanoutMs, FANOUT_GOAL_MS[r.transport])} of ${FANOUT_GOAL_MS[r.transport]}; ${r.fanouts.map((f) => f.toFixed(0)).join(', ')}) ` +
          `| ${kb(r.bytesPerConnection)} (${ratio(r.bytesPerConnection, MEMORY_GOAL_BYTES[r.transport])} of ${kb(MEMORY_GOAL_BYTES[r.transport])}) ` +
          `| ${r.subjectCpuUs.toFixed(1)} µs | ${r.crowdCpuUs.toFixed(1)} µs |`
      )
    }
    const wsN = options.wsClients ?? 10_000
    if (wsN > 0) {
      const raw = await Promise.race([gaveUp, measureClient(subject, port, 'raw', wsN)])
      const lib = await Promise.race([gaveUp, measureClient(subject, port, 'ws', wsN)])
      say('')
      say(
        `the crowd's WebSocket client, ${wsN.toLocaleString('en-US')} in a fresh process each: raw (ours) vs the ws package's`
      )
      say(
        `  RSS per subscriber: raw ${kb(raw.rssPerSubscriber)}, ws ${kb(lib.rssPerSubscriber)} (ws / raw ${(lib.rssPerSubscriber / raw.rssPerSubscriber).toFixed(2)}×)`
      )
      say(
        `  CPU per delivered message: raw ${raw.cpuUs.toFixed(1)} µs, ws ${lib.cpuUs.toFixed(1)} µs (ws / raw ${(lib.cpuUs / raw.cpuUs).toFixed(2)}×)`
      )
      say(`  fan-out median: raw ${raw.fanoutMs.toFixed(0)} ms, ws ${lib.fanoutMs.toFixed(0)} ms`)
    }
    return lines
  } finally {
    clearTimeout(watchdog)
    subject.send({ type: 'close' } satisfies ToChild)
    await new Promise((r) => setTimeout(r, 200))
    if (subject.exitCode === null) subject.kill()
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])
if (process.argv.includes('--subject')) void runSubject()
else if (process.argv.includes('--client')) {
  const at = process.argv.indexOf('--client')
  void runClient(process.argv[at + 1] as 'raw' | 'ws', Number(process.argv[at + 2]), Number(process.argv[at + 3]))
} else if (isMain) {
  const arg = (name: string): number | undefined => {
    const at = process.argv.indexOf(name)
    return at > 0 ? Number(process.argv[at + 1]) : undefined
  }
  benchPushSwarm({ print: true, max: arg('--max'), wsClients: arg('--ws-client') }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
}
