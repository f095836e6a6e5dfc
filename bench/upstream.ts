/**
 * Work "upstream", evented: what a call to the backend costs the subject, against a timer wait of the same delay.
 * The real Lab runs each (c = 200, delay 50 ms, a pool of 200 connections so the pool is no bottleneck: theory
 * 4,000 req/s either way), and the subject's CPU time over 5 s of steady load (its process's utime + stime in
 * /proc, every thread: the loop, undici, the instrument) is divided by the requests it answered meanwhile. The
 * backend's own CPU, a process of its own, is printed beside it and is not in the ratio. Linux only (/proc).
 */
import { readFileSync } from 'node:fs'
import { Lab } from '../src/main/lab/lab'
import type { Frame } from '../src/shared/frame'
import type { SettingsPatch } from '../src/shared/settings'

const TICK_MS = 10 // CLK_TCK 100, as `getconf CLK_TCK` says on Linux
const WARM_MS = 1500
const MEASURE_MS = 5000
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** utime + stime of a process, ms */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

function childOf(pid: number): number | null {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  return children.length ? Number(children[0]) : null
}

async function measure(
  patch: SettingsPatch
): Promise<{ cpuUsPerRequest: number; backendUsPerRequest: number | null; rps: number }> {
  const lab = new Lab()
  let last: Frame | null = null
  lab.on('frame', (f) => (last = f))
  await lab.start({ concurrency: 200, delayMs: 50, durationS: 30, ...patch })
  try {
    await sleep(WARM_MS)
    const pid = lab.status().subjectPid!
    const backend = childOf(pid)
    const [cpu0, back0, done0, t0] = [cpuMs(pid), backend ? cpuMs(backend) : 0, last!.completed, performance.now()]
    await sleep(MEASURE_MS)
    const [cpu1, back1, done1, t1] = [cpuMs(pid), backend ? cpuMs(backend) : 0, last!.completed, performance.now()]
    const n = Math.max(done1 - done0, 1)
    return {
      cpuUsPerRequest: ((cpu1 - cpu0) * 1000) / n,
      backendUsPerRequest: backend ? ((back1 - back0) * 1000) / n : null,
      rps: (n * 1000) / (t1 - t0)
    }
  } finally {
    await lab.close()
  }
}

export async function benchUpstream(): Promise<string[]> {
  const timer = await measure({ work: 'wait' })
  const upstream = await measure({ work: 'upstream', upstreamConnections: 200 })
  return [
    "the subject's CPU per request, evented, c 200, delay 50 ms (theory 4,000 req/s), over 5 s of steady load",
    `  timer wait:          ${timer.cpuUsPerRequest.toFixed(1)} µs/request at ${timer.rps.toFixed(0)} req/s`,
    `  upstream (undici):   ${upstream.cpuUsPerRequest.toFixed(1)} µs/request at ${upstream.rps.toFixed(0)} req/s` +
      `; the backend's own ${upstream.backendUsPerRequest?.toFixed(1) ?? '–'} µs/request, not counted`,
    `  ratio upstream / timer: ${(upstream.cpuUsPerRequest / timer.cpuUsPerRequest).toFixed(2)}×`
  ]
}
