/**
 * The subject's live state, shared through `app.subject`: the settings a request starts with, the thread pool, and
 * the gauges the report reads. A settings change applies to requests that start after it; running ones keep theirs.
 */
import type { SubjectSettings } from '../../../shared/settings'
import { buildWorkPool } from './work-pool'
import { cpuBlocking, cpuEvented, waitBlocking, waitEvented, workMode, type WorkMode } from './work'

export interface SubjectGauges {
  active: number
  poolQueued: number
}

export interface SubjectState {
  /** the settings a request starting now gets */
  settings(): SubjectSettings
  update(settings: SubjectSettings): void
  /** runs the demo work for one request with the settings current at its start */
  work(): Promise<{ delayMs: number; mode: WorkMode }>
  gauges(): SubjectGauges
  /** resolves once every pool thread has started (at once with threads 0) */
  poolReady(): Promise<void>
  close(): Promise<void>
}

export function buildSubjectState(opts: { settings: SubjectSettings; poolTaskFile?: string }): SubjectState {
  let settings = { ...opts.settings }
  const pool = buildWorkPool({ threads: settings.threads, filename: opts.poolTaskFile })
  // Requests inside work(), queued for a thread or not; the pool's queue is subtracted to give `active`.
  let running = 0

  const run = async (s: SubjectSettings, mode: WorkMode): Promise<void> => {
    switch (mode) {
      case 'evented-wait':
        return waitEvented(s.delayMs)
      case 'blocking-wait':
        return waitBlocking(s.delayMs)
      case 'evented-cpu':
        await cpuEvented(s.delayMs)
        return
      case 'blocking-cpu':
        cpuBlocking(s.delayMs)
        return
      case 'threads-wait':
      case 'threads-cpu':
        await pool.run({ work: s.work, delayMs: s.delayMs })
    }
  }

  return {
    settings: () => settings,
    update(next) {
      settings = { ...next }
      pool.resize(settings.threads)
    },
    async work() {
      const s = settings
      const mode = workMode(s)
      running++
      try {
        await run(s, mode)
      } finally {
        running--
      }
      return { delayMs: s.delayMs, mode }
    },
    gauges() {
      const poolQueued = pool.queued()
      return { active: Math.max(running - poolQueued, 0), poolQueued }
    },
    poolReady: () => pool.ready(),
    close: () => pool.close()
  }
}
