/** One-click reproductions of the classic experiment (Node.js, 2009) and its variations. */
import type { SettingsPatch } from '../../shared/settings'

export interface Preset {
  id: string
  title: string
  /** the title, short enough for a button ("▶ Start: The 2-s experiment") */
  short: string
  /** what to expect, in one sentence */
  expect: string
  patch: SettingsPatch
}

/** the 2-s experiment, every setting it depends on named (so a preset or lesson step never inherits a stray one) */
export const CLASSIC: SettingsPatch = {
  route: 'work',
  delayMs: 2000,
  work: 'wait',
  blocking: false,
  threads: 0,
  mode: 'closed',
  concurrency: 100,
  connections: 100,
  requests: 1000,
  durationS: 600,
  timeoutMs: 120_000,
  subscribers: 0,
  publishRatePerS: 0,
  transport: 'long-poll',
  // one process: a preset or lesson step after one run on several starts from the one loop again
  processes: 1
}

export const PRESETS: Preset[] = [
  {
    id: 'classic',
    title: 'The 2-s experiment (ab -n 1000 -c 100)',
    short: 'The 2-s experiment',
    expect: 'A handler that waits 2 s on a timer, 100 at a time: about 50 req/s, every request about 2 s.',
    patch: CLASSIC
  },
  {
    id: 'blocking',
    title: 'Same handler, blocking',
    short: 'Same handler, blocking',
    expect: 'The same 2 s spent blocking the loop: one request at a time, 0.5 req/s, the rest queue.',
    patch: { ...CLASSIC, blocking: true }
  },
  {
    id: 'threads',
    title: 'Thread pool of 10',
    short: 'Thread pool of 10',
    expect: 'Each request sleeps 2 s in one of 10 threads: 5 req/s, 90 of the 100 wait for a thread.',
    patch: { ...CLASSIC, threads: 10 }
  },
  {
    id: 'open',
    title: 'Open loop above capacity',
    short: 'Open loop above capacity',
    expect: '80 req/s arrive at a server that can do 50: the queue and the latency grow without limit.',
    patch: { ...CLASSIC, mode: 'open', ratePerS: 80, connections: 100, requests: null }
  }
]
