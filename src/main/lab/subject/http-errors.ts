/**
 * How the subject refuses: every 4xx/5xx it sends is `{code, message}` with a code from the shared registry, whether
 * the request missed a route, failed Fastify's parsing, threw in a handler, or was too broken for HTTP itself.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isErrorCode, type ErrorCode, type ErrorInfo } from '../../../shared/errors'

/** The code a refusal with this status carries; every route and handler of the subject answers with it. */
export function codeFor(statusCode: number): ErrorCode {
  if (statusCode === 404) return 'LOOPSCOPE_ERR_HTTP_NOT_FOUND'
  if (statusCode === 413) return 'LOOPSCOPE_ERR_HTTP_TOO_LARGE'
  if (statusCode === 415) return 'LOOPSCOPE_ERR_HTTP_MEDIA_TYPE'
  return statusCode < 500 ? 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST' : 'LOOPSCOPE_ERR_HTTP_INTERNAL'
}

export function registerHttpErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorInfo = {
      code: 'LOOPSCOPE_ERR_HTTP_NOT_FOUND',
      message: `no route ${request.method} ${request.url}`
    }
    reply.code(404).send(body)
  })

  app.setErrorHandler(codedErrorHandler)
}

/**
 * The one error handler: Fastify's own errors (bad JSON, bad URL, validation, body too large) carry their 4xx;
 * anything else is ours, a 500, and logged. Plugins that set a handler of their own context (long-poll.ts) set this.
 */
export function codedErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  // a refusal of our own with a code of the registry keeps it (a publish while Redis is away: 503, STORE_UNAVAILABLE)
  const own = isErrorCode(error.code)
  if (status >= 500 && !own) reply.log.error(error)
  const code = own ? (error.code as ErrorCode) : codeFor(status)
  const body: ErrorInfo = { code, message: error.message || STATUS_CODES[status] || 'error' }
  reply.code(status).send(body)
}

/** For errors Fastify answers before routing (a URL that does not decode, an over-long parameter): 400, coded. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  reply.code(status).send({ code: codeFor(status), message: error.message } satisfies ErrorInfo)
}

/**
 * For requests Node's HTTP parser rejects before Fastify sees them (unknown method, garbage bytes): the same JSON
 * shape as everything else, instead of Fastify's default body. Mirrors Fastify's default handler otherwise.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
  const body = JSON.stringify({
    code: 'LOOPSCOPE_ERR_HTTP_BAD_REQUEST',
    message: `malformed HTTP request (${err.code ?? err.message})`
  } satisfies ErrorInfo)
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`
    )
  }
  socket.destroy(err)
}
