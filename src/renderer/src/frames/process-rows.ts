/**
 * The per-process loops of a run with several processes, as the dashboard words them: which processes are blocked
 * now (the loop tile's badge names them: "process 2 blocked 1.30 s"), and whether the crowd's connections are spread
 * over them so unevenly that it costs throughput (the strip says so). The figures are the host's (frame.processes); nothing here derives a figure again.
 */
import type { ProcessFrame } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import { coreCap, perProcessServers } from '../../../shared/theory'
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
 * Said when the spread of the crowd's requests over the processes costs throughput: each process serves at most
 * perProcessServers at once (its loop, threads or pool; computation also needs a core: theory's coreCap), so one
 * holding more than that leaves them waiting while another has room. Evented work on the loop has no such limit,
 * and no spread is worth a word then. The closed loop only: its users stay on their connections, so a spread holds;
 * an open loop's arrivals come and go, and its counts of the moment would flicker the line. Exact, from the counts:
 * a moment's dip of one between an answer and the next request seldom changes what is served.
 */
export function unevenText(rows: readonly ProcessFrame[] | null | undefined, s: Settings, cpuCount = 2): string | null {
  const per = perProcessServers(s)
  if (!rows || rows.length < 2 || per === null || s.mode !== 'closed') return null
  const counts = rows.map((r) => r.active)
  const served = coreCap(
    s,
    counts.reduce((n, a) => n + Math.min(a, per), 0),
    cpuCount
  )
  const even = coreCap(
    s,
    Math.min(
      counts.reduce((n, a) => n + a, 0),
      rows.length * per
    ),
    cpuCount
  )
  if (served >= even) return null
  const each = per === 1 ? 'one request at a time' : `at most ${per} at once`
  // what this spread serves a second, by the same law as the theory beside it (served / delay)
  const rate = s.delayMs > 0 ? ` (≈ ${formatCount((served * 1000) / s.delayMs)} req/s)` : ''
  return `unevenly spread: ${counts.join(' / ')} active — each process serves ${each}, so ${served} ${served === 1 ? 'is' : 'are'} served${rate} where an even spread would serve ${even}`
}
