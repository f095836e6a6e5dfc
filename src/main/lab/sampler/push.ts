/**
 * The subscribers' part of a frame and of the summary (long polling, Server-Sent Events, WebSocket), each figure
 * computed here once: per transport, subscribers connected, deliveries and long polling's timeouts and re-poll
 * requests a second over the frame's rate window, delivery latency (publish → received), bytes on the wire per
 * delivered message both ways (the crowd's raw sockets count them); for the subject, its CPU time per delivered
 * message and its memory per connection; and the books.
 *
 * CPU per delivered message = Σ the subject's busy time (its eventLoopUtilization × the time each report covers,
 * from the loop part, loop.ts) / Σ messages delivered, both over the same buckets. It is the whole subject's
 * busy time — a load running beside the subscribers counts too — so it reads as the cost of a delivery only when
 * the subscribers are what the subject does. In the summary each transport gets the busy time of the ticks in which
 * the settings named it.
 *
 * Memory per connection = the JS heap's growth per open connection, read right after a forced GC (less the same
 * with no connection open), + Node's native state per connection (a constant the bench measures): see
 * subject/memory-probe.ts. The subject takes those samples rarely — once the number of connections has changed and
 * settled, at most every 5 s — so the figure moves in steps and between them is the last sample's. All the
 * subject's connections count, the load generator's and the publisher's too: each costs about what a held one does.
 *
 * The books: a subscriber is owed every message from `from` — the id the crowd knew was next when the subscriber
 * first asked — to the last one published; one removed during the run, to the last it had (it left, it lost
 * nothing). With L the last published id, owed = joined × L − Σ(from − 1) + owed to the removed: three numbers per
 * crowd tick, nothing per message. undelivered = owed − delivered is then what the subject said was gone from the
 * log (the subscriber fell more than logSize behind) plus what was still on its way when the run ended, after the
 * crowd's drain. A transport change leaves them as they are: each subscriber resumes from its last + 1.
 */
import type { PushFrame, PushSummary, PushTransportFrame, PushTransportSummary } from '../../../shared/frame'
import { PUSH_TRANSPORTS, type PushTransport } from '../../../shared/wire'
import type {
  CrowdPushTick,
  LongPollBooks,
  PushTransportTick,
  SubjectPushReport,
  SubjectReport,
  SubjectTransportReport
} from '../protocol'
import { buildHistogram, decodeHistogram, mergeAll, percentileMs, usToMs, type Histogram } from '../histogram'
import { hannRate, inSpan, MAX_WINDOW_MS, type Span } from './rate-window'
import { latencyStats } from './requests'
import { bytesPerConnection } from '../subject/memory-probe'
import { RollingWindow } from './window'

/** One transport's counts over one frame (a bucket) or over the run (its totals). */
interface Counts {
  delivered: number
  timeouts: number
  requests: number
  bytesRead: number
  bytesWritten: number
  delivery: Histogram | null
}

interface Bucket {
  at: number
  /** the subject's busy time in this bucket, ms (utilization × report interval) */
  busyMs: number
  /** subject reports that arrived in it */
  reports: number
  by: Partial<Record<PushTransport, Counts>>
}

const emptyCounts = (): Counts => ({
  delivered: 0,
  timeouts: 0,
  requests: 0,
  bytesRead: 0,
  bytesWritten: 0,
  delivery: null
})

function add(into: Counts, t: PushTransportTick): void {
  into.delivered += t.delivered
  into.timeouts += t.timeouts
  into.requests += t.requests
  into.bytesRead += t.bytesRead
  into.bytesWritten += t.bytesWritten
  const delivery = decodeHistogram(t.deliveryHistogram)
  if (delivery) {
    if (into.delivery) into.delivery.add(delivery)
    else into.delivery = delivery
  }
}

/** bytes (or µs) per delivered message, to a tenth; null with none delivered */
const perDelivery = (amount: number, delivered: number): number | null =>
  delivered > 0 ? Math.round((amount / delivered) * 10) / 10 : null

