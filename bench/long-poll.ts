/**
 * Long-poll fan-out, measured: `npx tsx bench/long-poll.ts [--max N] [--live N]`, or `npm run bench -- long-poll`
 * (benchLongPoll()).
 *
 * The subject (Fastify + the long-poll plugin) runs in a child process — one process cannot hold both ends of
 * 19,000 connections within a 20,000-file limit — and reports its memory over IPC. This process runs the
 * SubscriberSwarm. For 10,000 subscribers and for the most this machine allows it prints: the time to get them all
 * held; the subject's memory per held connection, after a forced GC on both sides of the subtraction (with N held,
 * with none), before any fan-out: RSS (the bench's figure), RSS without the heap's empty pages, its JS-heap part
 * and its native part (RSS − the heap's resident size) beside the constant the live figure uses for it
 * (NATIVE_BYTES_PER_CONNECTION), and how long the forced GC held the loop; the crowd's RSS per subscriber; and the
 * fan-out time (publish → the last subscriber has the message, clocks from performance.timeOrigin +
 * performance.now() in both processes) over a few rounds.
 *
 * Then the live figure: a real Lab with `--live N` subscribers (2,000 and 10,000 by default; 0 skips it), held, then
 * publishing twice a second for 20 s, as the dashboard's tile shows it (the frames' bytesPerHeld), printed beside
 * the bench's figures with the ratios, and the run's long-poll books.
 * LP_CHILD_FLAGS="--cpu-prof ..." passes extra Node flags to the subject child (for profiling).
 * Everything is bounded: a watchdog fails the run and kills the child, and the child exits when this process goes
 * away.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { ask as askChild, listenBenchSubject } from './child-ipc'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodeFromCompressedBase64 } from 'hdr-histogram-js'
import { SubscriberSwarm, maxSubscribers } from '../src/main/lab/crowd/subscribers'
import { Lab } from '../src/main/lab/lab'
import {
  NATIVE_BYTES_PER_CONNECTION,
  bytesPerConnection,
  sampleMemory,
  type MemorySample
} from '../src/main/lab/subject/memory-probe'
import type { LongPollSummary } from '../src/shared/frame'

type ToChild = { type: 'rss' } | { type: 'held' } | { type: 'publish'; text: string } | { type: 'close' }
type FromChild =
  | { type: 'listening'; port: number }
  | { type: 'rss'; held: number; memory: MemorySample }
  | { type: 'held'; held: number }
  | { type: 'published'; id: number; publishedAt: number; wakeMs: number }

const ROUNDS = 5
const LIVE_DEFAULT = [2_000, 10_000]
const LIVE_PUBLISH_PER_S = 2
const LIVE_DURATION_S = 20
const WATCHDOG_MS = 480_000
const HELD_TIMEOUT_MS = 90_000
const FANOUT_TIMEOUT_MS = 30_000

// ── the subject (child) ─────────────────────────────────────────────────────────────────────────────────────────
async function runSubject(): Promise<void> {
  const send = (m: FromChild): void => void process.send!(m)
  const app = await listenBenchSubject({ keepAliveTimeout: 65_000 })
  process.on('message', (m: ToChild) => {
    switch (m.type) {
      case 'rss': {
        // the live probe's own sample: one forced full GC, then the memory
        const held = app.longPoll.held()
        const memory = sampleMemory(app.longPoll.connections(), held)
        if (!memory) throw new Error('gc() is not available in the subject')
        send({ type: 'rss', held, memory })
        break
      }
      case 'held':
        send({ type: 'held', held: app.longPoll.held() })
        break
      case 'publish': {
        const start = performance.now()
        // one process's own log: every waiter is woken by the time publish returns (the promise is already settled)
        const published = app.longPoll.publish(m.text)
        const wakeMs = performance.now() - start
        void published.then((message) =>
          send({ type: 'published', id: message.id, publishedAt: message.publishedAt, wakeMs })
        )
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
/** `close` is never sent by ask: the 'listening' wait passes it as a message that means "only wait". */
function ask<T extends FromChild['type']>(
  child: ChildProcess,
  message: ToChild,
  answer: T
): Promise<Extract<FromChild, { type: T }>> {
  return askChild<FromChild, T>(child, message.type === 'close' ? null : message, answer)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const gcHere = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

async function waitHeld(child: ChildProcess, n: number): Promise<number> {
  const start = performance.now()
  for (;;) {
    const { held } = await ask(child, { type: 'held' }, 'held')
    if (held >= n) return performance.now() - start
    if (performance.now() - start > HELD_TIMEOUT_MS)
      throw new Error(`only ${held} of ${n} held after ${HELD_TIMEOUT_MS} ms`)
    await sleep(50)
  }
}

/** Runs the measurement; returns the report's lines (and prints them as they come when `print` is set). */
export async function benchLongPoll(options: { max?: number; live?: number; print?: boolean } = {}): Promise<string[]> {
  const run: Run = { lines: [], print: options.print ?? false, child: null, swarm: null }
  let watchdog: NodeJS.Timeout | undefined
  const gaveUp = new Promise<never>((_resolve, reject) => {
    watchdog = setTimeout(() => reject(new Error(`gave up after ${WATCHDOG_MS / 1000} s`)), WATCHDOG_MS)
  })
  try {
    const bench = await Promise.race([gaveUp, measure(run, options.max)])
    for (const n of options.live === undefined ? LIVE_DEFAULT : options.live > 0 ? [options.live] : []) {
      await Promise.race([gaveUp, measureLive(run, n, bench)])
    }
    return run.lines
  } finally {
    clearTimeout(watchdog)
    await run.swarm?.close()
    if (run.child && run.child.exitCode === null) run.child.kill()
  }
}

interface Run {
  lines: string[]
  print: boolean
  child: ChildProcess | null
  swarm: SubscriberSwarm | null
}

/** The bench's memory figures per held connection at each count, bytes. */
type BenchMemory = Map<number, { rss: number; clean: number }>

async function measure(run: Run, maxAsked: number | undefined): Promise<BenchMemory> {
  const say = (line: string): void => {
    run.lines.push(line)
    if (run.print) console.log(line)
  }
  const limit = maxSubscribers()
  const max = maxAsked ?? limit.max
  const counts = [...new Set([10_000, max])].filter((n) => n <= limit.max)
  const figures: BenchMemory = new Map()
  say(
    `open-file limit ${limit.limit} (${limit.reason}); subscribers at most ${limit.max}; measuring ${counts.join(', ')}`
  )

  const subject = fork(fileURLToPath(import.meta.url), ['--subject'], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.LP_CHILD_FLAGS ?? '').split(' ').filter(Boolean)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  run.child = subject
  process.once('exit', () => subject.kill())
  const { port } = await ask(subject, { type: 'close' }, 'listening')
  const origin = `http://127.0.0.1:${port}`

  let wantedId = -1
  let nextId = 1
  let got = 0
  let lastAtMs = 0
  const subscribers = new SubscriberSwarm({
    origin,
    pollTimeoutMs: 120_000,
    onMessages: (_i, messages, receivedAtMs) => {
      if (messages[messages.length - 1]!.id !== wantedId) return
      got++
      if (receivedAtMs > lastAtMs) lastAtMs = receivedAtMs
    }
  })
  run.swarm = subscribers

  await sleep(200)
  const base = await ask(subject, { type: 'rss' }, 'rss')
  gcHere()
  const crowdBase = process.memoryUsage.rss()
  say(`subject RSS with nothing held: ${mb(base.memory.rssBytes)}`)

  for (const n of counts) {
    subscribers.setCount(n)
    const heldMs = await waitHeld(subject, n)
    await sleep(300)
    const withN = await ask(subject, { type: 'rss' }, 'rss')
    gcHere()
    const crowdRss = process.memoryUsage.rss()
    say(`\n${n} subscribers: all held in ${heldMs.toFixed(0)} ms`)
    const m = withN.memory
    const b = base.memory
    const perN = (bytes: number): number => bytes / m.connections
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`
    const rss = perN(m.rssBytes - b.rssBytes)
    const slack = (x: MemorySample): number => x.heapPhysicalBytes - x.heapUsedBytes
    const clean = perN(m.rssBytes - slack(m) - (b.rssBytes - slack(b)))
    const native = perN(m.rssBytes - m.heapPhysicalBytes - (b.rssBytes - b.heapPhysicalBytes))
    figures.set(n, { rss, clean })
    say(`  subject RSS ${mb(m.rssBytes)} after a GC: ${kb(rss)} per held connection (${m.connections} open)`)
    say(
      `  without the heap's empty pages (${mb(slack(b))} → ${mb(slack(m))}): ${kb(clean)} = JS heap ` +
        `${kb(perN(m.heapUsedBytes + m.externalBytes - b.heapUsedBytes - b.externalBytes))} + native ${kb(native)} ` +
        `(the live figure takes ${kb(NATIVE_BYTES_PER_CONNECTION)} for native: ${(native / NATIVE_BYTES_PER_CONNECTION).toFixed(2)}×)`
    )
    say(
      `  computed as the live figure is: ${kb(bytesPerConnection(m, b) ?? 0)}; the forced GC held the loop ${m.gcMs.toFixed(1)} ms`
    )
    say(
      `  crowd RSS ${mb(crowdRss)}: ${((crowdRss - crowdBase) / n / 1024).toFixed(2)} KB per subscriber (this process)`
    )

    const fanouts: number[] = []
    const wakes: number[] = []
    subscribers.tick()
    for (let round = 0; round < ROUNDS; round++) {
      await waitHeld(subject, n)
      await sleep(200)
      got = 0
      lastAtMs = 0
      // set before publishing: subscribers' answers may arrive before the child's IPC reply does
      wantedId = nextId++
      const { id, publishedAt, wakeMs } = await ask(subject, { type: 'publish', text: `round ${round}` }, 'published')
      if (id !== wantedId) throw new Error(`expected message ${wantedId}, the subject published ${id}`)
      const start = performance.now()
      while (got < n) {
        if (performance.now() - start > FANOUT_TIMEOUT_MS) throw new Error(`only ${got} of ${n} got message ${id}`)
        await sleep(5)
      }
      fanouts.push(lastAtMs - publishedAt)
      wakes.push(wakeMs)
    }
    const tick = subscribers.tick()
    const delivery = tick.transports.find((t) => t.transport === 'long-poll')!
    const histogram = delivery.deliveryHistogram ? decodeFromCompressedBase64(delivery.deliveryHistogram) : null
    const sorted = [...fanouts].sort((a, b) => a - b)
    say(
      `  fan-out (publish → last subscriber has it), ${ROUNDS} rounds: median ${sorted[Math.floor(ROUNDS / 2)]!.toFixed(0)} ms, ` +
        `min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}; all: ${fanouts.map((f) => f.toFixed(0)).join(', ')} ms`
    )
    say(`  the subject's synchronous wake loop: ${wakes.map((w) => w.toFixed(0)).join(', ')} ms`)
    if (histogram) {
      const p = (q: number): string => (histogram.getValueAtPercentile(q) / 1000).toFixed(1)
      say(
        `  delivery latency over all rounds: p50 ${p(50)} ms, p99 ${p(99)} ms, max ${p(100)} ms (${histogram.totalCount} deliveries)`
      )
    }
    say(`  errors ${delivery.errors}, timeouts ${delivery.timeouts}, limit note: ${tick.limitNote ?? 'none'}`)
  }

  await subscribers.close()
  const exited = new Promise((resolve) => subject.once('exit', resolve))
  subject.send({ type: 'close' } satisfies ToChild)
  await exited
  return figures
}

