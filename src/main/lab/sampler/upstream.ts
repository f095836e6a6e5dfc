/**
 * Work "upstream", as a frame and a summary see it (the subject's reports carry the backend's figures, upstream.ts):
 * requests in flight at the backend, calls waiting for a connection of the subject's pool to it, the backend's
 * answer time, failed calls. Frame figures: gauges as of the last report, answer times over the last second of
 * reports (a blocked loop reports in bursts, so one report's interval may hold none). Summary: over the whole run.
 */
import type { UpstreamFrame, UpstreamSummary } from '../../../shared/frame'
import { decodeHistogram, mergeAll, percentileMs, type Histogram } from '../histogram'
import type { SubjectUpstreamReport } from '../protocol'
import { RollingWindow } from './window'

const WINDOW_MS = 1000

export class UpstreamFigures {
  private last: SubjectUpstreamReport | null = null
  private readonly recent = new RollingWindow<Histogram>(WINDOW_MS)
  private run: Histogram | null = null
  private answered = 0
  private failed = 0
  private maxInFlight = 0
  private maxWaiting = 0
  private exited = false

  report(report: SubjectUpstreamReport | undefined, now: number): void {
    if (!report) return
    this.last = report
    this.answered += report.answered
    this.failed += report.failed
    this.maxInFlight = Math.max(this.maxInFlight, report.maxInFlight)
    this.maxWaiting = Math.max(this.maxWaiting, report.waitingForConnection)
    if (!report.up) this.exited = true
    const h = decodeHistogram(report.answerHistogram)
    if (h) {
      this.recent.push(now, h)
      this.run = mergeAll([this.run, h])
    }
  }

  frame(now: number): UpstreamFrame | null {
    const last = this.last
    if (!last) return null
    this.recent.trim(now)
    const h = mergeAll(this.recent.values())
    return {
      up: last.up,
      backendInFlight: last.inFlight,
      waitingForConnection: last.waitingForConnection,
      answerMs: h && { p50: percentileMs(h, 50), p99: percentileMs(h, 99) },
      failed: this.failed
    }
  }

  summary(): UpstreamSummary | null {
    if (!this.last) return null
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
