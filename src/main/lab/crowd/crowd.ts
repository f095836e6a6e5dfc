/**
 * The crowd of one run: the load (LoadGenerator), the push subscribers (SubscriberSwarm) and the publisher, and the
 * 100-ms tick that reports them to the host. The settings it is given were validated by the Lab at the edge; it
 * does not check them again.
 */
import { epochMs } from '../../../shared/epoch'
import { toErrorInfo } from '../../../shared/errors'
import { loadConnections, type Settings } from '../../../shared/settings'
import type { CrowdStart, CrowdToHost } from '../protocol'
import { REPORT_INTERVAL_MS } from '../protocol'
import { LoadGenerator, type DoneReason } from './load-generator'
import { Publisher } from './publisher'
import { SubscriberSwarm } from './subscribers'

/**
 * How long the end of a run waits for deliveries of messages already published, as a request budget waits for its
 * last answer: the publisher and the load stop first, then the end waits until every subscriber has every message
 * the crowd has seen published (and no publish is still on the wire), or this long. What is still owed then is
 * the summary's long-poll inFlight. Stop waits less: someone pressed it.
 */
export const DRAIN_MS: Record<DoneReason, number> = { duration: 2_000, requests: 2_000, stopped: 1_000 }
const DRAIN_POLL_MS = 10

/** Open files kept for the rest of the process beside the load's connections (the subscribers share the limit). */
const RESERVED_FDS = 500

export class Crowd {
  private readonly origin: string
  private readonly load: LoadGenerator
  private settings: Settings
  private swarm: SubscriberSwarm | null = null
  private publisher: Publisher | null = null
  private ticker: NodeJS.Timeout | null = null
  private ending = false
  private elu = performance.eventLoopUtilization()
  /**
   * The newest message id known: the log's as the run started (earlier runs' on Redis), then each one published. A
   * subscriber joining is owed the messages after it, not the log's history (which would count as deliveries of
   * this run, minutes old).
   */
  private latestId: number

  /** `post` carries ticks, errors and the one 'done' to the host; `onDone` runs after the 'done' is posted. */
  constructor(
    start: CrowdStart,
    private readonly post: (message: CrowdToHost) => void,
    private readonly onDone: () => void
  ) {
    this.origin = start.origin
    this.settings = start.settings
    this.latestId = start.latestId ?? 0
    this.load = new LoadGenerator(
      start.origin,
      start.settings,
      (reason) => void this.end(reason),
      new Int32Array(start.gauges),
      start.stampSends ?? true
    )
    this.applyPush(start.settings)
    this.ticker = setInterval(() => this.tick(), REPORT_INTERVAL_MS)
    void this.load.warmUp().then(() => this.load.start())
  }

  update(settings: Settings): void {
    // a run that is ending takes no new load: its books are closing
    if (this.ending) return
    this.settings = settings
    this.load.update(settings)
    this.applyPush(settings)
  }

  broadcast(text: string): void {
    if (this.ending) return
    // A broadcast cut off by the end of the run (the publisher is destroyed as the run ends) is not an error to
    // show: the run that it was for is over.
    this.ensurePublisher()
      .publishNow(text)
      .catch((err) => {
        if (!this.ending) this.post({ type: 'error', error: toErrorInfo(err) })
      })
  }

  async end(reason: DoneReason): Promise<void> {
    if (this.ending) return
    this.ending = true
    // The run ends now: its duration stops here, whatever the drain takes.
    const at = epochMs()
    const { firstSendAt, lastCompleteAt } = this.load
    // before stop(), which closes the connections these are waiting on
    const unanswered = this.load.unanswered()
    this.publisher?.stopRate()
    const loadStopped = this.load.stop()
    // Ticks go on while it drains, so the deliveries it waits for reach the host's frames.
    const drainMs = this.swarm && this.settings.subscribers > 0 ? await this.drain(DRAIN_MS[reason]) : null
    if (this.ticker) clearInterval(this.ticker)
    this.ticker = null
    this.tick(drainMs) // the last partial tick, with the books as they close
    await Promise.all([loadStopped, this.swarm?.close(), this.publisher?.close()])
    const toEpoch = (ms: number | null): number | null => (ms === null ? null : performance.timeOrigin + ms)
    this.post({
      type: 'done',
      reason,
      at,
      firstSendAt: toEpoch(firstSendAt),
      lastCompleteAt: toEpoch(lastCompleteAt),
      unanswered
    })
    this.onDone()
  }

  private applyPush(s: Settings): void {
    if ((s.subscribers > 0 || s.publishRatePerS > 0) && !this.swarm) {
      this.swarm = new SubscriberSwarm({
        origin: this.origin,
        pollTimeoutMs: s.pollTimeoutMs,
        transport: s.transport,
        reserveFds: RESERVED_FDS + loadConnections(s)
      })
      this.swarm.noteLatest(this.latestId)
      this.ensurePublisher()
    }
    this.swarm?.setPollTimeout(s.pollTimeoutMs)
    this.swarm?.setTransport(s.transport)
    this.swarm?.setCount(s.subscribers)
    this.publisher?.setRate(s.publishRatePerS)
  }

  private ensurePublisher(): Publisher {
    this.publisher ??= new Publisher({
      origin: this.origin,
      onPublished: (id) => {
        this.latestId = Math.max(this.latestId, id)
        this.swarm?.noteLatest(id)
      }
    })
    return this.publisher
  }

  private tick(drainMs: number | null = null): void {
    const push = this.swarm?.tick() ?? null
    if (push) push.books.drainMs = drainMs
    // the crowd's own loop, read on its own thread (read from the host's, it said ~100% where this says ~40%)
    const elu = performance.eventLoopUtilization()
    const loop = { idle: elu.idle - this.elu.idle, active: elu.active - this.elu.active }
    this.elu = elu
    this.post({ type: 'tick', at: epochMs(), ...this.load.tick(), push, loop })
  }

  /** Waits until every subscriber is up to date with what the crowd has seen published, or `limitMs`; returns ms waited. */
  private async drain(limitMs: number): Promise<number> {
    const start = performance.now()
    const settled = (): boolean => (this.publisher?.pending() ?? 0) === 0 && (this.swarm?.behind() ?? 0) <= 0
    while (!settled() && performance.now() - start < limitMs) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS))
    return Math.round(performance.now() - start)
  }
}
