/**
 * The per-process loops of a run with several processes, as the dashboard words them: which processes are blocked
 * now (the loop tile's badge names them: "process 2 blocked 1.30 s"), and whether the crowd's connections are spread
 * unevenly over them (the strip says so: a process with fewer keep-alive connections leaves part of its share of the
 * bound idle). The figures are the host's (frame.processes); nothing here derives a figure again.
 */
import type { ProcessFrame } from '../../../shared/frame'
import { formatMs } from '../scales'

/** "process 2 blocked 1.30 s", "processes 1, 3 blocked"; null when none is, or every one is (the tile says BLOCKED). */
export function blockedProcessesText(rows: readonly ProcessFrame[] | null | undefined): string | null {
  if (!rows) return null
  const blocked = rows.filter((r) => r.stalled)
  if (blocked.length === 0 || blocked.length === rows.length) return null
  if (blocked.length === 1) return `process ${blocked[0]!.process} blocked ${formatMs(blocked[0]!.stallMs)}`
  return `processes ${blocked.map((r) => r.process).join(', ')} blocked`
}

/**
 * The active counts are uneven when the busiest process serves at least two more than the idlest and 1.5 times as
 * many: a one-request difference is the round-robin's own.
 */
export function unevenText(rows: readonly ProcessFrame[] | null | undefined): string | null {
  if (!rows || rows.length < 2) return null
  const counts = rows.map((r) => r.active)
  const most = Math.max(...counts)
  const least = Math.min(...counts)
  if (most - least < 2 || most < 1.5 * least) return null
  return `unevenly spread: ${counts.join(' / ')} active — the bound assumes an even share per process`
}
