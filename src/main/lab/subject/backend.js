/**
 * THE BACKEND PROCESS ENTRY (work "upstream"): a slow HTTP service in a process of its own, forked by the subject
 * (upstream.ts) when a run first needs it and ended with the subject. `GET /?delayMs=D&jitterMs=J` answers "ok"
 * after D ms plus up to J ms more (uniform), timed by a timer: the backend holds nothing while it waits, like a
 * database that is slow for reasons of its own.
 *
 * It says `{type:'listening', port}` on 127.0.0.1 (port 0) to the subject. Its figures go round the subject: to
 * whoever asks `GET /reports` (the host, backend-reports.ts), a line of JSON every 100 ms of what it sees: requests
 * in flight at it now, and the answers since the last line (their count and a bounded uniform sample of their
 * times, ms from the request's arrival to its answer). Not through the subject, whose loop a blocking call holds:
 * the figures of a call must arrive while it holds the loop. Per-interval aggregates only: nothing per request;
 * answers are kept until a line has gone out, so none are lost before the host asks.
 *
 * Plain JavaScript with no dependencies (typed by backend.d.ts), like pool-task.js: it starts in ~35 ms with no
 * loader, and the app build copies it unchanged beside the subject's chunk. It exits when the subject goes away.
 */
import { createServer } from 'node:http'

const REPORT_INTERVAL_MS = 100
/** Most answer times one report carries; beyond it they are a uniform sample (the count stays exact). */
const SAMPLE_MAX = 2000

function main() {
  let inFlight = 0
  let answered = 0
  let answerMs = []

  const keep = (ms) => {
    answered++
    if (answerMs.length < SAMPLE_MAX) answerMs.push(ms)
    else {
      // reservoir sampling: each of the interval's answers is kept with the same chance
      const i = Math.floor(Math.random() * answered)
      if (i < SAMPLE_MAX) answerMs[i] = ms
    }
  }

  /** the `/reports` streams open now */
  const readers = new Set()

  const server = createServer((req, res) => {
    if (req.url === '/reports') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      readers.add(res)
      res.once('close', () => readers.delete(res))
      return
    }
    const arrivedAt = performance.now()
    const query = new URL(req.url ?? '/', 'http://backend').searchParams
    const delayMs = Math.max(Number(query.get('delayMs')) || 0, 0)
    const jitterMs = Math.max(Number(query.get('jitterMs')) || 0, 0)
    inFlight++
    let done = false
    const finish = () => {
      if (done) return
      done = true
      inFlight--
      clearTimeout(timer)
    }
    const timer = setTimeout(
      () => {
        res.end('ok', () => keep(performance.now() - arrivedAt))
        finish()
      },
      delayMs + Math.random() * jitterMs
    )
    // a caller that went away (its process ended, its socket reset) is no longer in flight here
    res.once('close', finish)
  })
  // the subject's clients keep their connections for the whole run
  server.keepAliveTimeout = 600_000
  server.headersTimeout = 0
  server.requestTimeout = 0
  server.maxRequestsPerSocket = 0

  server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => {
    process.send?.({ type: 'listening', port: server.address().port, pid: process.pid })
  })
  setInterval(() => {
    if (readers.size === 0) return
    const line = `${JSON.stringify({ inFlight, answered, answerMs })}\n`
    for (const res of readers) res.write(line)
    answered = 0
    answerMs = []
  }, REPORT_INTERVAL_MS)
  process.on('disconnect', () => process.exit(0))
}

main()
