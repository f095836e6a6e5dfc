/**
 * The broadcast log's stores, measured through the real Lab: 10,000 WebSocket subscribers over 2 subject processes,
 * one publish a second, with the log in memory (relayed by the cluster's primary) and on Redis (the lab's own
 * redis-server). Publish → delivery p50 and p99 (the p99 is the fan-out: when the last subscriber had it), and Redis
 * over memory as a ratio (goal ≤ 1.2 for the fan-out). Figures, never assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab } from '../src/main/lab/lab'
import type { Summary } from '../src/shared/frame'

const SUBSCRIBERS = 10_000
const SECONDS = 30

async function run(store: 'memory' | 'redis', redisDir: string): Promise<Summary> {
  const lab = new Lab({ redisDir })
  const summary = new Promise<Summary>((resolve) => lab.once('summary', resolve))
  await lab.start({
    store,
    processes: 2,
    subscribers: SUBSCRIBERS,
    transport: 'websocket',
    publishRatePerS: 1,
    route: 'hello',
    concurrency: 1,
    durationS: SECONDS
  })
  const s = await summary
  await lab.close()
  return s
}

export async function benchBroadcastStore(): Promise<string[]> {
  const redisDir = mkdtempSync(join(tmpdir(), 'loopscope-bench-redis-'))
  try {
    const lines: string[] = []
    const figures: Record<string, { p50: number | null; p99: number | null }> = {}
    for (const store of ['memory', 'redis'] as const) {
      const s = await run(store, redisDir)
      const p50 = s.push?.deliveryP50Ms ?? null
      const p99 = s.push?.deliveryP99Ms ?? null
      figures[store] = { p50, p99 }
      lines.push(
        `broadcast-store ${store}: ${SUBSCRIBERS} subscribers over 2 processes, ${s.push?.published ?? 0} published, ` +
          `${s.push?.delivered ?? 0} delivered (${s.push?.undelivered ?? 0} undelivered); publish → delivery p50 ${p50} ms, p99 (fan-out) ${p99} ms`
      )
    }
    const ratio = (a: number | null, b: number | null): string => (a !== null && b ? (a / b).toFixed(2) : 'n/a')
    lines.push(
      `broadcast-store redis / memory: p50 ×${ratio(figures.redis!.p50, figures.memory!.p50)}, fan-out (p99) ×${ratio(figures.redis!.p99, figures.memory!.p99)} (goal ≤ 1.20)`
    )
    return lines
  } finally {
    rmSync(redisDir, { recursive: true, force: true })
  }
}
