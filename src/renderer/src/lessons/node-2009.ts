/**
 * The lesson Loopscope grew from: Simon Willison's "Node.js is genuinely exciting" (2009), which ran ab against a
 * hello world, then against the same server waiting 2 s per request, and demoed nodecast, a long-polling broadcast.
 * Each step reproduces one measurement of the post, then goes one step past it (blocking, threads, a blocked loop
 * under held connections).
 */
import { CLASSIC } from '../presets'
import { formatCount, formatMs } from '../scales'
import { BLOCKED_DELIVERY, most, newest, reqPerS, rpsCheck, type Check, type Lesson } from './lesson'

const SOURCE = 'Simon Willison, “Node.js is genuinely exciting”, 2009'
const ms = (v: number): string => formatMs(v)
const keptWords = (v: number): string => (v === 0 ? 'empty' : `${formatCount(v)} kept`)

/** steps 7–9: a new server process each, 200 subscribers, 5 messages a second, one light request at a time */
const RESTART_BASE = {
  ...CLASSIC,
  delayMs: 200,
  concurrency: 1,
  connections: 1,
  requests: null,
  subscribers: 200,
  publishRatePerS: 5,
  transport: 'long-poll',
  processes: 1
} as const

const ALL_DELIVERED: Check = {
  id: 'delivered',
  on: 'summary',
  label: 'every message reached every subscriber once',
  value: (s) => s.push?.undelivered ?? null,
  pass: (v) => v === 0,
  format: (v) => (v === 0 ? 'none missing' : `${formatCount(v)} missing`)
}

