/** The 2-s experiment (ab -n 1000 -c 100 against a handler that waits 2 s), run by the real Lab. */
import { Lab } from '../src/main/lab/lab'
import type { Summary } from '../src/shared/frame'

export async function benchClassic(): Promise<string[]> {
  const lab = new Lab()
  const summary = new Promise<Summary>((r) => lab.once('summary', r))
  await lab.start({ requests: 1000, concurrency: 100, delayMs: 2000 })
  const s = await summary
  await lab.close()
  const l = s.latencyMs!
  return [
    `the 2-s experiment: -n 1000 -c 100 --delay 2000 (2009: 49.68 req/s, every request 2012–2022 ms)`,
    `  ${s.completed} completed, ${s.errors} failed in ${(s.durationMs / 1000).toFixed(3)} s`,
    `  req/s ${s.rps.toFixed(2)} = ${((s.rps / 50) * 100).toFixed(2)}% of the bound 50   (goal ≥ 49.75)`,
    `  latency min ${l.min.toFixed(1)} · p50 ${l.p50.toFixed(1)} · p99 ${l.p99.toFixed(1)} · max ${l.max.toFixed(1)} ms, spread ${(l.max - l.min).toFixed(1)} ms   (goal: min ≥ 2000, p99 ≤ 2025)`
  ]
}
