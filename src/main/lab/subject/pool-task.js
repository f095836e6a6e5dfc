/**
 * THE POOL WORKER ENTRY: piscina loads this file in each thread of the subject's pool (work-pool.ts). It also holds
 * the two ways to hold a thread, which the event loop's blocking modes use too (work.ts).
 *
 * Plain JavaScript (typed by pool-task.d.ts) on purpose: a thread then starts in ~35 ms with no loader. A .ts
 * worker under `--import tsx` works on Node 20.20 with tsx 4.23, but each thread spends ~0.4 s of CPU loading tsx:
 * 8 threads took 3 s to start and 64 took 47 s on the 2-core machine (`--require tsx/cjs`: ~0.16 s a thread).
 *
 * App build: emit this file unchanged as `pool-task.js` next to the chunk that holds work-pool's code, or pass its
 * path as `poolTaskFile` to buildSubject (and sync-http.js beside it).
 */

/** Holds the calling thread without spinning: Atomics.wait on a value nobody will ever notify. */
export function waitBlocking(delayMs) {
  if (delayMs <= 0) return
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs)
}

/** Busy computation until the deadline; returns the result so the work cannot be optimised away. */
export function cpuBlocking(delayMs) {
  const deadline = performance.now() + delayMs
  let x = 0
  do {
    for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003
  } while (performance.now() < deadline)
  return x
}

// Imported here, not at the top, so that waitBlocking stays at line 16, as stack views and their tests name it.
import { syncGet } from './sync-http.js'

/** The synchronous client (sync-http.js) on this thread: the status of the backend's answer, or it throws. */
function callBackend(task) {
  const status = syncGet(task.url, task.timeoutMs)
  if (status !== 200) throw new Error(`the backend answered ${status}`)
  return 0
}

/**
 * One request's work on a thread of its own: the thread is held for all of it, as in thread-per-request. Returns
 * when, by this thread's clock in epoch ms, the work began and ended (the timeline's "working" phase: the time the
 * task waited in the queue, and the answer's trip back, are not work).
 */
export default function poolTask(task) {
  const startedAtMs = performance.timeOrigin + performance.now()
  const x =
    task.work === 'cpu'
      ? cpuBlocking(task.delayMs)
      : task.work === 'upstream'
        ? callBackend(task)
        : (waitBlocking(task.delayMs), 0)
  return { x, startedAtMs, endedAtMs: performance.timeOrigin + performance.now() }
}