export class PushFigures {
  private pending: Bucket = { at: 0, busyMs: 0, reports: 0, by: {} }
  private readonly buckets = new RollingWindow<Bucket>(MAX_WINDOW_MS + 1000)
  /** the transport the settings name, as of the latest crowd tick */
  private transport: PushTransport = 'long-poll'
  private connected: Partial<Record<PushTransport, number>> = {}
  private limitNote: string | null = null
  /** the subject's latest report; with several processes, all of theirs read as one (wholeSubject) */
  private report: SubjectReport | null = null
  private readonly byWorker = new Map<number, SubjectReport>()
  private readonly totals = Object.fromEntries(
    PUSH_TRANSPORTS.map((t) => [t, { ...emptyCounts(), delivery: buildHistogram(), busyMs: 0 }])
  ) as Record<PushTransport, Counts & { delivery: Histogram; busyMs: number }>
  private readonly used = new Set<PushTransport>()
  private books: LongPollBooks | null = null
  /** the subject's cumulative per-transport counts: the first report of the run, and the latest */
  private subjectFirst: SubjectPushReport | null = null
  private subjectLast: SubjectPushReport | null = null
  /** memory per connection from the GC-clean sample with the most connections so far: the summary's figure */
  private bestBytesPerHeld: { connections: number; bytes: number } | null = null
  private maxHeld = 0
  private logStartId = 0

  /** The newest message id in the log as the run started (the subject said so as it listened). */
  logAtStart(id: number): void {
    this.logStartId = id
  }

  /** `busyMs`: the subject loop's busy time this report covers (the loop part's figure: utilization × its span) */
  subjectReport(report: SubjectReport, busyMs = 0): void {
    this.byWorker.set(report.worker ?? 1, report)
    this.report = this.byWorker.size === 1 ? report : wholeSubject([...this.byWorker.values()])
    this.pending.busyMs += busyMs
    this.pending.reports++
    // the whole subject's counts (with several processes, their sum), not only those of the process that reported
    const push = this.report.longPoll?.push
    if (push) {
      this.subjectFirst ??= push
      this.subjectLast = push
    }
    this.totals[this.transport].busyMs += busyMs
    const bytes = this.bytesPerConnection()
    const connections = report.longPoll?.memory.latest?.connections ?? 0
    if (bytes !== null && connections >= (this.bestBytesPerHeld?.connections ?? 0))
      this.bestBytesPerHeld = { connections, bytes }
  }

  /** From the subject's latest GC-clean sample and the one with no connection open; null without both. */
  private bytesPerConnection(): number | null {
    const memory = this.report?.longPoll?.memory
    return memory?.latest && memory.baseline ? bytesPerConnection(memory.latest, memory.baseline) : null
  }

  tick(push: CrowdPushTick | null): void {
    if (!push) return
    this.transport = push.transport
    this.limitNote = push.limitNote
    this.books = push.books
    this.connected = {}
    for (const t of push.transports) {
      this.connected[t.transport] = t.subscribers
      if (t.subscribers > 0 || t.delivered > 0) this.used.add(t.transport)
      add((this.pending.by[t.transport] ??= emptyCounts()), t)
      add(this.totals[t.transport], t)
    }
  }

  close(now: number): void {
    this.pending.at = now
    this.buckets.push(now, this.pending)
    this.pending = { at: 0, busyMs: 0, reports: 0, by: {} }
  }

  private subscribers(): number {
    let n = 0
    for (const t of PUSH_TRANSPORTS) n += this.connected[t] ?? 0
    return n
  }

