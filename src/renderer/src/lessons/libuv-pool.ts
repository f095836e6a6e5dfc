/**
 * libuv's hidden pool: an "asynchronous" handler whose work is a task on libuv's thread pool (a slow fs call, as
 * crypto.pbkdf2, zlib or dns.lookup are too) runs only as many at once as the pool has threads — four, unless
 * UV_THREADPOOL_SIZE says otherwise. Runs of the same handler with 4 and then 16 pool threads (the pool's size
 * applies when a run starts, so each step is a run of its own); then the pool's other users: with every thread held
 * by a slow task (the stand-in for a slow dns.lookup), an unrelated file read the subject makes every 100 ms waits
 * for a thread — and with one thread spare, it does not.
 */
import { CLASSIC } from '../presets'
import { formatCount, formatMs } from '../scales'
import { rpsCheck, type Lesson } from './lesson'

/** 20 users, each request's task holds a pool thread for 500 ms */
const POOL_WORK = { ...CLASSIC, work: 'libuv', delayMs: 500, concurrency: 20, connections: 20, threads: 0 } as const

export const LIBUV_POOL: Lesson = {
  id: 'libuv-pool',
  title: 'libuv’s hidden pool',
  summary:
    'An “asynchronous” handler queues behind libuv’s four threads: 4, then 16 threads, and a slow task starving a file read.',
  intro:
    'Four runs of 3 to 5 seconds of the same handler. It awaits one asynchronous call — but that call runs on ' +
    'libuv’s thread pool, as many fs, crypto and zlib calls and dns.lookup do, and the pool has four threads.',
  steps: [
    {
      id: 'pool-4',
      title: '1. Twenty users, four threads',
      paragraphs: [
        'Each request’s task holds a thread of libuv’s pool for 500 ms (a blocking write into a pipe that the ' +
          'server drains after the delay: the pool and its queue are real, the reason the write waits is ' +
          'constructed). The handler is async; the event loop stays free.',
        'Predict: 20 in flight, but only 4 tasks can run at once: 4 / 0.5 s = 8 req/s, and about 16 requests ' +
          'wait inside libuv for a thread ("Queued" says how many). Little’s law: 20 / 8 = 2.5 s per request, of ' +
          'which 0.5 s is work.'
      ],
      kind: 'run',
      settings: { ...POOL_WORK, uvThreadpoolSize: 4, requests: 40 },
      checks: [
        rpsCheck('about 8 req/s: 4 threads / 500 ms', 6.5, 8.4),
        {
          id: 'waiting',
          on: 'summary',
          label: 'about 16 requests waited for a pool thread at once',
          value: (s) => s.libuvPool?.maxWaiting ?? null,
          pass: (v) => v >= 14 && v <= 16,
          format: formatCount
        },
        {
          id: 'p50',
          on: 'summary',
          label: 'half the requests took about 2 s or more, for 500 ms of work',
          value: (s) => s.latencyMs?.p50 ?? null,
          pass: (v) => v >= 1500,
          format: formatMs
        }
      ]
    },
    {
      id: 'pool-16',
      title: '2. The same handler, sixteen threads',
      paragraphs: [
        'Not a line of the handler changes: only UV_THREADPOOL_SIZE, which libuv reads once, when the process ' +
          'first uses its pool (so it is set before the server starts). 16 / 0.5 s = 32 req/s, and at most 4 ' +
          'wait.',
        'More threads are not free, though: each is a thread of the process, and the pool is shared by ' +
          'everything in it, as the next step shows.'
      ],
      kind: 'run',
      settings: { ...POOL_WORK, uvThreadpoolSize: 16, requests: 160 },
      checks: [
        rpsCheck('about 32 req/s: four times step 1', 26, 33.6),
        {
          id: 'waiting',
          on: 'summary',
          label: 'at most 4 waited for a pool thread (20 − 16)',
          value: (s) => s.libuvPool?.maxWaiting ?? null,
          pass: (v) => v <= 4,
          format: formatCount
        }
      ]
    },
    {
      id: 'starved',
      title: '3. A slow task starves a file read',
      paragraphs: [
        'Four users, four threads, each task 1 s: no request waits for a thread. But the pool is the whole ' +
          'process’s: a slow dns.lookup (a resolver that takes its time) holds its threads just as these tasks ' +
          'do. Beside them the server reads 4 KiB of a cached file every 100 ms (fs.read, one pool task, well ' +
          'under a millisecond on its own) — code that has nothing to do with the requests.',
        'Watch “file read” under Queued: it waits for a thread to come free, up to a second. The tasks here are ' +
          'constructed (a write into a pipe the server drains after the delay); the pool, its queue and the file ' +
          'read are real.'
      ],
      kind: 'run',
      settings: { ...POOL_WORK, uvThreadpoolSize: 4, delayMs: 1000, concurrency: 4, connections: 4, requests: 12 },
      checks: [
        rpsCheck('about 4 req/s: nothing queued for the requests', 3.2, 4.2),
        {
          id: 'file-read',
          on: 'summary',
          label: 'an unrelated file read waited half a second or more',
          value: (s) => s.libuvPool?.maxFileReadMs ?? null,
          pass: (v) => v >= 500,
          format: formatMs
        }
      ]
    },
    {
      id: 'spare',
      title: '4. One thread spare',
      paragraphs: [
        'Three users on the same four threads: one thread is always free, and the file read takes it at once. ' +
          'A pool sized for its slow tasks plus some headroom keeps the rest of the server’s fs, crypto and ' +
          'zlib calls fast.'
      ],
      kind: 'run',
      settings: { ...POOL_WORK, uvThreadpoolSize: 4, delayMs: 1000, concurrency: 3, connections: 3, requests: 9 },
      checks: [
        rpsCheck('about 3 req/s', 2.4, 3.15),
        {
          id: 'file-read',
          on: 'summary',
          label: 'the file read never waited long: under 100 ms',
          value: (s) => s.libuvPool?.maxFileReadMs ?? null,
          pass: (v) => v < 100,
          format: formatMs
        }
      ]
    }
  ]
}
