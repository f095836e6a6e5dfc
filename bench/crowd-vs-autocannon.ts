/**
 * Hello-world throughput of the crowd against autocannon's, in one run against the same subject, and the sampler's
 * cost: the crowd's hello-world req/s against an instrumented subject and an uninstrumented one.
 * Rounds alternate, pair by pair, so that a noisy neighbour hurts both sides of a pair alike; the ratio reported is
 * the median of the pairs' ratios (robust on a busy 2-core machine), beside the medians of the raw figures.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import type { CrowdStart, CrowdToHost, SubjectLaunch, SubjectProcess } from '../src/main/lab/protocol'
import { startWorker } from '../src/main/lab/start-worker'
import { spawnNodeSubject } from '../src/main/lab/subject/spawn-node'
import { pickSubject, withDefaults } from '../src/shared/settings'

const CONNECTIONS = 50
const crowdEntry = fileURLToPath(new URL('../src/main/lab/crowd/entry.ts', import.meta.url))

/**
 * A hello-world subject. `timeline`: each request's timeline in its reports (on unless false); `control`: its control
 * thread too (with the stack view unless `stacks: false`).
 */
export async function startSubject(
  instrument: boolean,
  opts: { timeline?: boolean; control?: SubjectLaunch['control'] } = {}
): Promise<{ origin: string; subject: SubjectProcess; pid: number }> {
  const { timeline = true, control } = opts
  const launch = { port: 0, settings: pickSubject(withDefaults({})), instrument, timeline, ...(control && { control }) }
  const subject = spawnNodeSubject()(launch)
  const { port, pid } = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    subject.onMessage((m) => m.type === 'listening' && resolve(m))
    subject.onExit((code) => reject(new Error(`subject exited with ${code}`)))
  })
  return { origin: `http://127.0.0.1:${port}`, subject, pid }
}

/**
 * ms a process's main thread has spent on a core (Linux schedstat, ns): unlike req/s, what a request costs the
 * subject's loop, whatever share of the cores the busy machine gave it meanwhile.
 */
export function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
}

export async function stopSubject(subject: SubjectProcess): Promise<void> {
  const exited = new Promise<void>((r) => subject.onExit(() => r()))
  subject.send({ type: 'stop' })
  await exited
}

/**
 * The real crowd worker, closed loop on GET /, for `seconds`; also how busy the crowd's own loop was. `stampSends`:
 * each request carries its send time (SENT_AT_HEADER), as in the Lab.
 */
export async function crowdRun(
  origin: string,
  seconds: number,
  concurrency = CONNECTIONS,
  stampSends = true
): Promise<{ rps: number; completed: number; crowdElu: number }> {
  const settings = withDefaults({ route: 'hello', concurrency, durationS: seconds, delayMs: 0 })
  const worker = startWorker(crowdEntry, {
    workerData: { origin, settings, gauges: new SharedArrayBuffer(4), stampSends } satisfies CrowdStart
  })
  let completed = 0
  // the crowd's own reading of its loop, tick by tick (read from this thread, it said ~100% where the crowd's own says ~40%)
  let idle = 0
  let active = 0
  const done = new Promise<{ firstSendAt: number | null; at: number }>((resolve, reject) => {
    worker.on('message', (m: CrowdToHost) => {
      if (m.type === 'tick') {
        completed += m.completed
        idle += m.loop?.idle ?? 0
        active += m.loop?.active ?? 0
      } else if (m.type === 'done') resolve(m)
      else if (m.type === 'error') reject(new Error(m.error.message))
    })
    worker.on('error', reject)
  })
  const d = await done
  const crowdElu = idle + active > 0 ? active / (idle + active) : NaN
  await worker.terminate()
  return { rps: completed / ((d.at - (d.firstSendAt ?? d.at)) / 1000), completed, crowdElu }
}

export async function crowdRps(
  origin: string,
  seconds: number,
  concurrency = CONNECTIONS,
  stampSends = true
): Promise<number> {
  return (await crowdRun(origin, seconds, concurrency, stampSends)).rps
}

