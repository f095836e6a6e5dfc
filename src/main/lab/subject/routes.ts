/**
 * The subject's two routes. `GET /` is the hello-world baseline: one sync handler and nothing else, so that the
 * bench measures Fastify, not us. `GET /work` is the demo handler, driven by the live settings; it marks its
 * start and its work's for the timeline (timeline.ts). The hello route has no marks: it is the cost baseline.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { handlerMarks } from './timeline'

function hello(_request: FastifyRequest, reply: FastifyReply): void {
  reply.send('hello world')
}

export function registerRoutes(app: FastifyInstance): void {
  app.get('/', hello)
  // Named: a stalled loop's stack (the BLOCKED badge) shows the handler by its name.
  app.get('/work', async function workHandler(request) {
    const { delayMs, mode } = await app.subject.work(handlerMarks(request.raw))
    return { ok: true, delayMs, mode }
  })
}
