/**
 * libuv's thread pool as the frames and the summary see it (work "libuv"): threads busy with the subject's tasks and
 * tasks waiting inside libuv for one, as the subject counted them where it submits and completes them
 * (subject/libuv-work.ts; libuv has no queue API, and tasks of anyone else on the pool are not seen). Gauges from
 * the last report, so exact to 100 ms; beside them, how long an unrelated file read on the same pool takes
 * (subject/file-read-probe.ts). The block is there while the settings name libuv's pool, or our tasks are
 * still on it after a change; null otherwise. With several processes each has a pool of its own: the block reads
 * them as one (threads, busy and waiting added up; the slowest file read of any), from each one's last report.
 */
import type { LibuvPoolFrame, LibuvPoolSummary } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import type { LibuvPoolReport } from '../protocol'

/** every process's pool, before any has reported */
const poolThreads = (s: Settings): number => s.uvThreadpoolSize * s.processes
const usesPool = (s: Settings): boolean => s.route === 'work' && s.work === 'libuv' && !s.blocking

export class LibuvPoolFigures {
  private readonly byWorker = new Map<number, LibuvPoolReport>()
  private maxBusy = 0
  private maxWaiting = 0
  private maxFileReadMs: number | null = null
  private shown = false

  /** `worker`: the process it came from, with several; absent with one */
  report(report: LibuvPoolReport | undefined, worker = 1): void {
    if (!report) return
    this.byWorker.set(worker, report)
  }

  /** This worker's process went (died, or was replaced): its pool went with it. */
  forget(worker: number): void {
    this.byWorker.delete(worker)
  }

  /** A new app (a restart behind the front door): the old processes' pools are gone. */
  newSubject(): void {
    this.byWorker.clear()
  }

  /** every process's pool as one, from each one's last report; null before any */
  private last(): LibuvPoolReport | null {
    if (this.byWorker.size === 0) return null
    const reports = [...this.byWorker.values()]
    return reports.length === 1 ? reports[0]! : allPools(reports)
  }

  frame(settings: Settings): LibuvPoolFrame | null {
    const r = this.last()
    const outstanding = r ? r.busy + r.waiting : 0
    if (!usesPool(settings) && outstanding === 0) return null
    this.shown = true
    const busy = r?.busy ?? 0
    const waiting = r?.waiting ?? 0
    this.maxBusy = Math.max(this.maxBusy, busy)
    this.maxWaiting = Math.max(this.maxWaiting, waiting)
    const fileReadMs = r?.fileReadMs == null ? null : Math.round(r.fileReadMs * 10) / 10
    if (fileReadMs !== null) this.maxFileReadMs = Math.max(this.maxFileReadMs ?? 0, fileReadMs)
    return { size: r?.size ?? poolThreads(settings), busy, waiting, fileReadMs }
  }

  /** null when no frame of the run showed the pool */
  summary(settings: Settings): LibuvPoolSummary | null {
    if (!this.shown) return null
    return {
      size: this.last()?.size ?? poolThreads(settings),
      maxBusy: this.maxBusy,
      maxWaiting: this.maxWaiting,
      maxFileReadMs: this.maxFileReadMs
    }
  }
}

/** The pools of several processes as one: their threads, busy and waiting added up; the slowest file read of any. */
function allPools(reports: readonly LibuvPoolReport[]): LibuvPoolReport {
  const reads = reports.map((r) => r.fileReadMs).filter((ms): ms is number => ms != null)
  return {
    size: reports.reduce((n, r) => n + r.size, 0),
    busy: reports.reduce((n, r) => n + r.busy, 0),
    waiting: reports.reduce((n, r) => n + r.waiting, 0),
    fileReadMs: reads.length > 0 ? Math.max(...reads) : null
  }
}
