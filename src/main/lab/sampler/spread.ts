/**
 * What the spread of the crowd's requests over several processes costs (SpreadFrame), from each process's active
 * requests in the frame: requests in service at once under this spread against an even spread of the same ones.
 * Exact, from the counts: a moment's dip of one between an answer and the next request seldom changes what is served.
 */
import type { ProcessFrame, SpreadFrame } from '../../../shared/frame'
import type { Settings } from '../../../shared/settings'
import { coreCap, perProcessServers, servedRps } from '../../../shared/theory'

/** null when the spread costs nothing, or says nothing: one process, no limit per process, or the open loop */
export function spreadCost(rows: readonly ProcessFrame[] | null, s: Settings, cpuCount: number): SpreadFrame | null {
  const per = perProcessServers(s)
  // an open loop's arrivals come and go: its counts of the moment would flicker the line
  if (!rows || rows.length < 2 || per === null || s.mode !== 'closed') return null
  const active = rows.map((r) => r.active)
  const total = active.reduce((n, a) => n + a, 0)
  const served = coreCap(
    s,
    active.reduce((n, a) => n + Math.min(a, per), 0),
    cpuCount
  )
  const even = coreCap(s, Math.min(total, rows.length * per), cpuCount)
  if (served >= even) return null
  const rps = servedRps(served, s)
  return { perProcess: per, served, even, servedRps: rps === null ? null : Math.round(rps * 100) / 100 }
}