  frame(now: number, span: Span): PushFrame | null {
    const r = this.report
    const store = r?.longPoll?.store
    const held = r?.held ?? 0
    const subscribers = this.subscribers()
    if (subscribers === 0 && held === 0 && (r?.published ?? 0) === 0) return null
    const buckets = this.buckets.values()
    const within = inSpan(buckets, span)
    this.maxHeld = Math.max(this.maxHeld, held)
    let busyMs = 0
    let reports = 0
    let delivered = 0
    for (const b of within) {
      busyMs += b.busyMs
      reports += b.reports
      for (const t of PUSH_TRANSPORTS) delivered += b.by[t]?.delivered ?? 0
    }
    const others = PUSH_TRANSPORTS.filter(
      (t) => t !== this.transport && ((this.connected[t] ?? 0) > 0 || within.some((b) => (b.by[t]?.delivered ?? 0) > 0))
    ).map((t) => this.transportFrame(t, buckets, within, span, now))
    return {
      ...this.transportFrame(this.transport, buckets, within, span, now),
      held,
      published: r?.published ?? 0,
      // a busy loop reports late: a span no report reached yet says nothing of the subject's time (null, not 0)
      cpuPerDeliveryUs: span.state === 'settling' || reports === 0 ? null : perDelivery(busyMs * 1000, delivered),
      // not only while requests are held: mid fan-out none is, and every connection still costs what it did
      bytesPerHeld: held > 0 || subscribers > 0 ? this.bytesPerConnection() : null,
      limitNote: this.limitNote,
      others,
      ...(store?.kind === 'redis' && { redis: { up: store.up, lost: store.lost } }),
      logStartId: this.logStartId
    }
  }

  private transportFrame(
    transport: PushTransport,
    buckets: readonly Bucket[],
    within: readonly Bucket[],
    span: Span,
    now: number
  ): PushTransportFrame {
    const sum = emptyCounts()
    for (const b of within) {
      const c = b.by[transport]
      if (!c) continue
      sum.delivered += c.delivered
      sum.bytesRead += c.bytesRead
      sum.bytesWritten += c.bytesWritten
    }
    const delivery = mergeAll(within.map((b) => b.by[transport]?.delivery ?? null))
    const rate = (count: (c: Counts) => number): number | null =>
      hannRate(buckets, span, now, (b) => (b.by[transport] ? count(b.by[transport]) : 0))
    return {
      transport,
      subscribers: this.connected[transport] ?? 0,
      deliveriesPerS: rate((c) => c.delivered),
      deliveryMs: delivery ? latencyStats(delivery, null) : null,
      timeoutsPerS: rate((c) => c.timeouts),
      requestsPerS: rate((c) => c.requests),
      bytesInPerDelivery: perDelivery(sum.bytesRead, sum.delivered),
      bytesOutPerDelivery: perDelivery(sum.bytesWritten, sum.delivered)
    }
  }

  /** what the subject counted over the run on these transports (its counts are cumulative: last − first) */
  private subjectCounts(transports: readonly PushTransport[]): SubjectCounts {
    const first = this.subjectFirst
    const last = this.subjectLast
    if (!first || !last) return { slowConsumersCut: null, refused: null }
    let cut = 0
    let refused = 0
    for (const t of transports) {
      cut += last[t].slowConsumersCut - first[t].slowConsumersCut
      refused += last[t].refused - first[t].refused
    }
    return { slowConsumersCut: cut, refused }
  }

  summary(): PushSummary | null {
    let delivered = 0
    for (const t of PUSH_TRANSPORTS) delivered += this.totals[t].delivered
    const subscribers = this.subscribers()
    if (this.maxHeld === 0 && delivered === 0 && subscribers === 0) return null
    const books = this.books
    // The last published id: the subject's count, or one the crowd has already seen if its report is older.
    const published = Math.max(this.report?.published ?? 0, books?.latest ?? 0)
    const owed = books ? books.joined * published - books.fromSum + books.closedOwed : delivered
    const undelivered = owed - delivered
    const missed = books?.missed ?? 0
    const used = PUSH_TRANSPORTS.filter((t) => this.used.has(t))
    const all = emptyCounts()
    const allDelivery = buildHistogram()
    let busyMs = 0
    for (const t of PUSH_TRANSPORTS) {
      const c = this.totals[t]
      all.timeouts += c.timeouts
      all.requests += c.requests
      all.bytesRead += c.bytesRead
      all.bytesWritten += c.bytesWritten
      allDelivery.add(c.delivery)
      busyMs += c.busyMs
    }
    all.delivered = delivered
    return {
      ...transportSummary(
        this.transport,
        { ...all, delivery: allDelivery },
        busyMs,
        this.subjectCounts(PUSH_TRANSPORTS)
      ),
      subscribers,
      held: this.maxHeld,
      published,
      ...(this.report?.longPoll?.store?.kind === 'redis' && { redisLost: this.report.longPoll.store.lost }),
      logStartId: this.logStartId,
      owed,
      undelivered,
      missed,
      inFlight: undelivered - missed,
      drainMs: books?.drainMs ?? null,
      bytesPerHeld: this.bestBytesPerHeld?.bytes ?? null,
      byTransport:
        used.length > 1
          ? used.map((t) => transportSummary(t, this.totals[t], this.totals[t].busyMs, this.subjectCounts([t])))
          : null
    }
  }
}

