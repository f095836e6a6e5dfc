/**
 * What the stack view costs (issue 15), measured:
 * - on an unstalled loop: hello-world req/s with stack sampling on and off (both instrumented; on = the stall
 *   watch's inspector session open and the heartbeat's shared-memory write), fresh subjects, pairs alternated
 *   (ABBA) as in the sampler's bench; goal ≤ 3%.
 * - during a stall: how much one capture lengthens it. The main thread runs a fixed amount of work (~250 ms)
 *   while a worker captures its stack one capture after another (1 ms apart) with the subject's own capture code;
 *   (the main thread's time on a core with captures − without) / captures taken is the cost of one (Linux
 *   schedstat: the wall clock would count the cores the capturing thread and the neighbours took). Blocks
 *   alternate with and without; goal ≤ 1 ms a capture (the subject captures at most every 250 ms, so a stall is
 *   lengthened by ≤ 0.4% of itself).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { median, pairedHelloRps, pairRatio, startSubject } from './crowd-vs-autocannon'

async function unstalledCost(rounds: number, seconds: number): Promise<string[]> {
  const token = randomBytes(8).toString('hex')
  const {
    a: on,
    b: off,
    aCpuUs: onCpu,
    bCpuUs: offCpu
  } = await pairedHelloRps(rounds, seconds, (which) =>
    startSubject(true, { control: { token, stacks: which === 'a' } })
  )
  const cost = 1 - pairRatio(on, off)
  const cpuCost = pairRatio(onCpu, offCpu) - 1
  const us = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ')
  return [
    `stack sampling's cost on an unstalled loop: hello world, instrumented, stack sampling on and off`,
    `  on   ${median(on).toFixed(0)} req/s, ${median(onCpu).toFixed(1)} µs of the loop's core a request   (rounds: ${on.map((x) => x.toFixed(0)).join(', ')}; ${us(onCpu)} µs)`,
    `  off  ${median(off).toFixed(0)} req/s, ${median(offCpu).toFixed(1)} µs of the loop's core a request   (rounds: ${off.map((x) => x.toFixed(0)).join(', ')}; ${us(offCpu)} µs)`,
    `  cost by req/s = ${(cost * 100).toFixed(1)}%; by the loop's CPU a request = ${(cpuCost * 100).toFixed(1)}% (medians of ${rounds} paired rounds)   (goal ≤ 3%: ${cpuCost <= 0.03 ? 'met' : 'not met'} by CPU)`
  ]
}

/**
 * ms this (the main) thread has spent on a core, from Linux's schedstat (ns): unlike the wall clock it does not
 * count the time the capturing thread, or another process, had the core instead.
 */
function mainThreadCpuMs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
}

/** A fixed amount of work: the same iterations every time, however long a capture holds it up. */
function fixedWork(iterations: number): number {
  let x = 0
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) % 1_000_003
  return x
}

async function captureCost(blocks: number): Promise<string[]> {
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(new URL('./stack-capture-worker.mjs', import.meta.url), {
    workerData: { flag: flag.buffer },
    execArgv: []
  })
  const next = (): Promise<Record<string, number | boolean>> =>
    new Promise((resolve) => worker.once('message', resolve))
  await next()
  // ~250 ms of work on this machine
  let iterations = 1_000_000
  for (;;) {
    const start = performance.now()
    fixedWork(iterations)
    const ms = performance.now() - start
    if (ms >= 100) {
      iterations = Math.round((iterations * 250) / ms)
      break
    }
    iterations *= 2
  }
  const block = async (
    captured: boolean
  ): Promise<{ ms: number; cpuMs: number; caught: number; resumedMs: number }> => {
    const result = captured ? next() : Promise.resolve({ caught: 0, resumedMedianMs: NaN })
    if (captured) worker.postMessage('block')
    // let the worker see the flag rise before the loop starts (it polls every ~1 ms)
    await new Promise((r) => setTimeout(r, 5))
    Atomics.store(flag, 0, 1)
    const start = performance.now()
    const cpuStart = mainThreadCpuMs()
    fixedWork(iterations)
    const cpuMs = mainThreadCpuMs() - cpuStart
    const ms = performance.now() - start
    Atomics.store(flag, 0, 0)
    const r = await result
    return { ms, cpuMs, caught: Number(r.caught), resumedMs: Number(r.resumedMedianMs) }
  }
  const withMs: number[] = []
  const withoutMs: number[] = []
  const withCpuMs: number[] = []
  const withoutCpuMs: number[] = []
  const caught: number[] = []
  const resumedMs: number[] = []
  for (let i = 0; i < blocks; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true]
    for (const captured of order) {
      const b = await block(captured)
      if (captured) {
        withMs.push(b.ms)
        withCpuMs.push(b.cpuMs)
        caught.push(b.caught)
        resumedMs.push(b.resumedMs)
      } else {
        withoutMs.push(b.ms)
        withoutCpuMs.push(b.cpuMs)
      }
    }
  }
  worker.postMessage('close')
  await next()
  await worker.terminate()
  const perCaptureWallMs = median(withMs.map((w, i) => (w - withoutMs[i]!) / Math.max(1, caught[i]!)))
  const perCaptureMs = median(withCpuMs.map((w, i) => (w - withoutCpuMs[i]!) / Math.max(1, caught[i]!)))
  return [
    `how much a stack capture lengthens a stall: ${blocks} blocks of fixed work with captures one after another (1 ms apart), ${blocks} without`,
    `  without captures  ${median(withoutMs).toFixed(1)} ms a block, ${median(withoutCpuMs).toFixed(1)} ms of it on a core (medians)`,
    `  with captures     ${median(withMs).toFixed(1)} ms a block, ${median(withCpuMs).toFixed(1)} ms on a core, ${median(caught)} captures in it (medians)`,
    `  asked → answered, as the capturing thread sees it: ${(median(resumedMs) * 1000).toFixed(0)} µs (median; the round trip, both threads' wake-ups included: an upper bound of the main thread's part)`,
    `  one capture costs the stalled thread ${(perCaptureMs * 1000).toFixed(0)} µs on its core (median of ${blocks} pairs)   (goal ≤ 1 ms: ${perCaptureMs <= 1 ? 'met' : 'not met'})`,
    `  by the wall clock ${(perCaptureWallMs * 1000).toFixed(0)} µs a capture: with captures this close together the capturing thread also takes a core from it on a busy 2-core machine`,
    `  the subject captures once at 50 ms and every 250 ms after: a 2-s stall is lengthened by ~${(perCaptureMs * 8).toFixed(1)} ms`
  ]
}

export async function benchStacks(): Promise<string[]> {
  return [...(await captureCost(10)), ...(await unstalledCost(4, 2))]
}
