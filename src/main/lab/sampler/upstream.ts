/**
 * Work "upstream", as a frame and a summary see it. Two sources: the subject's reports (its calls waiting for a
 * connection of its pool, failed calls, the backend up or ended: subject/upstream.ts) and the backend's own lines,
 * read by the host straight from it (backend-reports.ts: requests in flight at it, its answer times), which keep
 * coming while a blocking call holds the subject's loop. Frame figures: gauges as of the last report of each, answer
 * times over the last second of lines. Summary: over the whole run. With several processes there is one backend
 * (the cluster primary's) and a pool of connections in every worker: calls waiting for a connection are added up
 * over the workers' last reports.
 */
import type { UpstreamFrame, UpstreamSummary } from '../../../shared/frame'
import { buildHistogram, mergeAll, percentileMs, recordMs, type Histogram } from '../histogram'
import type { BackendReport, SubjectUpstreamReport } from '../protocol'
import { RollingWindow } from './window'

const WINDOW_MS = 1000

export class UpstreamFigures {
  /** each worker's last report (one process: worker 1) */
  private readonly byWorker = new Map<number, SubjectUpstreamReport>()
  private inFlight = 0
  private readonly recent = new RollingWindow<Histogram>(WINDOW_MS)
  private run: Histogram | null = null
  private answered = 0
  private failed = 0
  private maxInFlight = 0
  private maxWaiting = 0
  private exited = false
  /** a report carried the backend: from then on the frames and the summary have the block */
  private seen = false

  /** the subject's part, with each of its reports; `worker`: the process it came from, with several */
  report(report: SubjectUpstreamReport | undefined, worker = 1): void {
    if (!report) return
    this.seen = true
    this.byWorker.set(worker, report)
    this.failed += report.failed
    this.maxWaiting = Math.max(this.maxWaiting, this.waiting())
    if (!report.up) this.exited = true
  }

  /** This worker's process went (died, or was replaced): its calls went with it. */
  forget(worker: number): void {
    this.byWorker.delete(worker)
  }

  /** A new app (a restart behind the front door): none of the old processes' calls is waiting any more. */
  newSubject(): void {
    this.byWorker.clear()
  }

  private waiting(): number {
    let sum = 0
    for (const r of this.byWorker.values()) sum += r.waitingForConnection
    return sum
  }

  /** the one backend is up while no process of now has seen it end (none reporting yet: nothing says it ended) */
  private up(): boolean {
    for (const r of this.byWorker.values()) if (!r.up) return false
    return true
  }

  /** the backend's own line (every 100 ms while it is up) */
  backend(report: BackendReport, now: number): void {
    this.inFlight = report.inFlight
    this.maxInFlight = Math.max(this.maxInFlight, report.inFlight)
    this.answered += report.answered
    if (report.answerMs.length === 0) return
    const h = buildHistogram()
    for (const ms of report.answerMs) recordMs(h, ms)
    this.recent.push(now, h)
    this.run = mergeAll([this.run, h])
  }

  frame(now: number): UpstreamFrame | null {
    if (!this.seen) return null
    this.recent.trim(now)
    const h = mergeAll(this.recent.values())
    const up = this.up()
    return {
      up,
      // an ended backend holds nothing, whatever its last line said
      backendInFlight: up ? this.inFlight : 0,
      waitingForConnection: this.waiting(),
      answerMs: h && { p50: percentileMs(h, 50), p99: percentileMs(h, 99) },
      failed: this.failed
    }
  }

  summary(): UpstreamSummary | null {
    if (!this.seen) return null
    const h = this.run
    return {
      answered: this.answered,
      failed: this.failed,
      answerP50Ms: h && percentileMs(h, 50),
      answerP99Ms: h && percentileMs(h, 99),
      answerMaxMs: h && percentileMs(h, 100),
      maxBackendInFlight: this.maxInFlight,
      maxWaitingForConnection: this.maxWaiting,
      backendExited: this.exited
    }
  }
}
