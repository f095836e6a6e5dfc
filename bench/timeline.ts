/**
 * Each request's timeline, its cost on hello world: the crowd's req/s against an instrumented subject with the
 * timeline on (the subject's diagnostics_channel recorder and reservoir, the crowd's send-time header on every
 * request) and with both off. A fresh subject per measurement, pairs in ABBA order, the cost the median of the
 * pairs' ratios (as the sampler's cost in crowd-vs-autocannon.ts). Goal: ≤ 3%. Kept to ~40 s while others work.
 */
import { abbaPairs, crowdRps, median, pairRatio, startSubject, stopSubject } from './crowd-vs-autocannon'

export async function benchTimeline(rounds = 4, seconds = 2): Promise<string[]> {
  const measure = async (on: boolean): Promise<number> => {
    const { origin, subject } = await startSubject(true, { timeline: on })
    await crowdRps(origin, 1, undefined, on) // warm-up: JIT and connections
    const rps = await crowdRps(origin, seconds, undefined, on)
    await stopSubject(subject)
    return rps
  }
  const { a: on, b: off } = await abbaPairs(
    rounds,
    () => measure(true),
    () => measure(false)
  )
  const cost = 1 - pairRatio(on, off)
  return [
    `timeline's cost: hello-world req/s, instrumented subject, timeline on (recorder + the crowd's send-time header) and off`,
    `  on   ${median(on).toFixed(0)} req/s   (rounds: ${on.map((x) => x.toFixed(0)).join(', ')})`,
    `  off  ${median(off).toFixed(0)} req/s   (rounds: ${off.map((x) => x.toFixed(0)).join(', ')})`,
    `  cost = ${(cost * 100).toFixed(1)}% (median of ${rounds} paired rounds)   (goal ≤ 3%: ${cost <= 0.03 ? 'met' : 'NOT met'})`
  ]
}
