/**
 * Several processes, measured: hello-world req/s on 1 and 2 subject processes (node:cluster, round-robin) with the
 * same crowd, as a ratio, and the crowd's own loop busy share in each, so a crowd that is the limit is not read as the
 * server's. The subject is started as the Lab starts it (spawnNodeSubject); figures, never assertions.
 */
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { pickSubject, withDefaults } from '../src/shared/settings'
import type { CrowdStart, CrowdToHost, SubjectProcess } from '../src/main/lab/protocol'
import { startWorker } from '../src/main/lab/start-worker'
import { spawnNodeSubject } from '../src/main/lab/subject/spawn-node'
import { median } from './crowd-vs-autocannon'

const crowdEntry = fileURLToPath(new URL('../src/main/lab/crowd/entry.ts', import.meta.url))

const SECONDS = 5
const ROUNDS = 3

async function start(processes: number): Promise<{ origin: string; subject: SubjectProcess }> {
  const subject = spawnNodeSubject()({ port: 0, settings: pickSubject(withDefaults({})), instrument: true, processes })
  const port = await new Promise<number>((resolve, reject) => {
    subject.onMessage((m) => {
      if (m.type === 'listening') resolve(m.port)
      else if (m.type === 'error') reject(new Error(m.error.message))
    })
    subject.onExit((code) => reject(new Error(`the subject exited (${code})`)))
  })
  return { origin: `http://127.0.0.1:${port}`, subject }
}

/**
 * The crowd on GET / for `seconds`, closed loop at c 100; its loop's busy share over its ticks, as it read it.
 */
async function crowdRun(origin: string, seconds: number): Promise<{ rps: number; crowdElu: number }> {
  const settings = withDefaults({ route: 'hello', concurrency: 100, durationS: seconds, delayMs: 0 })
  const worker = startWorker(crowdEntry, {
    workerData: { origin, settings, gauges: new SharedArrayBuffer(4) } satisfies CrowdStart
  })
  let completed = 0
  // the crowd's own reading of its loop, tick by tick, as the Lab's sampler takes it (read from this thread instead,
  // it said ~100% where the crowd's own reading says ~40%)
  let idle = 0
  let active = 0
  const done = await new Promise<{ firstSendAt: number | null; at: number }>((resolve, reject) => {
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
  await worker.terminate()
  const spanS = (done.at - (done.firstSendAt ?? done.at)) / 1000
  return { rps: completed / spanS, crowdElu: idle + active > 0 ? active / (idle + active) : NaN }
}

async function stop(subject: SubjectProcess): Promise<void> {
  const exited = new Promise<void>((r) => subject.onExit(() => r()))
  subject.kill()
  await exited
}

export async function benchProcesses(): Promise<string[]> {
  const rps: Record<1 | 2, number[]> = { 1: [], 2: [] }
  const crowd: Record<1 | 2, number[]> = { 1: [], 2: [] }
  // alternating rounds, so a change in the machine's load falls on both alike
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of [1, 2] as const) {
      const { origin, subject } = await start(n)
      try {
        const r = await crowdRun(origin, SECONDS)
        rps[n].push(r.rps)
        crowd[n].push(r.crowdElu)
      } finally {
        await stop(subject)
      }
    }
  }
  const one = median(rps[1])
  const two = median(rps[2])
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`
  return [
    `hello world, 1 vs 2 processes (median of ${ROUNDS} runs of ${SECONDS} s): ${one.toFixed(0)} vs ${two.toFixed(0)} req/s, ratio ${(two / one).toFixed(2)}`,
    `  the crowd's own loop busy: ${pct(median(crowd[1]))} with 1, ${pct(median(crowd[2]))} with 2 — near 100% the crowd, not the server, is the limit`,
    `  (this machine has ${availableParallelism()} cores for the crowd, the primary and the workers together)`
  ]
}
