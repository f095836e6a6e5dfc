/**
 * Each request's timeline, recorded in the subject: when Node read it (diagnostics_channel
 * `http.server.request.start`), when its handler and its work started and ended and where (the handler's own marks,
 * `handlerMarks` + subject-state's work()), and when the answer was written (`http.server.response.finish`). The
 * crowd's send time rides in on SENT_AT_HEADER, so "waiting to be read" is a real phase (same machine, epoch clocks
 * of two processes: good to well under a millisecond; a negative wait is read as none).
 *
 * Sampling: a reservoir of TIMELINE_REPORT_MAX_BARS per report interval (Vitter's algorithm R) over the requests
 * answered in it, so every answered request is kept up to 1,000 a second and a uniform sample beyond. The crowd's
 * warm-up requests (WARM_UP_HEADER) are not part of the experiment and are left out. Per request
 * the cost is two clock reads, a symbol property and one Math.random(); the header is parsed, and the bar built, only
 * for the requests the reservoir keeps. Times are epoch ms (performance.timeOrigin + now(), as the pool's threads
 * give theirs); the host turns them into the run's time once.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, Server } from 'node:http'
import { TIMELINE_REPORT_MAX_BARS, type TimelineBar, type TimelineWhere } from '../../../shared/timeline'
import { epochMs } from '../../../shared/epoch'
import { SENT_AT_HEADER, WARM_UP_HEADER } from '../../../shared/wire'
import { REPORT_INTERVAL_MS, type SubjectTimelineReport } from '../protocol'

const READ_AT = Symbol('loopscope.timeline.readAt')
const MARKS = Symbol('loopscope.timeline.marks')

/** What the handler and its work say about one request; filled in by handlerMarks and subject-state's work(). */
export interface WorkMarks {
  handlerAt: number
  workStartAt: number
  workEndAt: number
  where: TimelineWhere | null
}

type Timed = IncomingMessage & { [READ_AT]?: number; [MARKS]?: WorkMarks }

/**
 * The handler's first mark: call it as the handler starts. Undefined when no recorder runs (an uninstrumented
 * subject, the bench's baseline), so the handler then does nothing more.
 */
export function handlerMarks(raw: IncomingMessage): WorkMarks | undefined {
  const timed = raw as Timed
  if (timed[READ_AT] === undefined) return undefined
  const at = epochMs()
  const marks: WorkMarks = { handlerAt: at, workStartAt: at, workEndAt: at, where: null }
  timed[MARKS] = marks
  return marks
}

/** A send time worth believing: a number, not after the read, not from before this process's clock began. */
function sentAt(header: string | string[] | undefined, readAt: number): number | null {
  if (typeof header !== 'string') return null
  const at = Number(header)
  if (!Number.isFinite(at) || at < performance.timeOrigin) return null
  return Math.min(at, readAt)
}

export interface TimelineRecorder {
  /** the sample since the last take, and how many requests were answered meanwhile */
  take(): SubjectTimelineReport
  stop(): void
}

/** A report this late means the loop is held inside one turn (its timers cannot fire): the sample goes by `flush`. */
const OVERDUE_MS = 1.5 * REPORT_INTERVAL_MS

/**
 * `server`: the one server whose requests count (the channels are the whole process's). `flush`: where the sample
 * goes when the report is overdue — a blocking handler run once per request of a whole wave in one turn of the loop
 * (each socket's read a callback of its own) holds every timer, so without it the bars of a blocked minute would
 * all come after it; answers still finish between those handlers, so the sample leaves from here, at most once per
 * OVERDUE_MS.
 */
export function startTimeline(opts: {
  server: Server
  flush?: (report: SubjectTimelineReport) => void
  maxBars?: number
  random?: () => number
  /** epoch ms now (tests pass their own) */
  now?: () => number
}): TimelineRecorder {
  const { server, flush } = opts
  const now = opts.now ?? epochMs
  const maxBars = opts.maxBars ?? TIMELINE_REPORT_MAX_BARS
  const random = opts.random ?? Math.random
  let kept: TimelineBar[] = []
  let answered = 0
  let takenAt = now()
  const take = (): SubjectTimelineReport => {
    const report = { answered, bars: kept }
    kept = []
    answered = 0
    takenAt = now()
    return report
  }

  const onStart = (message: unknown): void => {
    const m = message as { request: Timed; server: Server }
    if (m.server === server) m.request[READ_AT] = now()
  }
  const onFinish = (message: unknown): void => {
    const m = message as { request: Timed; server: Server }
    if (m.server !== server) return
    const request = m.request
    const readAt = request[READ_AT]
    if (readAt === undefined || request.headers[WARM_UP_HEADER] !== undefined) return
    answered++
    const writtenAt = now()
    // Algorithm R: the n-th answered request replaces a kept one with probability maxBars / n.
    const slot = answered <= maxBars ? answered - 1 : Math.floor(random() * answered)
    if (slot < maxBars) keep(slot, request, readAt, writtenAt)
    if (flush && writtenAt - takenAt > OVERDUE_MS) flush(take())
  }
  const keep = (slot: number, request: Timed, readAt: number, writtenAt: number): void => {
    const marks = request[MARKS]
    kept[slot] = {
      sentAt: sentAt(request.headers[SENT_AT_HEADER], readAt),
      readAt,
      handlerAt: marks?.handlerAt ?? readAt,
      workStartAt: marks?.workStartAt ?? readAt,
      workEndAt: marks?.workEndAt ?? readAt,
      where: marks?.where ?? null,
      writtenAt
    }
  }
  subscribe('http.server.request.start', onStart)
  subscribe('http.server.response.finish', onFinish)

  return {
    take,
    stop() {
      unsubscribe('http.server.request.start', onStart)
      unsubscribe('http.server.response.finish', onFinish)
    }
  }
}
