/**
 * The subject's live state, shared through `app.subject`: the settings a request starts with, the thread pool, the
 * backend of work "upstream" (upstream.ts), and the gauges the report reads. A settings change applies to requests that start after it; running ones keep theirs.
 *
 * Live changes arrive in the settings block (settings-block.js), written by the control thread while this loop may
 * be blocked. This thread looks at it whenever it asks for the settings (each request's start, long poll's reads)
 * and every heartbeat interval, so a change that needs this thread (the pool's resize) happens even while no
 * request starts. A payload refused by validation is reported and the previous settings stay.
 */
import type { ErrorInfo } from '../../../shared/errors'
import type { SubjectSettings } from '../../../shared/settings'
import { HEARTBEAT_INTERVAL_MS, type SubjectUpstreamReport } from '../protocol'
import { parseSubjectSettings } from './launch'
import { openSettingsBlock } from './settings-block.js'
import { epochMs } from '../../../shared/epoch'
import type { PoolTask } from './pool-task.js'
import type { WorkMarks } from './timeline'
import { buildUpstream } from './upstream'
import { ownBackend, type BackendSource } from './backend-source'
import { buildWorkPool } from './work-pool'
import { buildLibuvWork } from './libuv-work'
import { startFileReadProbe } from './file-read-probe'
import type { LibuvPoolReport } from '../protocol'
import { cpuBlocking, cpuEvented, waitBlocking, waitEvented, workMode, type WorkMode } from './work'

export interface SubjectGauges {
  /** requests being handled, not waiting in the thread pool's queue */
  active: number
  /** our own tasks on libuv's thread pool (libuv-work.ts) */
  libuvPool: LibuvPoolReport
}

export interface SubjectState {
  /** the settings a request starting now gets */
  settings(): SubjectSettings
  /** applies settings at once, from this thread (in-process tests; a live subject takes them from its block) */
  update(settings: SubjectSettings): void
  /** runs the demo work for one request with the settings current at its start; fills in `marks` when given */
  work(marks?: WorkMarks): Promise<{ delayMs: number; mode: WorkMode }>
  gauges(): SubjectGauges
  /** work "upstream": the subject's figures of its calls since the last call (taken once per report); undefined before it started */
  upstream(): SubjectUpstreamReport | undefined
  /** resolves once every pool thread has started (at once with threads 0) and, with work "upstream", the backend listens */
  ready(): Promise<void>
  close(): Promise<void>
}

export interface SubjectStateOptions {
  settings: SubjectSettings
  poolTaskFile?: string
  /** the block the control thread writes live changes into; without it, only update() changes the settings */
  settingsBlock?: SharedArrayBuffer
  /** a payload in the block that validation refused (a LabError LOOPSCOPE_ERR_IPC_INVALID, or JSON's SyntaxError) */
  onRefused?: (err: unknown) => void
  /** the backend of work "upstream" when another process owns it (a worker of several: the primary's); else its own */
  backend?: BackendSource
  /** the backend of work "upstream" ended during the run (LOOPSCOPE_ERR_UPSTREAM_EXITED); its own backend only */
  onUpstreamExit?: (error: ErrorInfo) => void
  /** the backend of work "upstream" listens on this port (the host reads the backend's figures there) */
  onUpstreamListening?: (port: number) => void
}

