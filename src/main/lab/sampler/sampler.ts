/**
 * Turns the crowd's ticks, the subject's reports and heartbeats into a Frame ten times a second, and a Summary at
 * the end. Runs on the host's main thread; every input is a per-tick aggregate, so a frame costs the same whether
 * the crowd does 10 or 20,000 requests a second.
 *
 * A thin composer: each figure is computed once, in the part that owns it — requests.ts (in flight, active,
 * queued, throughput, latency), loop.ts (stall, loop delay, utilization, loop turns; per
 * process in processes.ts), stacks.ts (what is blocking
 * the loop, and what held it longest), push.ts (subscribers per transport, deliveries, CPU and bytes per delivery,
 * memory per connection), spread.ts (what an uneven spread over processes costs), timeline.ts (each request's phases), upstream.ts (the backend of work "upstream"), libuv-pool.ts
 * (libuv's threads busy and waited for) — over the one rate window of rate-window.ts, and
 * theory in shared/theory.ts. The renderer and the CLI show these figures; they never derive them again.
 */
import type { EndReason, Frame, Mark, Summary, Unanswered } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import { theoryRps } from '../../../shared/theory'
import type { BackendReport, CrowdTick, StallEvent, SubjectReport, SubjectTimelineReport } from '../protocol'
import { CrowdLoopFigures } from './crowd-loop'
import { PushFigures } from './push'
import { ProcessLoops } from './processes'
import { LibuvPoolFigures } from './libuv-pool'
import { HoldFigures } from './hold'
import { FittedWindow } from './rate-window'
import { RequestFigures } from './requests'
import { spreadCost } from './spread'
import { StackFigures } from './stacks'
import { TimelineFigures } from './timeline'
import { UpstreamFigures } from './upstream'

/** The work's own round trip, which the rate window starts from: hello world has none. */
const roundTripMs = (s: Settings): number => (s.route === 'work' ? s.delayMs : 0)
/** Most a tick is believed late: beyond it the two clocks disagree (a test's made-up times), not the queue. */
const MAX_TICK_LATE_MS = 2000
/** When the crowd took a tick, on the host's clock (both are epoch ms from performance.timeOrigin + now()). */
function takenAt(tick: CrowdTick, now: number): number {
  const lateMs = performance.timeOrigin + now - tick.at
  return lateMs > 0 && lateMs <= MAX_TICK_LATE_MS ? now - lateMs : now
}
/** Settings under which a request's work holds the loop: a stall is then that request running. */
const holdsLoop = (s: Settings): boolean => s.route === 'work' && s.threads === 0 && s.blocking

export class Sampler {
  private settings: Settings
  private readonly startedAt: number
  private readonly cpuCount: number
  private readonly window: FittedWindow
  private readonly requests = new RequestFigures()
  private readonly loop: ProcessLoops
  private readonly push = new PushFigures()
  private readonly timeline: TimelineFigures
  private readonly stacks = new StackFigures()
  private readonly upstream = new UpstreamFigures()
  private readonly libuvPool = new LibuvPoolFigures()
  private readonly crowdLoop = new CrowdLoopFigures()
  /** the front door's part, when the run has one (useFrontDoor) */
  private hold: HoldFigures | null = null
  private pendingMarks: Mark[] = []
  readonly marks: Mark[] = []
  /** until when requests' work held the loop: +∞ while it does, the time it was switched off after */
  private loopHeldUntil: number

  /** `now` values are performance.now() of the host. */
  constructor(settings: Settings, now: number, cpuCount = 2) {
    this.settings = settings
    this.startedAt = now
    this.cpuCount = cpuCount
    this.window = new FittedWindow(now, roundTripMs(settings))
    this.loop = new ProcessLoops(now, settings.processes)
    this.timeline = new TimelineFigures(now)
    this.loopHeldUntil = holdsLoop(settings) ? Infinity : -Infinity
  }
  /** The newest message id in the broadcast log as the run started: its subscribers are owed only the later ones. */
  logAtStart(id: number): void {
    this.push.logAtStart(id)
  }

  /** How long the subject's loop has not been heard from. */
  stallMs(now: number): number {
    return this.loop.stallMs(now)
  }

  /** `worker`: the process it came from, with several (1 … processes); absent with one */
  heartbeat(now: number, active: number, worker?: number): void {
    this.requests.beat(this.loop.heartbeat(now, active, worker, holdsLoop(this.settings)))
  }

  /** The crowd's live in-flight gauge (shared memory), paired with each heartbeat. */
  useInFlightGauge(gauge: Int32Array): void {
    this.requests.useGauge(gauge)
  }

  /** The run has a front door: its counts join the frames. */
  useFrontDoor(hold: HoldFigures): void {
    this.hold = hold
  }

  /** The app's process is to be replaced (after the requests at it, under a hold, have finished). */
  restartBegan(): void {
    this.hold?.restartBegan()
  }

  /** The old app's process is gone: until the new one's first heartbeat, the silence is no stall. */
  appGone(): void {
    this.hold?.appGone()
    this.loop.newSubject()
    this.upstream.newSubject()
    this.libuvPool.newSubject()
  }

  /** One process of several died and a new one took its number: its loop starts again, its silence is no stall. */
  processReplaced(worker: number): void {
    this.loop.replace(worker)
    this.processGone(worker)
  }

  /** One process of several died: its backend calls and its libuv pool go with it (its loop row stays, silent). */
  processGone(worker: number): void {
    this.upstream.forget(worker)
    this.libuvPool.forget(worker)
  }

  restartEnded(pid: number): void {
    this.hold?.restartEnded(pid)
  }

