/**
 * What a request's wait really was at FriendFeed: a call to a slow backend service. One backend whose answer takes
 * 500 ms, 50 users, fetched four ways: evented with a connection for each (100 req/s), evented with a pool of 10
 * (the pool is the bottleneck: 20 req/s, 40 waiting for a connection), with a synchronous client on the loop
 * (2 req/s: the loop stalls in syncGet), and with the same synchronous client on a pool of 10 threads (20 req/s).
 * Each check reads the run's own summary: its throughput against theory, and where the backend block says the time
 * went (at the backend, waiting for a connection, or the loop's stall). Last, FriendFeed's other answer: several
 * processes of one server. The same 500-ms block on two processes' loops serves twice as many (4 req/s), and the
 * per-process rows show both loops held. Then hello world on one process and on two, all CPU, with the crowd's own
 * loop beside the server's, so that a crowd at its limit is not read as the server's (and two processes on a
 * 2-core machine shared with the crowd are not read as a law).
 */
import { CLASSIC } from '../presets'
import { formatCount, formatMs } from '../scales'
import { rpsCheck, type Check, type Lesson } from './lesson'

const percent = (v: number): string => `${Math.round(v * 100)}%`

/** the backend answers in 500 ms, no jitter; 50 users, for 10 s each */
const BACKEND_500 = {
  ...CLASSIC,
  work: 'upstream',
  delayMs: 500,
  upstreamJitterMs: 0,
  concurrency: 50,
  connections: 50,
  requests: null,
  durationS: 10
} as const

/** steps 6 and 7: hello world, 100 users, for 5 s */
const HELLO = {
  ...CLASSIC,
  route: 'hello',
  concurrency: 100,
  connections: 100,
  requests: null,
  durationS: 5
} as const

const ONE_LOOP_FULL: Check = {
  id: 'one-full',
  on: 'summary',
  label: 'one loop is the limit: the server’s or the crowd’s busy 75% of the time or more',
  value: (s) => Math.max(s.loop.utilization, s.crowdBusy ?? 0),
  pass: (v) => v >= 0.75,
  format: percent
}

const CROWD_KEPT_UP: Check = {
  id: 'crowd',
  on: 'summary',
  label: 'the crowd kept up: its own loop under 90% busy, so the req/s are the server’s',
  value: (s) => s.crowdBusy ?? null,
  pass: (v) => v < 0.9,
  format: percent
}

