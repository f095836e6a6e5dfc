/**
 * GET /wait, long polling: answered at once when there is news, else held until the next message or the poll
 * timeout. Fan-out is the point of the lab, so it is built for it: a held request is one Map entry, one timer
 * without a closure and one shared 'close' listener; a publish serialises the answer once (every held waiter asked
 * for exactly the message being published — anything older would have been answered at once) and writes it to each
 * raw response in one synchronous loop. Held replies are hijacked so Fastify's send pipeline is skipped on the hot
 * path; Fastify still runs onResponse hooks when the raw response finishes, but onSend hooks do not see these answers.
 */
import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SubjectSettings } from '../../../shared/settings'
import {
  HELD_HEADER,
  MISSED_HEADER,
  POLL_TIMEOUT_HEADER,
  RUN_HEADER,
  SENT_AT_HEADER,
  STOPPING_HEADER,
  WAIT_PATH
} from '../../../shared/wire'
import { EMPTY_BODY } from './long-poll-log'
import type { PushHub } from './push-hub'
import { epochMs } from '../../../shared/epoch'
import { parseSince } from './push-input'

export const JSON_TYPE = 'application/json; charset=utf-8'

/** Where answer() writes each response's own sent-at into a shared head. */
const SENT_AT_AT = 1

export const badRequest = (reply: FastifyReply, message: string): FastifyReply =>
  reply.code(400).send({ code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST', message })

export function registerWait(
  routes: FastifyInstance,
  hub: PushHub,
  settings: () => Pick<SubjectSettings, 'pollTimeoutMs'>
): void {
  const counts = hub.counts['long-poll']
  /** What every /wait answer says besides its body; SENT_AT_HEADER first (answer() fills it in), at SENT_AT_AT. */
  const waitHeaders = (held: number): string[] => [
    SENT_AT_HEADER,
    '',
    RUN_HEADER,
    hub.runId,
    HELD_HEADER,
    String(held),
    POLL_TIMEOUT_HEADER,
    String(settings().pollTimeoutMs),
    'cache-control',
    'no-store',
    ...(hub.closing ? [STOPPING_HEADER, '1'] : [])
  ]
  /** The head of a hijacked /wait answer, built once per body and shared by every response that sends it. */
  const headFor = (body: string, held: number): string[] => [
    ...waitHeaders(held),
    'content-type',
    JSON_TYPE,
    'content-length',
    String(Buffer.byteLength(body))
  ]
  let waiters = new Map<ServerResponse, NodeJS.Timeout>()

  function answer(res: ServerResponse, head: string[], body: string): void {
    // writeHead copies the head at once, so one array serves a whole fan-out, each answer with its own time.
    head[SENT_AT_AT] = epochMs().toFixed(1)
    res.writeHead(200, head)
    res.end(body)
  }
  /** As answer(), counting the bytes Node wrote for it, head and body (bytesWritten includes what is still buffered). */
  function answerCounted(res: ServerResponse, head: string[], body: string): number {
    const socket = res.socket
    const before = socket?.bytesWritten ?? 0
    answer(res, head, body)
    const bytes = socket ? socket.bytesWritten - before : 0
    counts.bytesWritten += bytes
    return bytes
  }

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
    if (waiters.delete(res)) answerCounted(res, headFor(EMPTY_BODY, held), EMPTY_BODY)
  }
  function wakeAll(body: string): void {
    const woken = waiters
    waiters = new Map()
    const head = headFor(body, woken.size)
    // Every answer of a fan-out is the same size (the same head and body; its sent-at is always 15 characters), so
    // the first is counted and the rest are not read: bytesWritten copies the socket's buffer list on each read.
    let bytes = -1
    for (const [res, timer] of woken) {
      clearTimeout(timer)
      if (bytes < 0) bytes = answerCounted(res, head, body)
      else {
        answer(res, head, body)
        counts.bytesWritten += bytes
      }
    }
  }

  /** An answer sent through Fastify (not held): its bytes once it has gone. */
  function countWritten(res: ServerResponse): void {
    const socket = res.socket
    if (socket === null) return
    const before = socket.bytesWritten
    res.once('finish', () => void (counts.bytesWritten += socket.bytesWritten - before))
  }

  hub.attach('long-poll', {
    deliver: (_message, json) => {
      if (waiters.size > 0) wakeAll(`[${json}]`)
    },
    open: () => waiters.size,
    stop: () => wakeAll(EMPTY_BODY),
    release: () => wakeAll(EMPTY_BODY)
  })

  routes.get(WAIT_PATH, (request: FastifyRequest<{ Querystring: { since?: unknown } }>, reply: FastifyReply) => {
    const since = parseSince(request.query.since)
    if (typeof since === 'string') {
      counts.refused++
      return badRequest(reply, since)
    }
    const found = since === undefined ? null : hub.log.since(since)
    if ((found !== null && found.count > 0) || hub.closing) {
      // the asker counts as one of those held: it was, or it will be again once it has read this
      const head = waitHeaders(waiters.size + 1)
      head[SENT_AT_AT] = epochMs().toFixed(1)
      for (let i = 0; i < head.length; i += 2) reply.header(head[i]!, head[i + 1])
      reply.header('content-type', JSON_TYPE)
      if (found !== null && found.missed > 0) reply.header(MISSED_HEADER, String(found.missed))
      countWritten(reply.raw)
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
}
