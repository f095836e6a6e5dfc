/** The report's per-process rows, for a run with several processes (summary.processes): display only. */
import type { Summary } from '../shared/frame'

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1))

/** Under the "Event loop" row: each process's own loop; none with one process. */
export function processLines(summary: Summary): string[] {
  const rows = summary.processes
  if (!rows || rows.length === 0) return []
  return rows.map(
    (r) =>
      `  ${`process ${r.process}`.padEnd(24)}delay p99 ${ms(r.delayP99Ms)} ms · longest stall ${r.maxStallMs} ms · utilization ${(r.utilization * 100).toFixed(1)}%`
  )
}
