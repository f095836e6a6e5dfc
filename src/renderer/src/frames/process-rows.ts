/**
 * The per-process loops of a run with several processes, as the dashboard words them: which processes are blocked
 * now (the loop tile's badge names them: "process 2 blocked 1.30 s"), and whether the crowd's connections are spread
 * over them so unevenly that it costs throughput (the strip says so). The figures are the host's (frame.processes,
 * frame.spread); nothing here derives a figure again.
 */
import type { Frame, ProcessFrame } from '../../../shared/frame'
import { formatCount, formatMs } from '../scales'

/** "process 2 blocked 1.30 s", "processes 1, 3 blocked"; null when none is, or every one is (the tile says BLOCKED). */
export function blockedProcessesText(rows: readonly ProcessFrame[] | null | undefined): string | null {
  if (!rows) return null
  const blocked = rows.filter((r) => r.stalled)
  if (blocked.length === 0 || blocked.length === rows.length) return null
  if (blocked.length === 1) return `process ${blocked[0]!.process} blocked ${formatMs(blocked[0]!.stallMs)}`
  return `processes ${blocked.map((r) => r.process).join(', ')} blocked`
}

/**
 * Said when the spread of the crowd's requests over the processes costs throughput (the host's frame.spread: each
 * process serves at most so many at once, so one holding more leaves them waiting while another has room): the
 * processes' active counts, and what is served against what an even spread would serve.
 */
export function unevenText(frame: Pick<Frame, 'processes' | 'spread'> | null | undefined): string | null {
  const spread = frame?.spread
  const rows = frame?.processes
  if (!spread || !rows) return null
  const { perProcess, served, even, servedRps } = spread
  const each = perProcess === 1 ? 'one request at a time' : `at most ${perProcess} at once`
  // what this spread serves a second, by the same law as the theory beside it (served / delay)
  const rate = servedRps !== null ? ` (≈ ${formatCount(servedRps)} req/s)` : ''
  return `unevenly spread: ${rows.map((r) => r.active).join(' / ')} active — each process serves ${each}, so ${served} ${served === 1 ? 'is' : 'are'} served${rate} where an even spread would serve ${even}`
}