  /** A mark that is not a settings change (a restart): drawn like one, the rate window left as it is. */
  note(label: string, now: number): void {
    const full = { t: Math.round(now - this.startedAt), label, patch: {} }
    this.pendingMarks.push(full)
    this.marks.push(full)
  }

  subjectReport(report: SubjectReport, now: number): void {
    // the loop's busy time is the loop part's figure; the push part divides it by its deliveries
    this.push.subjectReport(report, this.loop.report(report, now))
    this.timeline.report(report.timeline)
    this.upstream.report(report.upstream, report.worker)
    this.libuvPool.report(report.libuvPool, report.worker)
  }

  /** The backend's own figures (work "upstream"), read by the host straight from the backend. */
  backendReport(report: BackendReport, now: number): void {
    this.upstream.backend(report, now)
  }

  /** The timeline's sample sent between reports, while the subject's loop is held (subject/timeline.ts). */
  subjectTimeline(timeline: SubjectTimelineReport): void {
    this.timeline.report(timeline)
  }

  /** The subject's stall watch, from its control line: a stalled loop's stack, or a stall's end. */
  stallEvent(event: StallEvent): void {
    this.stacks.event(event)
  }

  crowdTick(tick: CrowdTick, now: number): void {
    if (tick.sent > 0) {
      this.loop.startClock(now)
      this.window.start(now)
    }
    this.window.answered(this.requests.tick(tick, takenAt(tick, now)))
    this.push.tick(tick.push)
    if (tick.loop) this.crowdLoop.tick(now, tick.loop)
  }

  /** A settings change: it applies from now on, restarts the rate window, and is drawn as a mark in the next frame. */
  change(settings: Settings, mark: Omit<Mark, 't'>, now: number): void {
    if (holdsLoop(settings)) this.loopHeldUntil = Infinity
    else if (this.loopHeldUntil === Infinity) this.loopHeldUntil = now
    this.settings = settings
    this.window.change(now, this.requests.inFlightNow(), roundTripMs(settings))
    const full = { ...mark, t: Math.round(now - this.startedAt) }
    this.pendingMarks.push(full)
    this.marks.push(full)
  }

  frame(now: number): Frame {
    this.requests.close(now)
    this.push.close(now)
    this.window.closed(now)
    let span = this.window.span(now)
    const p50Ms = this.requests.medianLatencyMs(span)
    if (p50Ms !== null) {
      this.window.observeLatency(p50Ms)
      span = this.window.span(now)
    }
    const { loop, rows } = this.loop.frame(now, holdsLoop(this.settings))
    // A stall that began while the work held the loop is a request running: the rest wait behind it. Any other
    // stall (a collection, a starved process) leaves the requests where they were at the last heartbeat.
    const blocked = loop.stalled && now - loop.stallMs < this.loopHeldUntil
    const marks = this.pendingMarks
    this.pendingMarks = []
    const { maxStallMs, ...loopNow } = loop
    const upstream = this.upstream.frame(now)
    const libuvPool = this.libuvPool.frame(this.settings)
    const crowdBusy = this.crowdLoop.frame(now)
    const spread = spreadCost(rows, this.settings, this.cpuCount)
    return {
      t: Math.round(now - this.startedAt),
      ...this.requests.frame(now, span, blocked ? this.settings.processes : 0),
      window: { windowMs: span.windowMs, spanMs: span.spanMs, state: span.state },
      ...loopNow,
      blockedStack: this.stacks.frame(loop.stalled),
      theoryRps: this.theory(),
      rssBytes: this.loop.rssBytes(),
      maxStallMs,
      marks,
      push: this.push.frame(now, span),
      timeline: this.timeline.frame(),
      // absent with no backend: a run of other work carries nothing for it
      ...(upstream && { upstream }),
      // only with work "libuv": every other frame stays as it was
      ...(libuvPool && { libuvPool }),
      // absent without a front door, as in the frames of a run saved before there was one
      ...(this.hold && { hold: this.hold.frame(now) }),
      // absent with one process, as in the frames of a run saved before there were several
      ...(rows && { processes: rows }),
      // absent unless an uneven spread over the processes costs throughput now
      ...(spread && { spread }),
      // absent until measured, as in the frames of a run saved before it
      ...(crowdBusy !== null && { crowdBusy })
    }
  }

  /**
   * `durationMs` is the crowd's own: first send → last answer (ab's "time taken"), or → the end of the run;
   * `unanswered`, what the crowd left unanswered at the end (null: it could not say).
   */
  summary(
    reason: EndReason,
    durationMs: number,
    unanswered: Unanswered | null = null,
    now = performance.now()
  ): Summary {
    const requests = this.requests.summary()
    const durationS = Math.max(durationMs, 1) / 1000
    const upstream = this.upstream.summary()
    const libuvPool = this.libuvPool.summary(this.settings)
    const loop = this.loop.summary(now)
    const crowdBusy = this.crowdLoop.summary()
    return {
      settings: this.settings,
      reason,
      ...requests,
      durationMs: Math.round(durationMs),
      rps: Math.round((requests.completed / durationS) * 100) / 100,
      theoryRps: this.theory(),
      loop: loop.loop,
      unanswered,
      marks: this.marks,
      push: this.push.summary(),
      blockedStacks: this.stacks.summary(this.loop.stallMs(now)),
      ...(upstream && { upstream }),
      ...(libuvPool && { libuvPool }),
      ...(this.hold && { hold: this.hold.summary(now) }),
      ...(loop.rows && { processes: loop.rows }),
      ...(crowdBusy !== null && { crowdBusy })
    }
  }

  private theory(): number | null {
    const t = theoryRps(this.settings, this.cpuCount)
    return t === null ? null : Math.round(t * 100) / 100
  }
}