/**
 * A real Lab with `n` subscribers: held first, then publishing for LIVE_DURATION_S; what its frames say per held
 * connection (the subject samples once the count settles: after the subscribers connect, after the publisher's
 * connection opens, and after a nudge of the count by one late in the publishing), beside the bench's figures.
 */
async function measureLive(run: Run, n: number, bench: BenchMemory): Promise<void> {
  const say = (line: string): void => {
    run.lines.push(line)
    if (run.print) console.log(line)
  }
  say(
    `\nlive: a Lab with ${n} subscribers, held, then publishing ${LIVE_PUBLISH_PER_S}/s for ${LIVE_DURATION_S} s (closed loop c=1 beside)`
  )
  const lab = new Lab()
  const seen: { t: number; published: number; bytes: number }[] = []
  let held = 0
  let publishing = false
  lab.on('frame', (f) => {
    held = f.push?.held ?? held
    const v = f.push?.bytesPerHeld
    if (v != null && v !== seen.at(-1)?.bytes) seen.push({ t: f.t, published: f.push!.published, bytes: v })
  })
  const ended = new Promise<LongPollSummary | null>((resolve) => lab.once('summary', (s) => resolve(s.push)))
  try {
    await lab.start({ subscribers: n, publishRatePerS: 0, durationS: 600, concurrency: 1, delayMs: 100 })
    const start = performance.now()
    while (held < n && performance.now() - start < HELD_TIMEOUT_MS) await sleep(100)
    say(`  ${held} of ${n} held after ${((performance.now() - start) / 1000).toFixed(1)} s`)
    await sleep(2_000)
    await lab.update({ publishRatePerS: LIVE_PUBLISH_PER_S })
    publishing = true
    await sleep((LIVE_DURATION_S - 5) * 1000)
    await lab.update({ subscribers: n + 1 })
    await sleep(5_000)
  } finally {
    if (publishing) await lab.update({ publishRatePerS: 0 }).catch(() => undefined)
    await lab.stop()
  }
  const lp = await ended
  await lab.close()
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`
  say(
    `  the frames' memory per held connection, as it changed: ` +
      (seen.map((s) => `${kb(s.bytes)} (${(s.t / 1000).toFixed(1)} s, ${s.published} published)`).join(' → ') ||
        'never measured')
  )
  const live = seen.at(-1)?.bytes ?? null
  const own = bench.get(n) ?? bench.get(10_000)
  if (live !== null && own) {
    const at = bench.has(n) ? '' : ' (at 10,000)'
    say(`  live ${kb(live)} ÷ the bench's RSS figure${at} ${kb(own.rss)} = ${(live / own.rss).toFixed(2)}`)
    say(
      `  live ÷ the bench's figure without the heap's empty pages${at} ${kb(own.clean)} = ${(live / own.clean).toFixed(2)}`
    )
  }
  if (lp) {
    say(
      `  books: published ${lp.published}, owed ${lp.owed}, delivered ${lp.delivered}, undelivered ${lp.undelivered} ` +
        `(missed ${lp.missed}, in flight ${lp.inFlight}); the end waited ${lp.drainMs ?? 0} ms`
    )
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])
if (process.argv.includes('--subject')) void runSubject()
else if (isMain) {
  const arg = (name: string): number | undefined => {
    const at = process.argv.indexOf(name)
    return at > 0 ? Number(process.argv[at + 1]) : undefined
  }
  benchLongPoll({ print: true, max: arg('--max'), live: arg('--live') }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
}
