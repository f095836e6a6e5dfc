/**
 * The subject's thread pool: exactly N piscina threads, one request per thread at a time, an unbounded queue — the
 * thread-per-request model. A resize starts a new pool for new requests and lets the old one finish what it has
 * (running and queued tasks alike) before it is destroyed, so a live change never fails a request.
 *
 * No 'error' listener on the pools, on purpose: piscina emits one only when a thread dies with no task to fail
 * (e.g. the task file does not load); the process entry then reports it and exits rather than serve without threads.
 */
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import type { PoolResult, PoolTask } from './pool-task.js'

export interface WorkPool {
  /** runs one task; rejects if the pool has no threads (threads 0) or is closed */
  run(task: PoolTask): Promise<PoolResult>
  /** threads for requests that start from now on; 0 = no pool */
  resize(threads: number): void
  /**
   * Resolves once every thread of the current pool has loaded the task file (at once with no pool). Piscina counts
   * its first threads as ready before they are, so this runs one empty task per thread: with one task per thread
   * at a time, each lands on a different thread.
   */
  ready(): Promise<void>
  /** tasks waiting for a thread, across the current and retiring pools */
  queued(): number
  /** destroys every pool at once, failing what is still running or queued */
  close(): Promise<void>
}

interface Generation {
  pool: Piscina<PoolTask, PoolResult>
  inFlight: number
  retiring: boolean
}

/** pool-task.js, next to this file: the same path under tsx, Vitest and a build that emits it alongside. */
export function defaultPoolTaskFile(): string {
  return fileURLToPath(new URL('./pool-task.js', import.meta.url))
}

export function buildWorkPool(opts: { threads: number; filename?: string }): WorkPool {
  const filename = opts.filename ?? defaultPoolTaskFile()
  // A TypeScript task file would need tsx in every thread: it works, but costs ~0.4 s of CPU a thread (pool-task.js).
  const execArgv = filename.endsWith('.ts') ? ['--import', 'tsx'] : []
  const generations = new Set<Generation>()
  let current: Generation | null = null
  let closed = false

  const start = (threads: number): Generation => {
    const pool = new Piscina<PoolTask, PoolResult>({
      filename,
      execArgv,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: Infinity,
      maxQueue: Infinity
    })
    const generation = { pool, inFlight: 0, retiring: false }
    generations.add(generation)
    return generation
  }

  const retire = (generation: Generation): void => {
    generation.retiring = true
    if (generation.inFlight === 0) {
      generations.delete(generation)
      void generation.pool.destroy()
    }
  }

  if (opts.threads > 0) current = start(opts.threads)

  return {
    async run(task) {
      const generation = current
      if (!generation || closed) throw new Error('the subject has no thread pool (threads is 0) or it is closed')
      generation.inFlight++
      try {
        return await generation.pool.run(task)
      } finally {
        generation.inFlight--
        if (generation.retiring) retire(generation)
      }
    },
    async ready() {
      const generation = current
      if (!generation) return
      const empty: PoolTask = { work: 'wait', delayMs: 0 }
      // allSettled: a resize or close meanwhile ends this pool, and then there is nothing left to wait for.
      await Promise.allSettled(Array.from({ length: generation.pool.maxThreads }, () => generation.pool.run(empty)))
    },
    resize(threads) {
      if (closed || threads === (current?.pool.maxThreads ?? 0)) return
      if (current) retire(current)
      current = threads > 0 ? start(threads) : null
    },
    queued() {
      let n = 0
      for (const generation of generations) n += generation.pool.queueSize
      return n
    },
    async close() {
      closed = true
      current = null
      const all = [...generations]
      generations.clear()
      await Promise.allSettled(all.map((generation) => generation.pool.destroy()))
    }
  }
}
