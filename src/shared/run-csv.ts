/**
 * A run's frames as CSV: one row per frame, one column per figure, the unit in each header ("rps [req/s]"). Built
 * with csv-stringify's synchronous API, which quotes what needs quoting (a long-poll note with a comma).
 */
import { stringify } from 'csv-stringify/sync'
import { FRAME_COLUMNS, frameCount, type FrameColumn } from './run-frames'
import type { RunFile } from './run-file'

/** Each column's header: its name and unit, as the frame's own field names say them. */
const HEADERS: Record<FrameColumn, string> = {
  t: 't [ms since start]',
  inFlight: 'in flight [requests]',
  active: 'active [requests]',
  queued: 'queued [requests]',
  windowMs: 'rate window [ms]',
  spanMs: 'rate window covered [ms]',
  windowState: 'rate window state [full|since-change|settling]',
  rps: 'throughput [req/s]',
  errorsPerS: 'errors [1/s]',
  latencyP50Ms: 'latency p50 [ms]',
  latencyP90Ms: 'latency p90 [ms]',
  latencyP99Ms: 'latency p99 [ms]',
  latencyMaxMs: 'latency max [ms]',
  loopDelayP99Ms: 'loop delay p99 [ms]',
  loopUtilization: 'loop utilization [0..1]',
  stallMs: 'stall [ms]',
  stalled: 'stalled [0|1]',
  theoryRps: 'theory [req/s]',
  rssBytes: 'subject RSS [bytes]',
  completed: 'completed [requests since start]',
  errors: 'errors [requests since start]',
  maxInFlight: 'in flight at most [requests]',
  maxQueued: 'queued at most [requests]',
  maxStallMs: 'longest stall so far [ms]',
  lpSubscribers: 'subscribers [loops]',
  lpHeld: 'held [connections]',
  lpDeliveriesPerS: 'deliveries [1/s]',
  lpDeliveryP50Ms: 'delivery p50 [ms]',
  lpDeliveryP90Ms: 'delivery p90 [ms]',
  lpDeliveryP99Ms: 'delivery p99 [ms]',
  lpDeliveryMaxMs: 'delivery max [ms]',
  lpTimeoutsPerS: 'poll timeouts [1/s]',
  lpPublished: 'published [messages since start]',
  lpBytesPerHeld: 'memory per held connection [bytes]',
  lpLimitNote: 'open-file limit note [text]'
}

/** Empty cell for "no figure" (null), 0/1 for booleans. */
export function runCsv(run: RunFile): string {
  const n = frameCount(run.frames)
  const rows: (string | number)[][] = []
  for (let i = 0; i < n; i++) {
    rows.push(
      FRAME_COLUMNS.map((name) => {
        const v = run.frames[name][i]
        return v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 1 : 0) : v
      })
    )
  }
  return stringify([FRAME_COLUMNS.map((name) => HEADERS[name]), ...rows])
}
