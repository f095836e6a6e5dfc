/**
 * The subject's memory per held connection, garbage not counted.
 *
 * RSS read at a random moment holds whatever garbage has piled up since the last collection: with 2,000 held and
 * two publishes a second (each fan-out allocates a response per subscriber, and each re-poll a request) it read
 * 22–37 KiB a connection, where the same connections cost ~8 KiB (bench/long-poll.ts). Even right after a forced
 * GC, RSS keeps what the churn left behind: V8's empty heap pages (the young generation grows to 32 MB under
 * fan-outs and stays), and native memory the allocator keeps once freed, which grows with every fan-out (seen on
 * the 2-core machine: +7 MB after 5 fan-outs to 2,000, +15 MB after 30, none of it held by a connection).
 *
 * So the figure is computed from what a connection does hold:
 *   - its JS objects: the heap's used size (+ external memory) right after a forced full GC, less the same with
 *     no connection open, divided by the connections open at that GC — measured here, live;
 *   - its native state (libuv handle, TCP wrap, HTTP parser), which Node allocates outside the heap: a constant,
 *     NATIVE_BYTES_PER_CONNECTION, measured by bench/long-poll.ts as (RSS − the heap's resident size) per
 *     connection after a GC, before any fan-out: 1.9–2.6 KiB at 2,000 and 10,000 held on Node 20.20. The bench
 *     prints its measurement beside this constant.
 *
 * A forced full GC holds the loop, and the loop's delay is what the app teaches with, so it is small and rare:
 *   - only while requests are held at /wait: a run without subscribers (the 2-s experiment, hello world) never has
 *     one after the baseline, which is taken as the subject starts, before it listens;
 *   - only once the number of open connections has changed since the last sample and then held still for a second,
 *     at most every MIN_INTERVAL_MS (the baseline aside), and not in the middle of a fan-out (about as many requests
 *     held as at any moment since the count changed, or their objects would be missing); a count that never
 *     settles is sampled every 30 s. With steady subscribers it never runs again, publishing or not.
 * The pause, measured on the 2-core CI-class machine (Node 20.20) while other work kept its load average at 3–6:
 * with 10,000 held (~58 MB of live heap) 93–122 ms in bench/long-poll.ts and 138–191 ms in a Lab's subject; with
 * 2,000 held 41–121 ms; with none (the baseline) 24–65 ms. A quiet machine takes less. It shows once in the
 * loop-delay chart after the subscribers connect and once after each change of their number — shorter than one
 * fan-out to as many (290–750 ms at 10,000 on the same machine).
 *
 * gc() is not exposed without --expose-gc; the flag is set at run time and the function taken from a fresh context
 * (V8 installs `gc` in contexts created after the flag is set), so no launcher has to pass it. Where that fails
 * the probe takes no samples and the figure stays null rather than counting garbage.
 */
import { performance } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Node's native memory per HTTP connection (see above; bench/long-poll.ts re-measures it). */
export const NATIVE_BYTES_PER_CONNECTION = 2048
/** The fewest ms between two forced GCs. */
export const MIN_INTERVAL_MS = 5_000
/** How often the probe looks whether something changed (a cheap comparison; it collects far more rarely). */
const CHECK_EVERY_MS = 250
/** A new count is sampled once it has held this long: not in the middle of 10,000 connecting. */
const SETTLE_MS = 1_000
/** "As many held as at any moment since": this share of it, so a straggling re-poll or two does not delay a sample. */
const HELD_SHARE = 0.98
/** A count that never settles (connections coming and going) is sampled anyway this often. */
const UNSETTLED_INTERVAL_MS = 30_000

export interface MemorySample {
  /** the heap's used size right after a forced full GC: live JS objects only */
  heapUsedBytes: number
  /** memory of JS objects held outside the heap (Buffers and the like), after the same GC */
  externalBytes: number
  /** for comparison (the bench prints them): the process's RSS and the heap's resident size, after the same GC */
  rssBytes: number
  heapPhysicalBytes: number
  /** open connections to the server when it was taken */
  connections: number
  /** requests held at /wait when it was taken */
  held: number
  /** how long the forced GC held the loop, ms */
  gcMs: number
}