export const FRIENDFEED: Lesson = {
  id: 'friendfeed',
  title: 'FriendFeed’s backends',
  summary:
    'A backend that answers in 500 ms, fetched evented, through a small pool, blocking, on threads; then two processes.',
  intro:
    'Five runs of 10 seconds and two of 5. The wait in each request is now a real call to a backend service in a process of its ' +
    'own — what FriendFeed’s waits were. It answers in 500 ms whoever asks; what changes is how the server asks.',
  steps: [
    {
      id: 'evented',
      title: '1. Evented, a connection for each user',
      paragraphs: [
        'Each request calls the backend with an asynchronous HTTP client and a pool of 50 connections, one for each ' +
          'of the 50 users. The loop sends the call and is free until the answer comes.',
        '50 calls are at the backend at once, each 500 ms: 50 / 0.5 s = 100 req/s. Watch the Backend tile: 50 in ' +
          'flight there, none waiting.'
      ],
      kind: 'run',
      settings: { ...BACKEND_500, upstreamConnections: 50 },
      checks: [
        rpsCheck('about 100 req/s (50 / 500 ms)', 80, 105),
        {
          id: 'at-backend',
          on: 'summary',
          label: 'all 50 at the backend at once',
          value: (s) => s.upstream?.maxBackendInFlight ?? null,
          pass: (v) => v >= 45 && v <= 50,
          format: formatCount
        }
      ]
    },
    {
      id: 'small-pool',
      title: '2. Evented, a pool of 10',
      paragraphs: [
        'The same client with only 10 connections, as a database pool sized for a quieter day. A call that finds ' +
          'them all lent waits in the pool’s queue for one to come back.',
        'Ten at the backend, each 500 ms: 10 / 0.5 s = 20 req/s, and the other 40 users wait for a connection. The ' +
          'loop is idle; the pool is the bottleneck.'
      ],
      kind: 'run',
      settings: { ...BACKEND_500, upstreamConnections: 10 },
      checks: [
        rpsCheck('about 20 req/s (10 connections / 500 ms)', 16, 21),
        {
          id: 'at-backend',
          on: 'summary',
          label: 'never more than 10 at the backend',
          value: (s) => s.upstream?.maxBackendInFlight ?? null,
          pass: (v) => v === 10,
          format: formatCount
        },
        {
          id: 'waiting',
          on: 'summary',
          label: 'about 40 waiting for a connection (up to 49 as the pool opens)',
          value: (s) => s.upstream?.maxWaitingForConnection ?? null,
          // the run's most at once: 50 users less 10 connections once the pool is open, but while it opens its
          // connections every call but the first waits (CI read 49 on a correct run)
          pass: (v) => v >= 35 && v <= 49,
          format: formatCount
        }
      ]
    },
    {
      id: 'blocking',
      title: '3. A synchronous client on the loop',
      paragraphs: [
        'Now the handler calls the backend with a synchronous client, as a blocking database driver does: the loop ' +
          'waits in syncGet until the answer comes, and nothing else runs.',
        'One call at a time: 1 / 0.5 s = 2 req/s. With 49 more waiting, the loop goes from one call to the next ' +
          'without reaching its timers: one long stall. The BLOCKED badge names syncGet; the Backend tile keeps moving ' +
          'during the stall (its figures come round the loop): 1 at the backend. FriendFeed kept a synchronous ' +
          'database client because its fast queries did no harm; a 500 ms call does.'
      ],
      kind: 'run',
      settings: { ...BACKEND_500, blocking: true },
      checks: [
        rpsCheck('about 2 req/s (1 / 500 ms)', 1.6, 2.1),
        {
          id: 'at-backend',
          on: 'summary',
          label: 'one call at the backend at a time',
          value: (s) => s.upstream?.maxBackendInFlight ?? null,
          pass: (v) => v === 1,
          format: formatCount
        },
        {
          id: 'stall',
          on: 'summary',
          label: 'the loop stalled: 500 ms and more at a time',
          value: (s) => s.loop.maxStallMs,
          pass: (v) => v >= 450,
          format: formatMs
        }
      ]
    },
    {
      id: 'threads',
      title: '4. The synchronous client on 10 threads',
      paragraphs: [
        'Node’s answer for a blocking library is a separate thread pool: the same synchronous call, on one of 10 ' +
          'threads. Each thread is held for 500 ms; the loop is not.',
        'min(50, 10 threads) / 0.5 s = 20 req/s, the loop free: the threads are the bottleneck now, as the pool of ' +
          'connections was in step 2, and 10 calls are at the backend.'
      ],
      kind: 'run',
      settings: { ...BACKEND_500, threads: 10 },
      checks: [
        rpsCheck('about 20 req/s (10 threads / 500 ms)', 16, 21),
        {
          id: 'at-backend',
          on: 'summary',
          label: '10 at the backend, one per thread',
          value: (s) => s.upstream?.maxBackendInFlight ?? null,
          pass: (v) => v === 10,
          format: formatCount
        },
        {
          id: 'stall',
          on: 'summary',
          label: 'the loop stays free: no stall of 300 ms',
          value: (s) => s.loop.maxStallMs,
          pass: (v) => v < 300,
          format: formatMs
        }
      ]
    },
    {
      id: 'processes',
      title: '5. Blocking, on two processes',
      paragraphs: [
        'FriendFeed also ran four processes of one server on a 4-core machine: each process is a loop of its own. ' +
          'Here the handler blocks its loop for 500 ms (a synchronous wait, as step 3’s call did), on two processes ' +
          'behind one port; node:cluster hands each new connection to the next process in turn.',
        'Each loop does one request at a time: min(50, 2 processes) / 0.5 s = 4 req/s, twice step 3’s. The rows under ' +
          'the tiles show both processes’ loops held; more processes than cores would take turns on them.'
      ],
      kind: 'run',
      settings: {
        ...CLASSIC,
        delayMs: 500,
        concurrency: 50,
        connections: 50,
        requests: null,
        durationS: 10,
        blocking: true,
        processes: 2
      },
      checks: [
        rpsCheck('about 4 req/s (2 processes / 500 ms)', 3.2, 4.2),
        {
          id: 'both-held',
          on: 'summary',
          label: 'both processes’ loops held most of the time',
          value: (s) =>
            s.processes && s.processes.length === 2 ? Math.min(...s.processes.map((p) => p.utilization)) : null,
          pass: (v) => v >= 0.7,
          format: percent
        }
      ]
    },
    {
      id: 'hello-1',
      title: '6. Hello world on one process: whose limit?',
      paragraphs: [
        'No waiting at all now: hello world, 100 users at once, for 5 seconds. The server answers as fast as its one ' +
          'loop can, and the crowd sends as fast as its own loop can — one thread on this machine too.',
        'Whichever loop is busiest is the limit. Under the tiles a line says when it is the crowd’s (90% busy or ' +
          'more): then the req/s measure the crowd, not the server. Note the throughput for the next step.'
      ],
      kind: 'run',
      settings: { ...HELLO, processes: 1 },
      checks: [ONE_LOOP_FULL, CROWD_KEPT_UP]
    },
    {
      id: 'hello-2',
      title: '7. Hello world on two processes',
      paragraphs: [
        'The same on two processes. Blocking work doubled in step 5 because a blocked loop holds no core; hello world ' +
          'is all CPU, so two processes help only if the machine has cores to spare for them and for the crowd.',
        'On a 2-core machine the two processes, the cluster’s primary and the crowd share two cores, and the ' +
          'throughput can fall below step 6’s. Compare the req/s, each process’s row, and the crowd’s own loop.'
      ],
      kind: 'run',
      settings: { ...HELLO, processes: 2 },
      checks: [
        {
          id: 'both-serve',
          on: 'summary',
          label: 'both processes serve: each loop busy at least 20% of the time',
          value: (s) =>
            s.processes && s.processes.length === 2 ? Math.min(...s.processes.map((p) => p.utilization)) : null,
          pass: (v) => v >= 0.2,
          format: percent
        },
        CROWD_KEPT_UP
      ]
    }
  ]
}
