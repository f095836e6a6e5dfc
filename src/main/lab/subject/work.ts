/**
 * The four ways the demo handler can spend `delayMs` on the event loop (work "upstream", a call to a backend, is in
 * upstream.ts). Each is honest about what it holds: the
 * evented wait holds nothing, the blocking wait holds the thread without burning a core, the CPU work burns a core
 * (all at once, or in slices that let other requests in between). The two thread-holding primitives live in
 * pool-task.js, shared with the pool's threads.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import type { SubjectSettings } from '../../../shared/settings'
import { cpuBlocking, waitBlocking } from './pool-task.js'

export { cpuBlocking, waitBlocking }

export type WorkMode =
  | 'evented-wait'
  | 'blocking-wait'
  | 'evented-cpu'
  | 'blocking-cpu'
  | 'threads-wait'
  | 'threads-cpu'
  | 'evented-upstream'
  | 'blocking-upstream'
  | 'threads-upstream'
  | 'libuv'
  | 'blocking-libuv'

/** Long enough to be real work, short enough that a waiting request gets in within a few ms. */
export const CPU_SLICE_MS = 5

/** The same two toggles for every work: threads > 0 is the pool, else blocking or evented on the loop. */
export function workMode(settings: Pick<SubjectSettings, 'blocking' | 'work' | 'threads'>): WorkMode {
  // libuv with threads is refused by the settings (shared/settings.ts)
  if (settings.work === 'libuv') return settings.blocking ? 'blocking-libuv' : 'libuv'
  if (settings.threads > 0) return `threads-${settings.work}`
  return `${settings.blocking ? 'blocking' : 'evented'}-${settings.work}`
}

/**
 * A timer: the loop is free for everyone else meanwhile. libuv times a timer from the loop's cached clock, so it
 * can fire up to a millisecond early by the real clock; the remainder is waited out, so no request beats its delay.
 */
export async function waitEvented(delayMs: number): Promise<void> {
  const end = performance.now() + delayMs
  await sleep(delayMs)
  for (let leftMs = end - performance.now(); leftMs > 0; leftMs = end - performance.now())
    await sleep(Math.ceil(leftMs))
}

/** The same CPU time, yielding with setImmediate between slices so other requests (and timers) interleave. */
export async function cpuEvented(delayMs: number): Promise<number> {
  let left = delayMs
  let x = 0
  while (left > 0) {
    const slice = Math.min(CPU_SLICE_MS, left)
    const start = performance.now()
    x ^= cpuBlocking(slice)
    left -= performance.now() - start
    if (left > 0) await yieldToLoop()
  }
  return x
}
