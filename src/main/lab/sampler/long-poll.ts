/**
 * The long-poll part of a frame and of the summary: subscribers and held connections, deliveries and timeouts a
 * second over the frame's rate window, delivery latency (publish → received), the subject's memory per held
 * connection, and the books.
 *
 * Memory per held connection = the JS heap's growth per open connection, read right after a forced GC (less the
 * same with no connection open), + Node's native state per connection (a constant the bench measures): see
 * subject/memory-probe.ts. The subject takes those samples rarely — once the number of connections has changed and
 * settled, at most every 5 s — so the figure moves in steps and between them is the last sample's. RSS at a random
 * moment counted the garbage of every fan-out since the last collection as the connections' cost (22–37 KiB where
 * the bench measures ~8 KiB after a GC). All the subject's connections count, the load generator's and the
 * publisher's too: each costs about what a held one does.
 *
 * The books: a subscriber is owed every message from `from` — the id the crowd knew was next when the subscriber
 * first asked (it asks `/wait?since=from`) — to the last one published; one removed during the run, to the last it
 * had (it left, it lost nothing). With L the last published id, owed = joined × L − Σ(from − 1) + owed to the
 * removed: three numbers per crowd tick, nothing per message. undelivered = owed − delivered is then what the
 * subject said was gone from the log (x-loopscope-missed: the subscriber fell more than logSize behind) plus what
 * was still on its way when the run ended, after the crowd's drain.
 */
import type { LongPollFrame, LongPollSummary } from '../../../shared/frame'
import type { CrowdTick, SubjectReport } from '../protocol'
import { buildHistogram, decodeHistogram, mergeAll, percentileMs, type Histogram } from '../histogram'
import { hannRate, inSpan, MAX_WINDOW_MS, type Span } from './rate-window'
import { latencyStats } from './requests'
import { bytesPerConnection } from '../subject/memory-probe'
import { RollingWindow } from './window'

type Books = NonNullable<CrowdTick['longPoll']>['books']

interface Bucket {
  at: number
  delivered: number
  timeouts: number
  delivery: Histogram | null
}

export class LongPollFigures {
  private pending: Omit<Bucket, 'at'> = LongPollFigures.emptyBucket()
  private readonly buckets = new RollingWindow<Bucket>(MAX_WINDOW_MS + 1000)
  private subscribers = 0
  private limitNote: string | null = null
  private report: SubjectReport | null = null
  private readonly totalDelivery = buildHistogram()
  private delivered = 0
  private timeouts = 0
  private books: Books | null = null
  /** memory per connection from the GC-clean sample with the most connections so far: the summary's figure */
  private bestBytesPerHeld: { connections: number; bytes: number } | null = null
  private maxHeld = 0

  private static emptyBucket(): Omit<Bucket, 'at'> {
    return { delivered: 0, timeouts: 0, delivery: null }
  }

  subjectReport(report: SubjectReport): void {
    this.report = report
    const bytes = this.bytesPerConnection()
    const connections = report.longPoll?.memory.latest?.connections ?? 0
    if (bytes !== null && connections >= (this.bestBytesPerHeld?.connections ?? 0)) this.bestBytesPerHeld = { connections, bytes }
  }

  /** From the subject's latest GC-clean sample and the one with no connection open; null without both. */
  private bytesPerConnection(): number | null {
    const memory = this.report?.longPoll?.memory
    return memory?.latest && memory.baseline ? bytesPerConnection(memory.latest, memory.baseline) : null
  }

  tick(lp: CrowdTick['longPoll']): void {
    if (!lp) return
    const b = this.pending
    this.subscribers = lp.subscribers
    this.limitNote = lp.limitNote
    b.delivered += lp.delivered
    b.timeouts += lp.timeouts
    this.delivered += lp.delivered
    this.timeouts += lp.timeouts
    this.books = lp.books
    const delivery = decodeHistogram(lp.deliveryHistogram)
    if (delivery) {
      this.totalDelivery.add(delivery)
      if (b.delivery) b.delivery.add(delivery)
      else b.delivery = delivery
    }
  }

  close(now: number): void {
    this.buckets.push(now, { at: now, ...this.pending })
    this.pending = LongPollFigures.emptyBucket()
  }

  frame(now: number, span: Span): LongPollFrame | null {
    const r = this.report
    const held = r?.held ?? 0
    if (this.subscribers === 0 && held === 0 && (r?.published ?? 0) === 0) return null
    const buckets = this.buckets.values()
    const delivery = mergeAll(inSpan(buckets, span).map((b) => b.delivery))
    // not only while requests are held: mid fan-out none is, and every connection still costs what it did
    const bytesPerHeld = held > 0 || this.subscribers > 0 ? this.bytesPerConnection() : null
    this.maxHeld = Math.max(this.maxHeld, held)
    return {
      subscribers: this.subscribers,
      held,
      deliveriesPerS: hannRate(buckets, span, now, (b) => b.delivered),
      deliveryMs: delivery ? latencyStats(delivery, null) : null,
      timeoutsPerS: hannRate(buckets, span, now, (b) => b.timeouts),
      published: r?.published ?? 0,
      bytesPerHeld,
      limitNote: this.limitNote
    }
  }

  summary(): LongPollSummary | null {
    if (this.maxHeld === 0 && this.delivered === 0 && this.subscribers === 0) return null
    const books = this.books
    // The last published id: the subject's count, or one the crowd has already seen if its report is older.
    const published = Math.max(this.report?.published ?? 0, books?.latest ?? 0)
    const owed = books ? books.joined * published - books.fromSum + books.closedOwed : this.delivered
    const undelivered = owed - this.delivered
    const missed = books?.missed ?? 0
    return {
      subscribers: this.subscribers,
      held: this.maxHeld,
      published,
      delivered: this.delivered,
      owed,
      undelivered,
      missed,
      inFlight: undelivered - missed,
      drainMs: books?.drainMs ?? null,
      deliveryP50Ms: this.totalDelivery.totalCount ? percentileMs(this.totalDelivery, 50) : null,
      deliveryP99Ms: this.totalDelivery.totalCount ? percentileMs(this.totalDelivery, 99) : null,
      timeouts: this.timeouts,
      bytesPerHeld: this.bestBytesPerHeld?.bytes ?? null
    }
  }
}