export interface MemoryReport {
  /** the latest sample; null until the first */
  latest: MemorySample | null
  /** the latest sample taken with no connection open: what the connections' cost is measured from */
  baseline: MemorySample | null
}

/** Memory per connection from a sample and a baseline: JS objects measured, native state the constant. */
export function bytesPerConnection(latest: MemorySample, baseline: MemorySample): number | null {
  if (latest.connections === 0) return null
  const js = latest.heapUsedBytes + latest.externalBytes - (baseline.heapUsedBytes + baseline.externalBytes)
  return Math.round(Math.max(0, js) / latest.connections + NATIVE_BYTES_PER_CONNECTION)
}

let exposedGc: (() => void) | null | undefined

/** The engine's gc(), exposing it if need be; null where it cannot be had. */
export function forcedGc(): (() => void) | null {
  if (exposedGc !== undefined) return exposedGc
  const existing = (globalThis as { gc?: unknown }).gc
  if (typeof existing === 'function') return (exposedGc = existing as () => void)
  try {
    setFlagsFromString('--expose-gc')
    const fn: unknown = runInNewContext('gc')
    exposedGc = typeof fn === 'function' ? (fn as () => void) : null
  } catch {
    exposedGc = null
  }
  return exposedGc
}

/** Takes a forced GC and the memory right after it. */
export function sampleMemory(connections: number, held: number): MemorySample | null {
  const gc = forcedGc()
  if (gc === null) return null
  const start = performance.now()
  gc()
  const gcMs = performance.now() - start
  const heap = getHeapStatistics()
  const { rss, external } = process.memoryUsage()
  return {
    heapUsedBytes: heap.used_heap_size,
    externalBytes: external,
    rssBytes: rss,
    heapPhysicalBytes: heap.total_physical_size,
    connections,
    held,
    gcMs
  }
}

export interface ProbeState {
  /** open connections to the server */
  connections: number
  /** requests held at /wait */
  held: number
}

export class MemoryProbe {
  private sample: MemorySample | null = null
  private base: MemorySample | null = null
  /** when the last sample with connections open was taken */
  private sampledAt = -Infinity
  /** the connection count last seen, since when, and the most held since then */
  private seen = -1
  private seenSince = 0
  private mostHeld = 0
  /** since when the count has differed from the last sample's; null while it does not */
  private differsSince: number | null = null
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(
    private readonly state: () => ProbeState,
    private readonly minIntervalMs = MIN_INTERVAL_MS
  ) {}

  /** Starts looking (the first sample, the baseline, is taken now); nothing runs until then. */
  start(): void {
    if (this.timer !== null || this.stopped) return
    this.check()
    // unref'd: the probe watches the process, it must never be what keeps it alive
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS).unref()
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  report(): MemoryReport {
    return { latest: this.sample, baseline: this.base }
  }

  /** Takes a sample now if the rules above allow one; returns whether it did. */
  check(now = performance.now()): boolean {
    const { connections, held } = this.state()
    if (connections !== this.seen) {
      this.seen = connections
      this.seenSince = now
      this.mostHeld = 0
    }
    this.mostHeld = Math.max(this.mostHeld, held)
    const last = this.sample
    if (last !== null) {
      if (connections === last.connections) {
        this.differsSince = null
        return false
      }
      // only in a long-poll experiment: a run without subscribers never has its loop held for this
      if (held === 0 && connections > 0) {
        this.differsSince = null
        return false
      }
      this.differsSince ??= now
      if (now - this.sampledAt < this.minIntervalMs) return false
      const settled = now - this.seenSince >= SETTLE_MS && held >= HELD_SHARE * this.mostHeld
      if (!settled && now - this.differsSince < UNSETTLED_INTERVAL_MS) return false
    }
    const sample = sampleMemory(connections, held)
    if (sample === null) return false
    this.sample = sample
    // the 5-s spacing is between samples with connections: the baseline's GC, on a near-empty heap, is brief
    if (connections === 0) this.base = sample
    else this.sampledAt = now
    this.differsSince = null
    return true
  }
}
