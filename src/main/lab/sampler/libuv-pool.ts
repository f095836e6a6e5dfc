/**
 * libuv's thread pool as the frames and the summary see it (work "libuv"): threads busy with the subject's tasks and
 * tasks waiting inside libuv for one, as the subject counted them where it submits and completes them
 * (subject/libuv-work.ts; libuv has no queue API, and tasks of anyone else on the pool are not seen). Gauges from
 * the last report, so exact to 100 ms; beside them, how long an unrelated file read on the same pool takes
 * (subject/file-read-probe.ts). The block is there while the settings name libuv's pool, or our tasks are
 * still on it after a change; null otherwise.
 */
import type { LibuvPoolFrame, LibuvPoolSummary } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import type { LibuvPoolReport } from '../protocol'

const usesPool = (s: Settings): boolean => s.route === 'work' && s.work === 'libuv' && !s.blocking

export class LibuvPoolFigures {
  private last: LibuvPoolReport | null = null
  private maxBusy = 0
  private maxWaiting = 0
  private maxFileReadMs: number | null = null
  private shown = false

  report(report: LibuvPoolReport | undefined): void {
    if (!report) return
    this.last = report
  }

  frame(settings: Settings): LibuvPoolFrame | null {
    const r = this.last
    const outstanding = r ? r.busy + r.waiting : 0
    if (!usesPool(settings) && outstanding === 0) return null
    this.shown = true
    const busy = r?.busy ?? 0
    const waiting = r?.waiting ?? 0
    this.maxBusy = Math.max(this.maxBusy, busy)
    this.maxWaiting = Math.max(this.maxWaiting, waiting)
    const fileReadMs = r?.fileReadMs == null ? null : Math.round(r.fileReadMs * 10) / 10
    if (fileReadMs !== null) this.maxFileReadMs = Math.max(this.maxFileReadMs ?? 0, fileReadMs)
    return { size: r?.size ?? settings.uvThreadpoolSize, busy, waiting, fileReadMs }
  }

  /** null when no frame of the run showed the pool */
  summary(settings: Settings): LibuvPoolSummary | null {
    if (!this.shown) return null
    return {
      size: this.last?.size ?? settings.uvThreadpoolSize,
      maxBusy: this.maxBusy,
      maxWaiting: this.maxWaiting,
      maxFileReadMs: this.maxFileReadMs
    }
  }
}
