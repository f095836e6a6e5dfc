/** The subject's push routes alone (the long-poll plugin: /wait, /events, /ws, /publish, /live) on 127.0.0.1. */
import Fastify, { type FastifyInstance } from 'fastify'
import longPoll from '../../src/main/lab/subject/long-poll'

export interface PushSubjectOptions {
  pollTimeoutMs?: number
  logSize?: number
  sseKeepAliveMs?: number
}

export interface PushSubject {
  app: FastifyInstance
  port: number
  origin: string
}

/** Listens on a port of the OS's choosing; `cleanups` gets its close. */
export async function pushSubject(cleanups: (() => unknown)[], opts: PushSubjectOptions = {}): Promise<PushSubject> {
  const settings = { pollTimeoutMs: opts.pollTimeoutMs ?? 10_000, logSize: opts.logSize ?? 1000 }
  // as the subject (build-subject.ts): a close does not wait for idle keep-alive connections
  const app = Fastify({ forceCloseConnections: true })
  await app.register(longPoll, { getSettings: () => settings, sseKeepAliveMs: opts.sseKeepAliveMs })
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 511 })
  cleanups.push(() => app.close())
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { app, port: address.port, origin: `http://127.0.0.1:${address.port}` }
}