export function buildSubjectState(opts: SubjectStateOptions): SubjectState {
  let settings = { ...opts.settings }
  const pool = buildWorkPool({ threads: settings.threads, filename: opts.poolTaskFile })
  const upstream = buildUpstream(
    opts.backend ??
      ownBackend({ onExit: (error) => opts.onUpstreamExit?.(error), onListening: opts.onUpstreamListening })
  )
  const libuv = buildLibuvWork()
  const probe = startFileReadProbe(() => settings.work === 'libuv' && !settings.blocking)
  const apply = (next: SubjectSettings): void => {
    settings = { ...next }
    pool.resize(settings.threads)
  }

  const block = opts.settingsBlock ? openSettingsBlock(opts.settingsBlock) : null
  let seenSeq = 0
  const refresh = (): void => {
    const read = block!.read()
    // Writes kept overlapping the read (microseconds each): the seq still differs, so the next look tries again.
    if (read === null) return
    seenSeq = read.seq
    try {
      apply(parseSubjectSettings(JSON.parse(read.text)))
    } catch (err) {
      opts.onRefused?.(err)
    }
  }
  // The hot path, once per request: one Atomics.load while nothing has changed.
  const current = (): SubjectSettings => {
    if (block !== null && block.seq() !== seenSeq) refresh()
    return settings
  }
  // unref'd: a look at the block must never be what keeps the process alive.
  const watch = block ? setInterval(current, HEARTBEAT_INTERVAL_MS).unref() : null
  // Requests inside work(), queued for a thread or not; the pool's queue is subtracted to give `active`.
  let running = 0

  const run = async (s: SubjectSettings, mode: WorkMode, marks: WorkMarks | undefined): Promise<void> => {
    const onThread = mode.startsWith('threads-')
    if (marks) {
      // an evented call to the backend leaves the loop free: its work is at the backend (blocking, the loop waits for it)
      marks.where = onThread ? 'thread' : mode === 'evented-upstream' ? 'backend' : 'loop'
      marks.workStartAt = epochMs()
    }
    if (onThread) {
      // the thread's own clock: the queue before and the answer's way back are not the work
      const done = await pool.run(await poolTask(s))
      if (marks) [marks.workStartAt, marks.workEndAt] = [done.startedAtMs, done.endedAtMs]
      return
    }
    if (mode === 'libuv') {
      if (marks) marks.where = 'libuv pool'
      // from the moment a pool thread began the task: the time queued inside libuv is not the work
      const done = await libuv.run(s.delayMs)
      if (marks) [marks.workStartAt, marks.workEndAt] = [done.startedAtMs, done.endedAtMs]
      return
    }
    try {
      await runOnLoop(s, mode, marks)
    } finally {
      // a failed call too: its bar ends where it failed
      if (marks) marks.workEndAt = epochMs()
    }
  }

  const poolTask = async (s: SubjectSettings): Promise<PoolTask> =>
    s.work === 'upstream'
      ? { work: 'upstream', delayMs: s.delayMs, url: await upstream.url(s), timeoutMs: upstream.timeoutMs(s) }
      : { work: s.work === 'cpu' ? 'cpu' : 'wait', delayMs: s.delayMs }

  const runOnLoop = async (s: SubjectSettings, mode: WorkMode, marks: WorkMarks | undefined): Promise<void> => {
    switch (mode) {
      case 'evented-wait':
        return waitEvented(s.delayMs)
      case 'blocking-wait':
      // the synchronous flavour of the pool task: the loop held for the delay, no CPU (a loop blocked writing into
      // its own FIFO could never drain it)
      case 'blocking-libuv':
        return waitBlocking(s.delayMs)
      case 'evented-cpu':
        await cpuEvented(s.delayMs)
        return
      case 'blocking-cpu':
        cpuBlocking(s.delayMs)
        return
      case 'evented-upstream': {
        // its wait for one of the pool's connections is not work at the backend: the work starts when one takes it
        let connected = false
        try {
          return await upstream.call(await upstream.url(s), s, () => {
            connected = true
            if (marks) marks.workStartAt = epochMs()
          })
        } finally {
          // failed before a connection took it (refused, the pool closed): all of its time was the wait for one
          if (marks && !connected) marks.workStartAt = epochMs()
        }
      }
      case 'blocking-upstream':
        upstream.callSync(await upstream.url(s), s)
        return
    }
  }

  return {
    settings: current,
    update: apply,
    async work(marks) {
      const s = current()
      const mode = workMode(s)
      running++
      try {
        await run(s, mode, marks).catch((err: unknown) => {
          // a call to the backend failed (on the loop, on a thread, or the backend had ended): counted once, here
          throw s.work === 'upstream' ? upstream.failed(err) : err
        })
      } finally {
        running--
      }
      return { delayMs: s.delayMs, mode }
    },
    gauges() {
      const outstanding = libuv.outstanding()
      const size = settings.uvThreadpoolSize
      const busy = Math.min(outstanding, size)
      const waiting = outstanding - busy
      return {
        active: Math.max(running - pool.queued() - waiting, 0),
        libuvPool: { size, busy, waiting, fileReadMs: probe.readMs() }
      }
    },
    upstream: () => upstream.report(),
    async ready() {
      await Promise.all([pool.ready(), settings.work === 'upstream' ? upstream.url(settings) : null])
    },
    async close() {
      if (watch) clearInterval(watch)
      libuv.close()
      probe.close()
      await Promise.all([pool.close(), upstream.close()])
    }
  }
}
