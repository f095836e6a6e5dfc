/**
 * Starts the subject's control thread (control-thread.js: why a thread, why TCP, who listens) and says on which
 * port it listens. The thread writes into `block`; subject-state.ts reads it.
 */
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/** control-thread.js, next to this file: the same path under tsx, Vitest and a build that emits it alongside. */
export function defaultControlThreadFile(): string {
  return fileURLToPath(new URL('./control-thread.js', import.meta.url))
}

export interface ControlThread {
  port: number
  worker: Worker
}

export function startControlThread(opts: {
  token: string
  block: SharedArrayBuffer
  /** a failure after start-up (the thread died): the subject can no longer take changes */
  onError: (err: unknown) => void
  filename?: string
}): Promise<ControlThread> {
  // execArgv []: the subject runs under `--import tsx` in plain-Node runs, and the thread must not pay for tsx.
  const worker = new Worker(opts.filename ?? defaultControlThreadFile(), {
    execArgv: [],
    workerData: { token: opts.token, block: opts.block }
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
      resolve({ port: m.port, worker })
    })
    worker.on('error', failure)
    worker.once('exit', (code) => failure(new Error(`the subject's control thread ended (exit code ${code})`)))
  })
}
