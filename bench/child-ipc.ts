/** What the benches that fork a subject child share: the child's start, and a question to it over IPC. */
import type { ChildProcess } from 'node:child_process'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import longPoll from '../src/main/lab/subject/long-poll'

/** A question to the child, answered by the first message of the type it waits for. */
export function ask<From extends { type: string }, T extends From['type']>(
  child: ChildProcess,
  /** null: only wait (for what the child says by itself, e.g. 'listening') */
  message: object | null,
  answer: T
): Promise<Extract<From, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (m: From): void => {
      if (m.type !== answer) return
      child.off('message', onMessage)
      resolve(m as Extract<From, { type: T }>)
    }
    child.on('message', onMessage)
    if (message) child.send(message)
  })
}

/** The subject a bench forks: the broadcast plugin on Fastify, listening, gone when its parent goes. */
export async function listenBenchSubject(fastify: FastifyServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ...fastify })
  await app.register(longPoll, { getSettings: () => ({ pollTimeoutMs: 120_000, logSize: 1000 }) })
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 })
  process.on('disconnect', () => process.exit(0))
  return app
}
