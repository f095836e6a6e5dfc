/**
 * The comet broadcast lab (nodecast, Tornado's chat demo): GET /wait long-polls a bounded message log, POST /publish
 * appends to it and wakes every waiter, GET /live is a page for the audience that does both.
 *
 *   GET /wait            wait for the next message (nothing old)
 *   GET /wait?since=N    messages with id ≥ N at once if there are any, else wait for the next one; since=0 = all the
 *                        log holds. Ids start at 1. A cursor beyond the next id (the subject restarted) gets all the
 *                        log holds, so an answer whose ids are below `since` means "start over".
 *                        A wait ends with the next message or, after pollTimeoutMs, with [].
 *                        If messages ≥ N have already left the log (logSize), the answer holds what is left and the
 *                        header `x-loopscope-missed: <count>` says how many were lost; the body stays a plain array.
 *                        Every /wait answer also says which subject process answered (x-loopscope-run), how many
 *                        were held as it left (x-loopscope-held), when it left on the subject's clock
 *                        (x-loopscope-sent-at), the poll timeout of the next wait (x-loopscope-poll-timeout-ms), and,
 *                        while the subject is closing, x-loopscope-stopping: 1. The /live page reads them.
 *   POST /publish        {"text": "1–280 characters"} → the new message {id, text, publishedAt}
 *   bad input            400 {code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message}; a body over 8 KiB 413
 *                        (LOOPSCOPE_ERR_HTTP_TOO_LARGE), not JSON 415 (LOOPSCOPE_ERR_HTTP_MEDIA_TYPE)
 *
 * Fan-out is the point of the lab, so it is built for it: a held request is one Map entry, one timer without a
 * closure and one shared 'close' listener; a publish serialises the answer once (every held waiter asked for exactly
 * the message being published — anything older would have been answered at once) and writes it to each raw
 * response in one synchronous loop. Held replies are hijacked so Fastify's send pipeline is skipped on the hot path;
 * Fastify still runs onResponse hooks when the raw response finishes, but onSend hooks do not see these answers.
 */
import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_SETTINGS, type SubjectSettings } from '../../../shared/settings'
import {
  HELD_HEADER,
  MISSED_HEADER,
  POLL_TIMEOUT_HEADER,
  RUN_HEADER,
  SENT_AT_HEADER,
  STOPPING_HEADER,
  TEXT_MAX_CHARS,
  type Message
} from '../../../shared/wire'
import { EMPTY_BODY, MessageLog } from './long-poll-log'
import { codeFor } from './http-errors'
import { livePage } from './live-page'
import { MemoryProbe, type MemoryReport } from './memory-probe'

export { MISSED_HEADER, SENT_AT_HEADER, TEXT_MAX_CHARS, type Message } from '../../../shared/wire'

export interface LongPollOptions {
  /** read on every request, so pollTimeoutMs and logSize changes apply live (to new waits; held ones keep theirs) */
  getSettings?: () => Pick<SubjectSettings, 'pollTimeoutMs' | 'logSize'>
}

export interface LongPoll {
  /** requests held at /wait right now */
  held(): number
  /** messages published so far */
  published(): number
  /** connections open to the server right now (subscribers' and everyone else's) */
  connections(): number
  /**
   * The memory probe's latest samples (see memory-probe.ts). The first call starts the probe and takes its baseline
   * (an instrumented subject makes it before it listens), so an uninstrumented subject never forces a GC.
   */
  memory(): MemoryReport
  /** publish as POST /publish does (text is not validated here) and wake every waiter */
  publish(text: string): Message
}

declare module 'fastify' {
  interface FastifyInstance {
    longPoll: LongPoll
  }
}

/**
 * The publisher's SENT_AT_HEADER, when plausible, dates the message (a blocked loop then shows in the delivery
 * latency). Anything implausible (not a number, in the future, over a minute old) is ignored and the subject's own
 * clock is used.
 */
function sentAt(header: string | string[] | undefined): number | undefined {
  const at = Number(header)
  if (typeof header !== 'string' || !Number.isFinite(at)) return undefined
  const now = epochMs()
  return at <= now + 5 && at >= now - 60_000 ? at : undefined
}
const epochMs = (): number => performance.timeOrigin + performance.now()
const JSON_TYPE = 'application/json; charset=utf-8'
/** Room for 280 characters written the longest way JSON allows (a \\uXXXX pair each), and more: 8 KiB. */
const PUBLISH_BODY_LIMIT_BYTES = 8 * 1024

const badRequest = (reply: FastifyReply, message: string): FastifyReply =>
  reply.code(400).send({ code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message })

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** since: undefined = wait for the next message; a number = messages with id ≥ it; a string = why it is refused */
function parseSince(raw: unknown): number | undefined | string {
  if (raw === undefined) return undefined
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw)
  return `since must be a non-negative integer message id (got ${describe(raw)})`
}

function checkText(body: unknown): string {
  const text = (body as { text?: unknown } | null)?.text
  if (typeof text === 'string') {
    // Count characters as people do (code points), not UTF-16 units; the length test first keeps this cheap.
    const chars = text.length <= TEXT_MAX_CHARS ? text.length : [...text].length
    if (chars >= 1 && chars <= TEXT_MAX_CHARS) return text
  }
  throw Object.assign(
    new Error(`text must be a string of 1 to ${TEXT_MAX_CHARS} characters (got ${describe(text)})`),
    { statusCode: 400 }
  )
}

/** Where answer() writes each response's own sent-at into a shared head. */
const SENT_AT_AT = 1

function answer(res: ServerResponse, head: string[], body: string): void {
  // writeHead copies the head at once, so one array serves a whole fan-out, each answer with its own time.
  head[SENT_AT_AT] = epochMs().toFixed(1)
  res.writeHead(200, head)
  res.end(body)
}

