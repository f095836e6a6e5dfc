/**
 * The broadcast lab (nodecast's long polling, and the two transports that replaced it), on one bounded log with one
 * publish path (push-hub.ts): a message published by any route reaches every subscriber of every transport once.
 *
 *   GET /wait            long polling (wait-route.ts): wait for the next message (nothing old)
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
 *   GET /events          Server-Sent Events (sse-route.ts), resume by Last-Event-ID or ?since=N
 *   GET /ws              WebSocket (ws-route.ts), resume by ?since=N or {"since": N}, publish by {"text": "…"}
 *   POST /publish        {"text": "1–280 characters"} → the new message {id, text, publishedAt}
 *   GET /live            the attendee page (live-page.ts)
 *   bad input            400 {code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message}; a body over 8 KiB 413
 *                        (LOOPSCOPE_ERR_HTTP_TOO_LARGE), not JSON 415 (LOOPSCOPE_ERR_HTTP_MEDIA_TYPE)
 */
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyPluginCallback } from 'fastify'
import type { SubjectPushReport } from '../protocol'
import { DEFAULT_SETTINGS, type SubjectSettings } from '../../../shared/settings'
import { PUBLISH_PATH, SENT_AT_HEADER, SSE_KEEPALIVE_MS, type Message } from '../../../shared/wire'
import { codedErrorHandler } from './http-errors'
import { livePage } from './live-page'
import { MemoryProbe, type MemoryReport } from './memory-probe'
import { PushHub, type SharedLog, type StoreState } from './push-hub'
import { sentAt, textProblem } from './push-input'
import { registerSse } from './sse-route'
import { JSON_TYPE, registerWait } from './wait-route'
import { registerWs } from './ws-route'

export interface LongPollOptions {
  /** read on every request, so pollTimeoutMs and logSize changes apply live (to new waits; held ones keep theirs) */
  getSettings?: () => Pick<SubjectSettings, 'pollTimeoutMs' | 'logSize'>
  /** the SSE keep-alive comment's interval (SSE_KEEPALIVE_MS; shorter in tests) */
  sseKeepAliveMs?: number
  /**
   * A log shared with the subject's other processes, or kept across its restarts (relay-store.ts, redis-store.ts),
   * opened before the subject listens; without it the log is this process's own.
   */
  shareLog?: (hub: PushHub) => SharedLog
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
  /** per transport: open now, slow consumers cut, refused, bytes written */
  push(): SubjectPushReport
  /** where the log is kept, and whether it can be reached */
  store(): StoreState
  /**
   * publish as POST /publish does (text is not validated here) and wake every subscriber: with one process's own log
   * they are woken by the time this returns; with a shared store, once it has given the message its id
   */
  publish(text: string): Promise<Message>
}

declare module 'fastify' {
  interface FastifyInstance {
    longPoll: LongPoll
  }
}

/** Room for 280 characters written the longest way JSON allows (a \\uXXXX pair each), and more: 8 KiB. */
const PUBLISH_BODY_LIMIT_BYTES = 8 * 1024

function checkText(body: unknown): string {
  const text = (body as { text?: unknown } | null)?.text
  const problem = textProblem(text)
  if (problem !== null) throw Object.assign(new Error(problem), { statusCode: 400 })
  return text as string
}

const longPoll: FastifyPluginCallback<LongPollOptions> = (app, options, done) => {
  const settings = options.getSettings ?? (() => DEFAULT_SETTINGS)
  const hub = new PushHub(() => settings().logSize)
  const shared = options.shareLog?.(hub) ?? null
  const ownState: StoreState = { kind: 'memory', up: true, lost: 0 }
  // Open connections, for the memory figure: one counter and a shared listener, nothing per request.
  let connections = 0
  const connectionClosed = (): void => void connections--
  app.server.on('connection', (socket: Socket) => {
    connections++
    socket.on('close', connectionClosed)
  })
  /** subscribers of every transport: each holds a connection the probe weighs */
  const subscribers = (): number => hub.open('long-poll') + hub.open('sse') + hub.open('websocket')
  const probe = new MemoryProbe(() => ({ connections, held: subscribers() }))

  const publish = (text: string, askedAt?: number): Promise<Message> => hub.publish(text, askedAt)
  app.decorate('longPoll', {
    held: () => hub.open('long-poll'),
    published: () => hub.log.published,
    connections: () => connections,
    memory: () => {
      probe.start()
      return probe.report()
    },
    push: () => hub.report(),
    store: () => shared?.state() ?? ownState,
    publish
  } satisfies LongPoll)

  if (shared) app.addHook('onReady', () => shared.open())
  // Answer every held request and close every stream before the server waits for its connections to end.
  app.addHook('preClose', (done) => {
    hub.stop()
    done()
  })
  app.addHook('onClose', async () => {
    probe.stop()
    hub.stop()
    await shared?.close()
  })

  // The routes live in a child context so their error handler (the subject's one, coded JSON) is set even where the
  // plugin is used alone (tests); the decoration above is on the parent (this plugin skips encapsulation).
  app.register((routes: FastifyInstance, _opts, registered) => {
    // /publish takes JSON only: any other body, text/plain (which Fastify parses by default) included, is a 415.
    routes.removeContentTypeParser('text/plain')
    routes.setErrorHandler(codedErrorHandler)

    registerWait(routes, hub, settings)
    registerSse(routes, hub, options.sseKeepAliveMs ?? SSE_KEEPALIVE_MS)
    registerWs(routes, hub, (text) => publish(text))

    routes.post(PUBLISH_PATH, { bodyLimit: PUBLISH_BODY_LIMIT_BYTES }, async (request, reply) => {
      const text = checkText(request.body)
      const message = await publish(text, sentAt(request.headers[SENT_AT_HEADER]))
      reply.header('content-type', JSON_TYPE).header('cache-control', 'no-store')
      return reply.send(JSON.stringify(message))
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
