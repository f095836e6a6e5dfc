/**
 * The subject: a Fastify app with the hello-world and demo routes, live settings and, when asked, the instrument.
 * Returned not listening: tests use `app.inject()`, entry.ts calls `listen`.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { toErrorInfo } from '../../../shared/errors'
import type { SubjectSettings } from '../../../shared/settings'
import type { SubjectPushReport, SubjectStoreReport, SubjectToHost } from '../protocol'
import { clientErrorHandler, frameworkErrors, registerHttpErrors } from './http-errors'
import { openBeatCell } from './beat-cell.js'
import { startInstrument, type Instrument, type SubjectCounters } from './instrument'
import type { MemoryReport } from './memory-probe'
import { registerRoutes } from './routes'
import { buildUnreadGuard, SUBJECT_TIMEOUTS, timeoutOptions, type SubjectTimeouts } from './slow-clients'
import type { BackendSource } from './backend-source'
import { buildSubjectState, type SubjectState } from './subject-state'
import { startTimeline, type TimelineRecorder } from './timeline'

import longPoll, { type LongPollOptions } from './long-poll'

export interface BuildSubjectOptions {
  settings: SubjectSettings
  /** heartbeat, loop monitoring and reports; off for the baseline that measures their cost */
  instrument?: boolean
  /** each request's timeline in the reports (timeline.ts); on by default when instrumented, off for its bench baseline */
  timeline?: boolean
  /** where heartbeats and reports go when instrumented, and refused live settings; dropped without it */
  send?: (message: SubjectToHost) => void
  /** the pool's worker file; pool-task.{ts,js} next to work-pool by default */
  poolTaskFile?: string
  /** live settings, written by the control thread (subject-state.ts reads it) */
  settingsBlock?: SharedArrayBuffer
  /** the heartbeat's cell for the control thread's stall watch (beat-cell.js); instrumented subjects only */
  beatCell?: SharedArrayBuffer
  /** how long a slow client is waited for (slow-clients.ts); SUBJECT_TIMEOUTS by default, shorter in tests */
  timeouts?: Partial<SubjectTimeouts>
  /** work "upstream"'s backend when another process owns it (backend-source.ts); this process's own without it */
  backend?: BackendSource
  /** the broadcast log shared with other processes or kept in Redis (long-poll.ts); this process's own without it */
  shareLog?: LongPollOptions['shareLog']
}

export interface Subject extends SubjectState {
  /** everything the report counts, long poll included (0 until the long-poll plugin has loaded) */
  counters(): SubjectCounters
}

interface LongPollCounters {
  held(): number
  published(): number
  connections(): number
  memory(): MemoryReport
  push(): SubjectPushReport
  store(): SubjectStoreReport
}

declare module 'fastify' {
  interface FastifyInstance {
    subject: Subject
  }
}

export function buildSubject(opts: BuildSubjectOptions): FastifyInstance {
  const timeouts: SubjectTimeouts = { ...SUBJECT_TIMEOUTS, ...opts.timeouts }
  const unread = buildUnreadGuard(timeouts.headersMs)
  const app = Fastify({
    logger: false,
    ...timeoutOptions(timeouts),
    // One connection serves a whole closed-loop run.
    maxRequestsPerSocket: 0,
    // A stopped subject stops now: in-flight demo requests are cut rather than awaited for up to a minute.
    forceCloseConnections: true,
    clientErrorHandler: (err, socket) => {
      if (!unread.spares(err, socket)) clientErrorHandler(err, socket)
    },
    frameworkErrors
  })
  unread.watch(app.server)

  const state = buildSubjectState({
    settings: opts.settings,
    poolTaskFile: opts.poolTaskFile,
    settingsBlock: opts.settingsBlock,
    // A refused change changes nothing and does not end the subject; the host hears why.
    onRefused: (err) => opts.send?.({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_IPC_INVALID') }),
    ...(opts.backend && { backend: opts.backend }),
    onUpstreamExit: (error) => opts.send?.({ type: 'error', error }),
    onUpstreamListening: (port) => opts.send?.({ type: 'backend', port })
  })
  const longPollCounters = (): LongPollCounters | undefined =>
    (app as FastifyInstance & { longPoll?: LongPollCounters }).longPoll
  const subject: Subject = {
    ...state,
    counters() {
      const longPoll = longPollCounters()
      return { ...state.gauges(), held: longPoll?.held() ?? 0, published: longPoll?.published() ?? 0 }
    }
  }
  app.decorate('subject', subject)
  app.addHook('onClose', async () => {
    await state.close()
  })

  registerHttpErrors(app)
  registerRoutes(app)
  // The broadcast lab (/wait, /events, /ws, /publish, /live); it decorates `app.longPoll`, which counters() reads.
  void app.register(longPoll, {
    getSettings: () => app.subject.settings(),
    ...(opts.shareLog && { shareLog: opts.shareLog })
  })

  if (opts.instrument) {
    const send = opts.send ?? (() => {})
    let instrument: Instrument | null = null
    let timeline: TimelineRecorder | null = null
    app.addHook('onReady', async () => {
      // The long-poll part. Its memory probe starts here, instrumented subjects only, and takes its baseline (a
      // forced GC) now: before the subject listens, so no run's loop figures see it.
      const longPoll = longPollCounters()
      longPoll?.memory()
      const read = (): SubjectCounters =>
        longPoll
          ? {
              ...app.subject.counters(),
              longPoll: {
                connections: longPoll.connections(),
                memory: longPoll.memory(),
                push: longPoll.push(),
                store: longPoll.store()
              }
            }
          : app.subject.counters()
      timeline =
        opts.timeline === false
          ? null
          : startTimeline({ server: app.server, flush: (t) => send({ type: 'timeline', ...t }) })
      instrument = startInstrument({
        send,
        read,
        ...(timeline && { timeline }),
        upstream: () => app.subject.upstream(),
        beat: opts.beatCell && openBeatCell(opts.beatCell)
      })
    })
    app.addHook('onClose', async () => {
      instrument?.stop()
      timeline?.stop()
    })
  }

  return app
}