type SubjectCounts = Pick<PushTransportSummary, 'slowConsumersCut' | 'refused'>

function transportSummary(
  transport: PushTransport,
  c: Counts & { delivery: Histogram },
  busyMs: number,
  subject: SubjectCounts
): PushTransportSummary {
  const some = c.delivery.totalCount > 0
  return {
    transport,
    delivered: c.delivered,
    deliveryP50Ms: some ? percentileMs(c.delivery, 50) : null,
    deliveryP99Ms: some ? percentileMs(c.delivery, 99) : null,
    deliveryMaxMs: some ? usToMs(c.delivery.maxValue) : null,
    timeouts: c.timeouts,
    requests: c.requests,
    bytesInPerDelivery: perDelivery(c.bytesRead, c.delivered),
    bytesOutPerDelivery: perDelivery(c.bytesWritten, c.delivered),
    cpuPerDeliveryUs: perDelivery(busyMs * 1000, c.delivered),
    ...subject
  }
}

/**
 * Several processes' latest reports read as the one subject the push figures are about: requests held and the
 * transports' counts add up (each process holds its own subscribers), the published count is the shared log's (the
 * highest any process has seen), memory per connection is the sample of the process with the most connections (each
 * weighs its own), and the store is up only while every process can reach it.
 */
export function wholeSubject(reports: readonly SubjectReport[]): SubjectReport {
  const first = reports[0]!
  const withLongPoll = reports.filter((r) => r.longPoll)
  const sum = (pick: (r: SubjectReport) => number): number => reports.reduce((n, r) => n + pick(r), 0)
  const push = withLongPoll.some((r) => r.longPoll!.push)
    ? (Object.fromEntries(
        PUSH_TRANSPORTS.map((t) => {
          const parts = withLongPoll.map((r) => r.longPoll!.push?.[t])
          const add = (k: keyof SubjectTransportReport): number => parts.reduce((n, p) => n + (p?.[k] ?? 0), 0)
          return [
            t,
            {
              open: add('open'),
              slowConsumersCut: add('slowConsumersCut'),
              refused: add('refused'),
              bytesWritten: add('bytesWritten')
            }
          ]
        })
      ) as SubjectPushReport)
    : undefined
  const stores = withLongPoll.map((r) => r.longPoll!.store).filter((x) => x !== undefined)
  const heaviest = withLongPoll.reduce<SubjectReport | null>(
    (best, r) =>
      best === null || (r.longPoll!.memory.latest?.connections ?? 0) > (best.longPoll!.memory.latest?.connections ?? 0)
        ? r
        : best,
    null
  )
  return {
    ...first,
    worker: undefined,
    held: sum((r) => r.held),
    published: Math.max(...reports.map((r) => r.published)),
    ...(heaviest && {
      longPoll: {
        connections: withLongPoll.reduce((n, r) => n + r.longPoll!.connections, 0),
        memory: heaviest.longPoll!.memory,
        ...(push && { push }),
        ...(stores.length > 0 && {
          store: {
            kind: stores[0]!.kind,
            up: stores.every((x) => x.up),
            lost: Math.max(...stores.map((x) => x.lost))
          }
        })
      }
    })
  }
}