const longPoll: FastifyPluginCallback<LongPollOptions> = (app, options, done) => {
  const settings = options.getSettings ?? (() => DEFAULT_SETTINGS)
  const log = new MessageLog(() => settings().logSize)
  // New at each start of the subject: a client that sees it change knows the ids count from 1 again.
  const runId = randomBytes(6).toString('hex')
  /** What every /wait answer says besides its body; SENT_AT_HEADER first (answer() fills it in), at SENT_AT_AT. */
  const waitHeaders = (held: number): string[] => [
    SENT_AT_HEADER, '',
    RUN_HEADER, runId,
    HELD_HEADER, String(held),
    POLL_TIMEOUT_HEADER, String(settings().pollTimeoutMs),
    'cache-control', 'no-store',
    ...(closing ? [STOPPING_HEADER, '1'] : [])
  ]
  /** The head of a hijacked /wait answer, built once per body and shared by every response that sends it. */
  const headFor = (body: string, held: number): string[] => [
    ...waitHeaders(held),
    'content-type', JSON_TYPE,
    'content-length', String(Buffer.byteLength(body))
  ]
  let waiters = new Map<ServerResponse, NodeJS.Timeout>()
  let closing = false
  // Open connections, for the memory figure: one counter and a shared listener, nothing per request.
  let connections = 0
  const connectionClosed = (): void => void connections--
  app.server.on('connection', (socket: Socket) => {
    connections++
    socket.on('close', connectionClosed)
  })
  const probe = new MemoryProbe(() => ({ connections, held: waiters.size }))

  // Shared functions, not one closure per waiter: `this` is the response that went away.
  function forget(this: ServerResponse): void {
    const timer = waiters.get(this)
    if (timer !== undefined) {
      clearTimeout(timer)
      waiters.delete(this)
    }
  }
  function expire(res: ServerResponse): void {
    const held = waiters.size
    if (waiters.delete(res)) answer(res, headFor(EMPTY_BODY, held), EMPTY_BODY)
  }

  function wakeAll(body: string): void {
    const woken = waiters
    waiters = new Map()
    const head = headFor(body, woken.size)
    for (const [res, timer] of woken) {
      clearTimeout(timer)
      answer(res, head, body)
    }
  }

  function publish(text: string, askedAt?: number): Message {
    const { message, json } = log.append(text, askedAt ?? performance.timeOrigin + performance.now())
    if (waiters.size > 0) wakeAll(`[${json}]`)
    return message
  }

  app.decorate('longPoll', {
    held: () => waiters.size,
    published: () => log.published,
    connections: () => connections,
    memory: () => {
      probe.start()
      return probe.report()
    },
    publish
  } satisfies LongPoll)

  // Answer every held request before the server waits for its connections to end.
  app.addHook('preClose', (done) => {
    closing = true
    wakeAll(EMPTY_BODY)
    done()
  })
  app.addHook('onClose', (_app, done) => {
    probe.stop()
    wakeAll(EMPTY_BODY)
    done()
  })

  // The routes live in a child context so their error handler (400 → our coded JSON) stays theirs; the decoration
  // above is on the parent (this plugin skips encapsulation).
  app.register((routes: FastifyInstance, _opts, registered) => {
    // /publish takes JSON only: any other body, text/plain (which Fastify parses by default) included, is a 415.
    routes.removeContentTypeParser('text/plain')
    routes.setErrorHandler((error: FastifyError, _request, reply) => {
      const status = error.statusCode ?? 500
      if (status >= 400 && status < 500) return reply.code(status).send({ code: codeFor(status), message: error.message })
      reply.log.error(error)
      return reply.code(500).send({ code: 'LOOPSCOPE_ERR_HTTP_INTERNAL', message: error.message })
    })

    routes.get('/wait', (request: FastifyRequest<{ Querystring: { since?: unknown } }>, reply: FastifyReply) => {
      const since = parseSince(request.query.since)
      if (typeof since === 'string') return badRequest(reply, since)
      const found = since === undefined ? null : log.since(since)
      if ((found !== null && found.count > 0) || closing) {
        // the asker counts as one of those held: it was, or it will be again once it has read this
        const head = waitHeaders(waiters.size + 1)
        head[SENT_AT_AT] = epochMs().toFixed(1)
        for (let i = 0; i < head.length; i += 2) reply.header(head[i]!, head[i + 1])
        reply.header('content-type', JSON_TYPE)
        if (found !== null && found.missed > 0) reply.header(MISSED_HEADER, String(found.missed))
        return reply.send(found?.body ?? EMPTY_BODY)
      }
      const res = reply.raw
      // A client that left while the request was being routed would otherwise be held until its timeout.
      if (res.socket === null || res.socket.destroyed) return reply.send(EMPTY_BODY)
      reply.hijack()
      waiters.set(res, setTimeout(expire, settings().pollTimeoutMs, res))
      res.on('close', forget)
      return reply
    })

    routes.post('/publish', { bodyLimit: PUBLISH_BODY_LIMIT_BYTES }, (request, reply) => {
      const text = checkText(request.body)
      reply.header('content-type', JSON_TYPE).header('cache-control', 'no-store')
      return reply.send(JSON.stringify(publish(text, sentAt(request.headers[SENT_AT_HEADER]))))
    })

    routes.get('/live', (_request, reply) => {
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; base-uri 'none'"
        )
        .header('x-content-type-options', 'nosniff')
        .send(livePage(settings().pollTimeoutMs))
    })
    registered()
  })

  done()
}

// Visible to the parent, like fastify-plugin does (not installed here; the symbol is what it sets).
Object.assign(longPoll, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'loopscope-long-poll'
})

export default longPoll
