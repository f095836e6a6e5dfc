/** Starts a worker thread from a built .js entry, or from a .ts entry through tsx (plain-Node runs). */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'

export function startWorker(entry: string, options: WorkerOptions = {}): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, options)
  const boot = new URL('./ts-worker-boot.mjs', import.meta.url)
  const workerData = { ...(options.workerData ?? {}), tsEntry: pathToFileURL(entry).href }
  return new Worker(boot, { ...options, workerData })
}
