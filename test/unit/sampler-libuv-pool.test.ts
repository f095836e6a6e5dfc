/** The sampler's libuv-pool block: from the subject's last report, only while the work uses the pool, maxima kept. */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { withDefaults } from '../../src/shared/settings'
import type { LibuvPoolReport, SubjectReport } from '../../src/main/lab/protocol'

function report(libuvPool: LibuvPoolReport): SubjectReport {
  return {
    type: 'report',
    active: libuvPool.busy,
    held: 0,
    published: 0,
    libuvPool,
    loopDelay: { p50Ms: 1, p99Ms: 2, maxMs: 2 },
    utilization: 0.05,
    rssBytes: 50e6
  }
}

describe('the libuv pool in frames and the summary', () => {
  it('shows the last report\'s busy, waiting and file read while the work is "libuv", and keeps the most of each', () => {
    const s = new Sampler(withDefaults({ work: 'libuv', concurrency: 20, delayMs: 500 }), 0)
    s.subjectReport(report({ size: 4, busy: 4, waiting: 16, fileReadMs: 1234.56 }), 100)
    expect(s.frame(100).libuvPool).toEqual({ size: 4, busy: 4, waiting: 16, fileReadMs: 1234.6 })
    s.subjectReport(report({ size: 4, busy: 2, waiting: 0, fileReadMs: 0.2 }), 200)
    expect(s.frame(200).libuvPool).toEqual({ size: 4, busy: 2, waiting: 0, fileReadMs: 0.2 })
    expect(s.summary('requests', 1000).libuvPool).toEqual({
      size: 4,
      maxBusy: 4,
      maxWaiting: 16,
      maxFileReadMs: 1234.6
    })
  })

  it('has no block for other work, nor once a change away from it has drained the pool', () => {
    const wait = new Sampler(withDefaults({ work: 'wait' }), 0)
    wait.subjectReport(report({ size: 4, busy: 0, waiting: 0, fileReadMs: null }), 100)
    expect('libuvPool' in wait.frame(100)).toBe(false)
    expect('libuvPool' in wait.summary('requests', 1000)).toBe(false)

    const libuv = withDefaults({ work: 'libuv' })
    const s = new Sampler(libuv, 0)
    s.subjectReport(report({ size: 4, busy: 4, waiting: 2, fileReadMs: 3 }), 100)
    s.change({ ...libuv, work: 'wait' }, { label: 'work wait', patch: { work: 'wait' } }, 150)
    // still draining: the tasks already on the pool are shown until they are done
    expect(s.frame(200).libuvPool).toMatchObject({ busy: 4, waiting: 2 })
    s.subjectReport(report({ size: 4, busy: 0, waiting: 0, fileReadMs: 3 }), 300)
    expect('libuvPool' in s.frame(300)).toBe(false)
    // the run used the pool: its summary says so
    expect(s.summary('requests', 1000).libuvPool).toMatchObject({ maxBusy: 4, maxWaiting: 2 })
  })
})

describe('the libuv pool before, between and after reports', () => {
  it('is every process’s pool before any reports, idle, with no file read yet', () => {
    const s = new Sampler(withDefaults({ work: 'libuv', uvThreadpoolSize: 8, processes: 2 }), 0)
    expect(s.frame(100).libuvPool).toEqual({ size: 16, busy: 0, waiting: 0, fileReadMs: null })
    expect(s.summary('stopped', 100).libuvPool).toEqual({ size: 16, maxBusy: 0, maxWaiting: 0, maxFileReadMs: null })
  })

  it('has no block for libuv work that blocks the loop (the pool is not used), nor for hello world', () => {
    for (const settings of [
      withDefaults({ work: 'libuv', blocking: true }),
      withDefaults({ work: 'libuv', route: 'hello' })
    ]) {
      const s = new Sampler(settings, 0)
      s.subjectReport(report({ size: 4, busy: 0, waiting: 0, fileReadMs: 0.3 }), 100)
      expect('libuvPool' in s.frame(100)).toBe(false)
      expect('libuvPool' in s.summary('requests', 1000)).toBe(false)
    }
  })

  it('keeps the slowest file read when a later report has none', () => {
    const s = new Sampler(withDefaults({ work: 'libuv' }), 0)
    s.subjectReport(report({ size: 4, busy: 1, waiting: 0, fileReadMs: 12.34 }), 100)
    s.frame(100)
    s.subjectReport(report({ size: 4, busy: 1, waiting: 0, fileReadMs: null }), 200)
    expect(s.frame(200).libuvPool!.fileReadMs).toBeNull()
    expect(s.summary('requests', 1000).libuvPool!.maxFileReadMs).toBe(12.3)
  })

  it("adds up several processes' pools, the slowest file read of those that have one, and none when none has", () => {
    const s = new Sampler(withDefaults({ work: 'libuv', processes: 3 }), 0)
    const from = (worker: number, r: LibuvPoolReport): SubjectReport => ({ ...report(r), worker })
    s.subjectReport(from(1, { size: 4, busy: 4, waiting: 5, fileReadMs: null }), 100)
    s.subjectReport(from(2, { size: 4, busy: 3, waiting: 0, fileReadMs: 7 }), 100)
    s.subjectReport(from(3, { size: 4, busy: 1, waiting: 2, fileReadMs: 2 }), 100)
    expect(s.frame(100).libuvPool).toEqual({ size: 12, busy: 8, waiting: 7, fileReadMs: 7 })
    // a process that went takes its pool with it
    s.processGone(2)
    expect(s.frame(200).libuvPool).toEqual({ size: 8, busy: 5, waiting: 7, fileReadMs: 2 })
    // no process with a file read under way: no figure, not 0
    s.subjectReport(from(3, { size: 4, busy: 1, waiting: 2, fileReadMs: null }), 300)
    expect(s.frame(300).libuvPool).toEqual({ size: 8, busy: 5, waiting: 7, fileReadMs: null })
  })

  it('shows the pool after a change away from libuv while tasks are still on it, as many busy as waiting', () => {
    const libuv = withDefaults({ work: 'libuv' })
    const s = new Sampler(libuv, 0)
    s.change({ ...libuv, work: 'wait' }, { label: 'work wait', patch: { work: 'wait' } }, 50)
    s.subjectReport(report({ size: 4, busy: 2, waiting: 2, fileReadMs: null }), 100)
    expect(s.frame(100).libuvPool).toEqual({ size: 4, busy: 2, waiting: 2, fileReadMs: null })
  })

  it('drops a restarted app’s pool: the new app’s is idle until it reports', () => {
    const s = new Sampler(withDefaults({ work: 'libuv', frontDoor: true }), 0)
    s.subjectReport(report({ size: 4, busy: 4, waiting: 9, fileReadMs: 500 }), 100)
    expect(s.frame(100).libuvPool).toMatchObject({ busy: 4, waiting: 9 })
    s.appGone()
    expect(s.frame(200).libuvPool).toEqual({ size: 4, busy: 0, waiting: 0, fileReadMs: null })
  })
})