export async function autocannonRps(origin: string, seconds: number): Promise<number> {
  const result = await autocannon({ url: origin + '/', connections: CONNECTIONS, pipelining: 1, duration: seconds })
  return result.requests.total / result.duration // autocannon reports its duration in seconds
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
export const pairRatio = (a: number[], b: number[]): number => median(a.map((x, i) => x / b[i]!))

/**
 * Hello-world req/s of two kinds of subject, `rounds` pairs, each measured on a fresh subject in ABBA order (see
 * abbaPairs). Beside req/s, the subject's main-thread CPU µs a request.
 */
export async function pairedHelloRps(
  rounds: number,
  seconds: number,
  start: (which: 'a' | 'b') => Promise<{ origin: string; subject: SubjectProcess; pid: number }>
): Promise<{ a: number[]; b: number[]; aCpuUs: number[]; bCpuUs: number[] }> {
  const measure = async (which: 'a' | 'b'): Promise<{ rps: number; cpuUs: number }> => {
    const { origin, subject, pid } = await start(which)
    await crowdRps(origin, 1) // warm-up: JIT and connections
    const cpuBefore = mainThreadCpuMs(pid)
    const run = await crowdRun(origin, seconds)
    const cpuMs = mainThreadCpuMs(pid) - cpuBefore
    await stopSubject(subject)
    return { rps: run.rps, cpuUs: (cpuMs * 1000) / Math.max(1, run.completed) }
  }
  const { a, b } = await abbaPairs(
    rounds,
    () => measure('a'),
    () => measure('b')
  )
  return {
    a: a.map((m) => m.rps),
    b: b.map((m) => m.rps),
    aCpuUs: a.map((m) => m.cpuUs),
    bCpuUs: b.map((m) => m.cpuUs)
  }
}

export async function benchCrowd(rounds = 7, seconds = 2): Promise<string[]> {
  const lines: string[] = []
  const { origin, subject } = await startSubject(true)
  await crowdRps(origin, 1) // warm-up: JIT and connections
  const ours: number[] = []
  const theirs: number[] = []
  const elus: number[] = []
  for (let i = 0; i < rounds; i++) {
    // ABBA, as in benchSamplerCost
    if (i % 2 === 1) theirs.push(await autocannonRps(origin, seconds))
    const run = await crowdRun(origin, seconds)
    ours.push(run.rps)
    elus.push(run.crowdElu)
    if (i % 2 === 0) theirs.push(await autocannonRps(origin, seconds))
  }
  await stopSubject(subject)
  const o = median(ours)
  const a = median(theirs)
  const ratio = pairRatio(ours, theirs)
  lines.push(`crowd vs autocannon, hello world, ${CONNECTIONS} connections, ${rounds}×${seconds} s each, same subject`)
  lines.push(`  crowd       ${o.toFixed(0)} req/s   (rounds: ${ours.map((x) => x.toFixed(0)).join(', ')})`)
  lines.push(`  autocannon  ${a.toFixed(0)} req/s   (rounds: ${theirs.map((x) => x.toFixed(0)).join(', ')})`)
  lines.push(`  ratio crowd / autocannon = ${ratio.toFixed(3)} (median of ${rounds} paired rounds)   (goal ≥ 1.0)`)
  lines.push(
    `  the crowd's own event loop was busy ${(median(elus) * 100).toFixed(0)}% of the time (median): ` +
      (median(elus) < 0.9
        ? 'it had room to spare, so the subject set the pace'
        : 'it was saturated, so it may have set the pace')
  )
  return lines
}

/** `rounds` measurements of each of a and b in ABBA order (a b, b a, …), so a drifting machine hurts both alike. */
export async function abbaPairs<T>(
  rounds: number,
  a: () => Promise<T>,
  b: () => Promise<T>
): Promise<{ a: T[]; b: T[] }> {
  const as: T[] = []
  const bs: T[] = []
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      as.push(await a())
      bs.push(await b())
    } else {
      bs.push(await b())
      as.push(await a())
    }
  }
  return { a: as, b: bs }
}

export async function benchSamplerCost(rounds = 7, seconds = 2): Promise<string[]> {
  const { a: withIt, b: without } = await pairedHelloRps(rounds, seconds, (which) => startSubject(which === 'a'))
  const w = median(withIt)
  const wo = median(without)
  const cost = 1 - pairRatio(withIt, without)
  return [
    `sampler's cost: hello-world req/s with and without instrumentation (heartbeat, loop monitor, reports)`,
    `  instrumented    ${w.toFixed(0)} req/s   (rounds: ${withIt.map((x) => x.toFixed(0)).join(', ')})`,
    `  uninstrumented  ${wo.toFixed(0)} req/s   (rounds: ${without.map((x) => x.toFixed(0)).join(', ')})`,
    `  cost = ${(cost * 100).toFixed(1)}% (median of ${rounds} paired rounds)   (goal ≤ 3%)`
  ]
}