export const NODE_2009: Lesson = {
  id: 'node-2009',
  title: 'The 2009 experiment: why an event loop',
  summary:
    'The blog post that introduced Node.js, run live: hello world, a 2-s wait, blocking, a thread pool, 1,000 ' +
    'long-poll subscribers, and a restart.',
  intro:
    'Short runs reproduce the blog post that introduced many people to Node.js, then go past it. Run a step ' +
    'and watch; its checks turn green when this machine shows what the post describes.',
  steps: [
    {
      id: 'hello',
      title: '1. Hello world, 1000 requests, 100 at a time',
      paragraphs: [
        'First the server’s own ceiling: a handler that answers at once. The crowd plays ab: 100 users, each ' +
          'sending its next request as soon as the last is answered, 1000 requests in all.',
        'The run lasts a fraction of a second. The figure is this machine’s, not 2009’s: what matters is that it ' +
          'is far above anything in the next steps.'
      ],
      quote: { text: 'On my MacBook Pro I get 3374 requests a second.', source: SOURCE },
      kind: 'run',
      settings: { ...CLASSIC, route: 'hello' },
      checks: [
        {
          id: 'done',
          on: 'summary',
          label: 'all 1000 requests answered',
          value: (s) => s.completed,
          pass: (v) => v === 1000,
          format: formatCount
        },
        {
          id: 'errors',
          on: 'summary',
          label: 'no errors',
          value: (s) => s.errors,
          pass: (v) => v === 0,
          format: formatCount
        },
        {
          id: 'ceiling',
          on: 'summary',
          label: 'over 1,000 req/s: the server is not the limit',
          value: (s) => s.rps,
          pass: (v) => v > 1000,
          format: reqPerS
        }
      ]
    },
    {
      id: 'evented',
      title: '2. Each request waits 2 s, on a timer',
      paragraphs: [
        'Now every request waits 2 seconds before it is answered — a slow database, another API. The wait is a ' +
          'timer: the loop is free meanwhile, so all 100 requests wait at the same time.',
        'Little’s law gives the bound: 100 requests in flight, each taking 2 s, is 50 a second. Watch "In flight" ' +
          'stay at 100 with nothing queued, and the loop delay stay near zero. The run takes about 20 s.'
      ],
      quote: {
        text: 'I get 49.68 requests a second, with every single request taking between 2012 and 2022 ms. […] Node hits it pretty much bang on the nose.',
        source: SOURCE
      },
      kind: 'run',
      settings: CLASSIC,
      checks: [
        rpsCheck('about 50 req/s (100 / 2 s)', 49, 50.5),
        {
          id: 'min',
          on: 'summary',
          label: 'no request faster than 2 s',
          value: (s) => s.latencyMs?.min ?? null,
          pass: (v) => v >= 2000,
          format: ms
        },
        {
          id: 'p99',
          on: 'summary',
          label: '99% of requests within 2.1 s',
          value: (s) => s.latencyMs?.p99 ?? null,
          pass: (v) => v <= 2100,
          format: ms
        },
        {
          id: 'queued',
          on: 'summary',
          label: 'almost nothing queued (at most 10)',
          value: (s) => s.maxQueued,
          pass: (v) => v <= 10,
          format: formatCount
        }
      ]
    },
    {
      id: 'blocking',
      title: '3. The same 2 s, blocking the loop',
      paragraphs: [
        'The same handler, but it spends its 2 s blocking: a synchronous call, a long loop, a sleep that holds the ' +
          'thread. While one request blocks, the loop can do nothing else — not even read the next request.',
        'One request at a time, 2 s each: 0.5 a second. Watch "Queued" climb to 99, the BLOCKED badge, and the ' +
          'stalls shaded in the event-loop chart. This step runs for 20 s.'
      ],
      quote: {
        text: 'Long-running operations can tie up one of those threads - enough long running operations at once and the server runs out of available threads and becomes unresponsive.',
        source: SOURCE
      },
      kind: 'run',
      settings: { ...CLASSIC, blocking: true, requests: null, durationS: 20 },
      checks: [
        rpsCheck('about 0.5 req/s (1 / 2 s)', 0.4, 0.6),
        {
          id: 'queued',
          on: 'summary',
          label: 'the others queue (90 or more)',
          value: (s) => s.maxQueued,
          pass: (v) => v >= 90,
          format: formatCount
        },
        {
          id: 'stall',
          on: 'summary',
          label: 'the loop stalls for 2 s and more: it never gets a turn while requests wait',
          value: (s) => s.loop.maxStallMs,
          pass: (v) => v >= 1900,
          format: ms
        }
      ]
    },
    {
      id: 'threads',
      title: '4. A thread per request: a pool of 10',
      paragraphs: [
        'The model the post compares Node with: each request gets a thread, and blocking in a thread is fine — ' +
          'until the threads run out. Here 10 threads serve 100 users, each request sleeping 2 s in its thread.',
        'min(100, 10) / 2 s = 5 a second, and 90 requests wait for a thread. More threads would help, at a cost in ' +
          'memory per thread that an event loop does not pay. This step runs for 20 s.'
      ],
      quote: {
        text: 'Typical frameworks can only handle a small number of requests simultaneously, dictated by the number of server threads or processes available.',
        source: SOURCE
      },
      kind: 'run',
      settings: { ...CLASSIC, threads: 10, requests: null, durationS: 20 },
      checks: [
        rpsCheck('about 5 req/s (10 / 2 s)', 4.2, 5.5),
        {
          id: 'queued',
          on: 'summary',
          label: 'about 90 wait for a thread',
          value: (s) => s.maxQueued,
          pass: (v) => v >= 80,
          format: formatCount
        }
      ]
    },
    {
      id: 'nodecast',
      title: '5. Long polling: 1,000 held connections',
      paragraphs: [
        'nodecast, the post’s demo: every subscriber asks GET /wait and the server holds the request open until ' +
          'a message is published, then answers them all. 1,000 subscribers, a message a second, and a light load ' +
          'of 200-ms requests on the side.',
        'An evented server holds each waiting request for a few kilobytes ("RAM / held"), and a message reaches ' +
          'all 1,000 within milliseconds. Open /live from the subject’s address on a phone to be one of them ' +
          '(Share on the network first). Leave this run on for the next step.'
      ],
      quote: {
        text: 'Node makes it easy to implement comet patterns like long polling and streaming responses - stuff that is decidedly non trivial in most server-side frameworks.',
        source: SOURCE
      },
      kind: 'run',
      settings: {
        ...CLASSIC,
        delayMs: 200,
        concurrency: 1,
        connections: 1,
        requests: null,
        durationS: 600,
        subscribers: 1000,
        publishRatePerS: 1
      },
      checks: [
        {
          id: 'held',
          on: 'live',
          label: '1,000 requests held open',
          value: (rows) => most(rows, (r) => r.held),
          pass: (v) => v >= 990,
          format: formatCount
        },
        {
          id: 'delivery',
          on: 'live',
          label: 'a message reaches them all within 150 ms (p99)',
          value: (rows) => newest(rows, (r) => r.deliveryP99Ms),
          pass: (v) => v <= 150,
          format: ms
        }
      ]
    },
    {
      id: 'nodecast-blocked',
      title: '6. …and one blocking handler',
      paragraphs: [
        'Now make the side requests block for their 200 ms. Nothing else changes: the subscribers are still held, ' +
          'the messages still published once a second.',
        'But a message can only go out when the loop is free: each waits for the block in progress, and often the ' +
          'next one. Every subscriber feels one slow handler — which is why nothing in an event loop may block.'
      ],
      kind: 'change',
      settings: { blocking: true },
      checks: [
        // one message a second, each waiting 0–400 ms
        BLOCKED_DELIVERY,
        {
          id: 'held',
          on: 'live',
          label: 'all 1,000 still held between messages',
          value: (rows) => most(rows, (r) => r.held),
          pass: (v) => v >= 990,
          format: formatCount
        }
      ]
    },
    {
      id: 'restart-memory',
      title: '7. Restart it: the messages were in memory',
      paragraphs: [
        'Stop the run. nodecast kept its messages in an array in the server’s memory, and so does the subject by ' +
          'default: this step starts a new server process, as a restart does, with 200 subscribers and 5 messages ' +
          'a second.',
        'Where are step 5’s messages? Gone: the log starts empty and the ids count from 1 again. A subscriber that ' +
          'asks /wait?since=0 now gets only what this run publishes.'
      ],
      quote: {
        text: 'nodecast keeps track of messages using an in-memory JavaScript array, which works fine until you restart the server and lose everything.',
        source: SOURCE
      },
      kind: 'run',
      settings: { ...RESTART_BASE, store: 'memory', durationS: 6 },
      checks: [
        {
          id: 'empty',
          on: 'summary',
          label: 'the log started empty: the earlier messages are lost',
          value: (s) => s.push?.logStartId ?? null,
          pass: (v) => v === 0,
          format: keptWords
        },
        ALL_DELIVERED
      ]
    },
    {
      id: 'redis',
      title: '8. Keep them in Redis',
      paragraphs: [
        'nodecast’s answer was Redis: the messages go to a database server of their own, which outlives the web ' +
          'server. This run keeps the log there (Message log: Redis); the lab starts its own redis-server on ' +
          '127.0.0.1 if you have one installed, and says how to install it if not.',
        'Each publish asks Redis for the next id and appends the message; every subscriber still gets every message ' +
          'once. The line under the tiles says what the log started with.'
      ],
      kind: 'run',
      settings: { ...RESTART_BASE, store: 'redis', durationS: 6 },
      checks: [ALL_DELIVERED]
    },
    {
      id: 'redis-restart',
      title: '9. Restart again: the messages are still there',
      paragraphs: [
        'A new server process once more, on the same Redis. This time the log starts with step 8’s messages, and ' +
          'this run’s ids go on after them: /wait?since=0 returns the earlier messages.',
        'The subscribers of this run are owed only what is published from now on — the history is there to read, ' +
          'not delivered again.'
      ],
      kind: 'run',
      settings: { ...RESTART_BASE, store: 'redis', durationS: 5 },
      checks: [
        {
          id: 'kept',
          on: 'summary',
          label: 'the log started with the earlier run’s messages',
          value: (s) => s.push?.logStartId ?? null,
          pass: (v) => v >= 1,
          format: keptWords
        },
        {
          id: 'not-again',
          on: 'summary',
          label: 'none of them delivered again: deliveries are at most 200 × this run’s messages',
          value: (s) =>
            s.push && s.push.logStartId !== undefined && s.push.published > s.push.logStartId
              ? s.push.delivered / (s.push.subscribers * (s.push.published - s.push.logStartId))
              : null,
          pass: (v) => v <= 1,
          format: (v) => `${Math.round(v * 100)}% of it`
        },
        ALL_DELIVERED
      ]
    }
  ]
}
