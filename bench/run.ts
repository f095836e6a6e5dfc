/**
 * `npm run bench`: prints the figures and ratios of Loopscope's speed and memory goals. Never part of `npm test`.
 * Pick parts with arguments: crowd, sampler, classic, renderer, long-poll, push, push-swarm, live-truth, runs, compare,
 * timeline, stacks, upstream, hold, processes, broadcast-store (default: all).
 */
import { benchClassic } from './classic'
import { benchCrowd, benchSamplerCost } from './crowd-vs-autocannon'

const parts: Record<string, () => Promise<string[]>> = {
  crowd: () => benchCrowd(),
  sampler: () => benchSamplerCost(),
  classic: () => benchClassic(),
  renderer: async () => (await (await import('./renderer')).benchRenderer()).lines,
  'long-poll': async () => (await import('./long-poll')).benchLongPoll(),
  push: async () => (await import('./push')).benchPush(),
  'push-swarm': async () => (await import('./push-swarm')).benchPushSwarm(),
  'live-truth': async () => (await import('./live-truth')).benchLiveTruth(),
  runs: async () => (await import('./runs')).benchRuns(),
  compare: async () => (await import('./compare')).benchCompare(),
  timeline: async () => (await import('./timeline')).benchTimeline(),
  stacks: async () => (await import('./stacks')).benchStacks(),
  upstream: async () => (await import('./upstream')).benchUpstream(),
  hold: async () => (await import('./hold')).benchHold(),
  processes: async () => (await import('./processes')).benchProcesses(),
  'broadcast-store': async () => (await import('./broadcast-store')).benchBroadcastStore()
}

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(parts)
let failed = false
for (const name of wanted) {
  const part = parts[name]
  if (!part) {
    console.error(`unknown part "${name}"; parts: ${Object.keys(parts).join(', ')}`)
    process.exit(2)
  }
  const start = performance.now()
  console.log(`\n## ${name}`)
  try {
    for (const line of await part()) console.log(line)
  } catch (err) {
    failed = true
    console.log(`  failed: ${(err as Error).stack ?? err}`)
  }
  console.log(`  (${((performance.now() - start) / 1000).toFixed(1)} s)`)
}
process.exit(failed ? 1 : 0)
