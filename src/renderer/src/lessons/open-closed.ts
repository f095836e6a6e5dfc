/**
 * Past what ab shows: a closed-loop load generator (ab, wrk, most benchmarks) sends a user's next request only when
 * the last is answered, so it slows down with the server and never builds the queue real, independent arrivals
 * would. The same server (20 ms of CPU per request on the loop: a ceiling of 50 req/s) under closed and open loops.
 */
import { CLASSIC } from '../presets'
import { formatCount, formatMs } from '../scales'
import { rpsCheck, type Lesson } from './lesson'

/** a server with a ceiling: every request spends 20 ms of CPU on the event loop, so at most 50 a second */
const CEILING_50 = { ...CLASSIC, work: 'cpu', blocking: true, delayMs: 20, requests: null, durationS: 15 } as const

export const OPEN_CLOSED: Lesson = {
  id: 'open-closed',
  title: 'What ab cannot see: closed and open loops',
  summary:
    'One server with a ceiling under a closed loop (ab’s model) and an open one: the queue only real arrivals build.',
  intro:
    'Four runs of about 15 seconds against one server that can do 50 requests a second. A closed loop (ab’s model) waits ' +
    'for the server; real users do not. The difference is the queue.',
  steps: [
    {
      id: 'closed-10',
      title: '1. A server with a ceiling, 10 users',
      paragraphs: [
        'Every request spends 20 ms of CPU on the event loop: the server can finish at most 1 / 20 ms = 50 a ' +
          'second, whatever the load. Ten users, each sending its next request when the last is answered.',
        'Little’s law: 10 in flight at 50 a second means each spends 10 / 50 = 200 ms in the server — 20 ms of ' +
          'work and 180 ms waiting behind the other nine.'
      ],
      kind: 'run',
      settings: { ...CEILING_50, mode: 'closed', concurrency: 10, connections: 10 },
      checks: [
        rpsCheck('about 50 req/s: the ceiling', 44, 51),
        {
          id: 'p50',
          on: 'summary',
          label: 'half the requests take about 200 ms (10 / 50)',
          value: (s) => s.latencyMs?.p50 ?? null,
          pass: (v) => v >= 150 && v <= 280,
          format: formatMs
        }
      ]
    },
    {
      id: 'closed-100',
      title: '2. Ten times the users',
      paragraphs: [
        'A hundred users now. Throughput cannot rise — the server is at its ceiling — so each request waits ten ' +
          'times longer: 100 / 50 = 2 s.',
        'And nothing breaks: the crowd slows down with the server, because each user waits for an answer before ' +
          'asking again. That is how ab, wrk and most benchmarks load a server — a closed loop.'
      ],
      kind: 'run',
      settings: { ...CEILING_50, mode: 'closed', concurrency: 100, connections: 100 },
      checks: [
        rpsCheck('still about 50 req/s', 44, 51),
        {
          id: 'p50',
          on: 'summary',
          label: 'half the requests take about 2 s (100 / 50)',
          value: (s) => s.latencyMs?.p50 ?? null,
          pass: (v) => v >= 1600 && v <= 2500,
          format: formatMs
        },
        {
          id: 'errors',
          on: 'summary',
          label: 'no errors: the crowd waits with the server',
          value: (s) => s.errors,
          pass: (v) => v === 0,
          format: formatCount
        }
      ]
    },
    {
      id: 'open-40',
      title: '3. Arrivals that do not wait: 40 a second',
      paragraphs: [
        'Real users arrive when they arrive. The open loop sends requests on a schedule — 40 a second here — ' +
          'whether earlier ones were answered or not, and times each from when it was due to be sent.',
        'Below the ceiling, the server keeps up: each request is served in about its 20 ms, and nothing queues.'
      ],
      kind: 'run',
      settings: { ...CEILING_50, mode: 'open', ratePerS: 40, connections: 100 },
      checks: [
        rpsCheck('all 40 a second served', 36, 41),
        {
          id: 'p99',
          on: 'summary',
          label: '99% of requests within 100 ms',
          value: (s) => s.latencyMs?.p99 ?? null,
          pass: (v) => v <= 100,
          format: formatMs
        }
      ]
    },
    {
      id: 'open-60',
      title: '4. 60 a second: 20% over the ceiling',
      paragraphs: [
        'Now 60 arrive each second and 50 leave: 10 more wait every second, for as long as it lasts. Watch "Queued" ' +
          'climb and the latency chart rise in a straight line — it never levels off. 900 requests arrive over 15 s; ' +
          'the run ends when the last is answered, so every wait is counted.',
        'A closed-loop benchmark of this server reports 50 req/s and a steady latency, because its users politely ' +
          'stop arriving. Real users would see waits growing without limit. Leaving those waits out of the ' +
          'measurement is called coordinated omission.'
      ],
      kind: 'run',
      settings: { ...CEILING_50, mode: 'open', ratePerS: 60, connections: 100, requests: 900, durationS: 600 },
      checks: [
        rpsCheck('about 50 req/s served: the ceiling, not the 60 asked', 44, 51),
        {
          id: 'queued',
          on: 'summary',
          label: 'a queue of 100 and more',
          value: (s) => s.maxQueued,
          pass: (v) => v >= 100,
          format: formatCount
        },
        // first come, first served, the last of 900 waits (900 / 50 − 900 / 60) = 3 s; a server that serves out of
        // order makes some wait longer
        {
          id: 'max',
          on: 'summary',
          label: 'the last requests waited 2 s and more, not 20 ms',
          value: (s) => s.latencyMs?.max ?? null,
          pass: (v) => v >= 2000,
          format: formatMs
        }
      ]
    }
  ]
}
