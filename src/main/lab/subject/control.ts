/**
 * Starts the subject's control thread (control-thread.js: why a thread, why TCP, who listens) and says on which
 * port it listens. The thread writes into `block`; subject-state.ts reads it. Given `beat`, it also watches the
 * loop for stalls (stall-watch.js).
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { STALL_THRESHOLD_MS } from '../../../shared/frame'

/** control-thread.js, next to this file: the same path under tsx, Vitest and a build that emits it alongside. */
export function defaultControlThreadFile(): string {
  return fileURLToPath(new URL('./control-thread.js', import.meta.url))
}

export interface ControlThread {
  port: number
  worker: Worker
  /** ends the stall watch and its inspector session, before the subject exits; resolves within CLOSE_STACKS_MS */
  closeStacks(): Promise<void>
}

/** The thread answers in well under a millisecond; a wedged one must not hold the exit up. */
export const CLOSE_STACKS_MS = 200

/** The session's end is queued to this thread's inspector: a few ms for the loop to serve it before the exit. */
const DISCONNECT_SERVED_MS = 20

function closeStacks(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_STACKS_MS)
    const onMessage = (m: { type?: string }): void => {
      if (m?.type !== 'stacks-closed') return
      worker.off('message', onMessage)
      clearTimeout(timer)
      setTimeout(resolve, DISCONNECT_SERVED_MS)
    }
    worker.on('message', onMessage)
    worker.postMessage({ type: 'close-stacks' })
  })
}

export function startControlThread(opts: {
  token: string
  block: SharedArrayBuffer
  /** the heartbeat's cell (beat-cell.js): given, the thread watches for stalls and captures their stacks */
  beat?: SharedArrayBuffer
  /** a failure after start-up (the thread died): the subject can no longer take changes */
  onError: (err: unknown) => void
  filename?: string
}): Promise<ControlThread> {
  // execArgv []: the subject runs under `--import tsx` in plain-Node runs, and the thread must not pay for tsx.
  const worker = new Worker(opts.filename ?? defaultControlThreadFile(), {
    execArgv: [],
    workerData: { token: opts.token, block: opts.block, beat: opts.beat, stallThresholdMs: STALL_THRESHOLD_MS }
  })
  // Never what keeps the subject alive: the process ends on stop or when its host goes away.
  worker.unref()
  return new Promise((resolve, reject) => {
    let started = false
    let failed = false
    // A dying thread emits 'error' and then 'exit': one report for both.
    const failure = (err: unknown): void => {
      if (failed) return
      failed = true
      if (started) opts.onError(err)
      else reject(err)
    }
    worker.once('message', (m: { type: 'listening'; port: number }) => {
      started = true
      resolve({ port: m.port, worker, closeStacks: () => closeStacks(worker) })
    })
    worker.on('error', failure)
    worker.once('exit', (code) => failure(new Error(`the subject's control thread ended (exit code ${code})`)))
  })
}
