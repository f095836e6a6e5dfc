/**
 * A genuinely synchronous HTTP GET, for work "upstream" when it blocks (on the loop, `blocking: true`) or runs on
 * the pool's threads: the calling thread sleeps in Atomics.wait — a futex wait in the kernel, no spinning, nothing
 * else of its runs — until the answer has come, as a synchronous database or HTTP library holds its thread.
 *
 * How: a helper thread of the caller's own (one per calling thread, started on first use, unref'd) does the HTTP
 * with node:http over one kept-alive connection, and writes the outcome into shared memory the caller waits on.
 * Why this way: it costs one postMessage and one notify per call (tens of µs). The other honest ways cost more or
 * do not exist: child_process.execFileSync of a tiny client starts a process per call (~30–50 ms of CPU on the
 * 2-core machine, more than most delays it would stand for); Node has no synchronous socket API.
 *
 * Plain JavaScript (typed by sync-http.d.ts) because pool-task.js, which piscina loads with no loader, uses it.
 */
import { Worker } from 'node:worker_threads'

/** The helper's code (CommonJS, evaluated): one request at a time, answers in order. */
const HELPER = `
const { parentPort, workerData } = require('node:worker_threads')
const http = require('node:http')
const state = new Int32Array(workerData.state)
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const OUTCOME = { ECONNREFUSED: -1, ECONNRESET: -2, ETIMEDOUT: -4 }
parentPort.on('message', ({ url, seq, timeoutMs }) => {
  let settled = false
  const done = (status) => {
    if (settled) return
    settled = true
    Atomics.store(state, 1, status)
    Atomics.store(state, 0, seq)
    Atomics.notify(state, 0)
  }
  const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
    res.resume()
    res.on('end', () => done(res.statusCode))
    res.on('error', () => done(-2))
  })
  req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
  req.on('error', (err) => done(OUTCOME[err.code] ?? -3))
})
`

/** A failed call's negative status, as the error code it throws. */
const FAILURES = { '-1': 'ECONNREFUSED', '-2': 'ECONNRESET', '-4': 'ETIMEDOUT' }

let helper = null

function openHelper() {
  const state = new Int32Array(new SharedArrayBuffer(8))
  const worker = new Worker(HELPER, { eval: true, workerData: { state: state.buffer } })
  // The helper never keeps its thread alive; an error in it fails the calls that follow, not the thread.
  worker.unref()
  worker.on('error', () => {
    if (helper?.worker === worker) helper = null
  })
  return { worker, state, seq: 0 }
}

/**
 * GETs `url` and returns the answer's status once its body has been read; throws an Error with `code`
 * ('ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT' or 'EUPSTREAM') when no answer came. Blocks the calling thread throughout.
 */
export function syncGet(url, timeoutMs) {
  helper ??= openHelper()
  const h = helper
  const seq = (h.seq = (h.seq % 0x7fffffff) + 1)
  h.worker.postMessage({ url, seq, timeoutMs })
  const deadline = performance.now() + timeoutMs + 1000
  for (let seen = Atomics.load(h.state, 0); seen !== seq; seen = Atomics.load(h.state, 0)) {
    const leftMs = deadline - performance.now()
    if (leftMs <= 0 || Atomics.wait(h.state, 0, seen, leftMs) === 'timed-out') {
      // the helper is stuck: start another for the next call
      helper = null
      void h.worker.terminate()
      throw Object.assign(new Error(`no answer from ${url} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })
    }
  }
  const status = Atomics.load(h.state, 1)
  if (status > 0) return status
  const code = FAILURES[String(status)] ?? 'EUPSTREAM'
  throw Object.assign(new Error(`the backend call failed with ${code} (${url})`), { code })
}
