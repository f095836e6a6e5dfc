/**
 * The broadcast log shared by several subject processes, in memory (relayed through the cluster's primary) and on a
 * real Redis (the lab's own redis-server, or one given by URL), through the real Lab: a publish on any process
 * reaches the subscribers of every process exactly once and in order; on Redis the log outlives a restart of the
 * subject and its ids never repeat; Redis going away mid-run is said, answered and refused, and the log carries on
 * when it is back; no redis-server a test started outlives it. Needs redis-server (Debian's; `.ci/run` installs it):
 * without it these tests fail with the sentence that says how to install it, rather than pass by skipping.
 */
import { childPids } from '../helpers/process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { startRedisServer, type RedisServer } from '../../src/main/lab/redis-server'
import type { ErrorInfo } from '../../src/shared/errors'
import type { Frame, Summary } from '../../src/shared/frame'
import type { SettingsPatch } from '../../src/shared/settings'
import type { Message, PushHello } from '../../src/shared/wire'
import { alive } from '../helpers/process'
import { until, WsClient } from '../helpers/push-clients'

const dirs: string[] = []
const labs: Lab[] = []
const servers: RedisServer[] = []

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-redis-'))
  dirs.push(dir)
  return dir
}

async function startLab(
  patch: SettingsPatch,
  redisDir = tempDir()
): Promise<{ lab: Lab; origin: string; port: number; errors: ErrorInfo[] }> {
  const lab = new Lab({ redisDir })
  labs.push(lab)
  const errors: ErrorInfo[] = []
  lab.on('error', (e) => errors.push(e))
  // no crowd load to speak of: the test is the subscribers and the publishes it makes itself
  const status = await lab.start({ route: 'hello', concurrency: 1, durationS: 120, ...patch })
  const origin = status.subjectUrl!
  return { lab, origin, port: Number(new URL(origin).port), errors }
}

async function publish(origin: string, text: string): Promise<Response> {
  return fetch(`${origin}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text })
  })
}

async function published(origin: string, text: string): Promise<Message> {
  const res = await publish(origin, text)
  expect(res.status).toBe(200)
  return (await res.json()) as Message
}

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close()
  for (const server of servers.splice(0)) await server.stop()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe.each(['memory', 'redis'] as const)('two processes, store %s', (store) => {
  it('a publish on either process reaches the subscribers of both exactly once, in order', async () => {
    const { origin, port, errors } = await startLab({ processes: 2, store })
    // Round-robin: eight sockets land on both processes (each hello says which one holds it).
    const sockets = await Promise.all(Array.from({ length: 8 }, () => WsClient.open(port)))
    await until('every hello', () => sockets.every((s) => s.frames.length > 0))
    const hellos = sockets.map((s) => s.frames[0] as PushHello)
    expect(new Set(hellos.map((h) => h.process))).toEqual(new Set([1, 2]))
    // one log: the same identity and the same next id on both processes
    expect(new Set(hellos.map((h) => h.run)).size).toBe(1)
    const from = hellos[0]!.next
    // each POST is a new connection, so the publishes alternate between the processes
    const ids: number[] = []
    for (let i = 0; i < 20; i++) ids.push((await published(origin, `m${i}`)).id)
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => from + i))
    await until('all 20 on every socket', () => sockets.every((s) => s.ids().length >= 20))
    for (const s of sockets) {
      expect(s.ids()).toEqual(ids)
      expect(s.messages().map((m) => m.text)).toEqual(ids.map((_, i) => `m${i}`))
    }
    // long polling, from both processes, reads the same log
    const polls = await Promise.all(
      Array.from({ length: 4 }, async () => (await (await fetch(`${origin}/wait?since=${from}`)).json()) as Message[])
    )
    for (const answer of polls) expect(answer.map((m) => m.id)).toEqual(ids)
    for (const s of sockets) s.end()
    expect(errors).toEqual([])
  })
})

describe('two processes, store memory, one replaced', () => {
  it('the new process starts with the whole log and the next id', async () => {
    const { lab, origin, port } = await startLab({ processes: 2 })
    for (let i = 1; i <= 3; i++) await published(origin, `before ${i}`)
    const replaced = new Promise<void>((resolve) =>
      lab.on('error', (e) => e.code === 'LOOPSCOPE_ERR_SUBJECT_WORKER_EXITED' && resolve())
    )
    // Find a process's pid by its socket's hello, then kill it.
    const probe = await WsClient.open(port)
    await until('hello', () => probe.frames.length > 0)
    const hello = probe.frames[0] as PushHello
    probe.end()
    expect([1, 2]).toContain(hello.process)
    // the primary's children are the two workers; kill one of them
    const primary = lab.status().subjectPid!
    const children = childPids(primary)
    expect(children).toHaveLength(2)
    process.kill(children[0]!, 'SIGKILL')
    await replaced
    // both processes (the new one too) answer with the three and the next id after them
    const seen = new Set<number>()
    const until15s = Date.now() + 15_000
    while (seen.size < 2 && Date.now() < until15s) {
      const s = await WsClient.open(port, '/ws?since=1').catch(() => null)
      if (!s) continue
      await until('replay', () => s.ids().length >= 3 || s.close !== null, 5000).catch(() => {})
      const h = s.frames[0] as PushHello | undefined
      if (h?.type === 'hello' && s.ids().length === 3) {
        expect(s.ids()).toEqual([1, 2, 3])
        expect(h.next).toBe(4)
        seen.add(h.process!)
      }
      s.end()
    }
    expect(seen).toEqual(new Set([1, 2]))
    expect((await published(origin, 'after')).id).toBe(4)
  })
})

describe('store redis', () => {
  it('messages survive a restart of the subject, and ids never repeat; in memory they do not', async () => {
    const redisDir = tempDir()
    const first = await startLab({ store: 'redis' }, redisDir)
    const before = [await published(first.origin, 'one'), await published(first.origin, 'two')]
    await first.lab.stop()
    const second = await first.lab.start({ store: 'redis' })
    const kept = (await (await fetch(`${second.subjectUrl}/wait?since=0`)).json()) as Message[]
    expect(kept).toEqual(before)
    const after = await published(second.subjectUrl!, 'three')
    expect(after.id).toBe(before[1]!.id + 1)
    await first.lab.stop()

    // memory: a restart loses everything, and the ids count from 1 again
    const memory = await startLab({ store: 'memory' })
    await published(memory.origin, 'lost')
    await memory.lab.stop()
    const again = await memory.lab.start({ store: 'memory' })
    expect(await (await fetch(`${again.subjectUrl}/wait?since=0`)).json()).toEqual([])
    expect((await published(again.subjectUrl!, 'anew')).id).toBe(1)
  })

  it("a run after a restart owes its subscribers only its own messages: the log's history is not delivered again", async () => {
    const redisDir = tempDir()
    const lab = new Lab({ redisDir })
    labs.push(lab)
    const run = async (): Promise<Summary> => {
      const summary = new Promise<Summary>((resolve) => lab.once('summary', resolve))
      await lab.start({
        route: 'hello',
        concurrency: 1,
        durationS: 2,
        store: 'redis',
        subscribers: 20,
        publishRatePerS: 10
      })
      return summary
    }
    const first = (await run()).push!
    expect(first.logStartId).toBe(0)
    expect(first.published).toBeGreaterThan(5)
    const second = (await run()).push!
    // the earlier run's messages are the log's history: the second run starts after them, and its subscribers are
    // owed (and get) only what it published — not 20 × the earlier run's messages more, minutes old
    expect(second.logStartId).toBe(first.published)
    const own = second.published - second.logStartId!
    expect(own).toBeGreaterThan(5)
    expect(second.delivered).toBeLessThanOrEqual(20 * own)
    expect(second.delivered).toBe(second.owed - second.undelivered)
    expect(second.undelivered).toBe(0)
    const frames: Frame[] = []
    lab.on('frame', (f) => frames.push(f))
    await lab.start({ route: 'hello', concurrency: 1, durationS: 1, store: 'redis' })
    await until('a frame of the log', () => frames.some((f) => f.push?.logStartId !== undefined))
    expect(frames.find((f) => f.push)!.push!.logStartId).toBe(second.published)
  })

  it('stops the redis-server it started when the lab closes, and keeps the data for the next', async () => {
    const redisDir = tempDir()
    const { lab, origin } = await startLab({ store: 'redis' }, redisDir)
    const server = await lab.redis()
    expect(server).not.toBeNull()
    expect(server!.url).toMatch(/^redis:\/\/:[0-9a-f]{48}@127\.0\.0\.1:\d+$/)
    await published(origin, 'kept on disk')
    await lab.close()
    expect(alive(server!.pid)).toBe(false)
    // a new lab, a new server, the same folder: the log is still there
    const next = await startLab({ store: 'redis' }, redisDir)
    const kept = (await (await fetch(`${next.origin}/wait?since=0`)).json()) as Message[]
    expect(kept.map((m) => m.text)).toEqual(['kept on disk'])
  })

  it('Redis stopped mid-run: the coded error, no hung subscriber, publishes refused; back, the log carries on', async () => {
    const dir = tempDir()
    let redis = await startRedisServer(dir)
    servers.push(redis)
    const { origin, port, errors } = await startLab({
      processes: 2,
      store: 'redis',
      redisUrl: redis.url,
      pollTimeoutMs: 60_000
    })
    const socket = await WsClient.open(port)
    await until('hello', () => socket.frames.length > 0)
    const m1 = await published(origin, 'before')
    // a long poll held for its next message, with a minute to go
    const held = fetch(`${origin}/wait?since=${m1.id + 1}`)
    await new Promise((r) => setTimeout(r, 300))
    const heldAt = Date.now()
    await redis.stop()
    const answer = await held
    expect(await answer.json()).toEqual([])
    expect(Date.now() - heldAt).toBeLessThan(30_000)
    await until('the coded error', () => errors.some((e) => e.code === 'LOOPSCOPE_ERR_STORE_LOST'))
    expect(errors.find((e) => e.code === 'LOOPSCOPE_ERR_STORE_LOST')!.message).toContain('went away')
    // refused, with the reason, on whichever process takes it
    for (let i = 0; i < 2; i++) {
      const res = await publish(origin, 'while away')
      expect(res.status).toBe(503)
      const body = (await res.json()) as ErrorInfo
      expect(body.code).toBe('LOOPSCOPE_ERR_STORE_UNAVAILABLE')
      expect(body.message).toContain('once it is back')
    }
    // back on the same port, with its append-only file: the ids go on from where they were
    redis = await startRedisServer(dir, undefined, { port: redis.port, password: redis.password })
    servers.push(redis)
    // each process reconnects on its own (backing off to a second): a publish that reaches one still away is
    // refused with a 503 and sent again, as a user would
    const whenBack = async (text: string): Promise<Message> => {
      for (let i = 0; i < 100; i++) {
        const res = await publish(origin, text)
        if (res.status === 200) return (await res.json()) as Message
        expect(res.status).toBe(503)
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error('Redis never came back for the subject')
    }
    expect((await whenBack('after')).id).toBe(m1.id + 1)
    for (let i = 0; i < 5; i++) expect((await whenBack(`after ${i}`)).id).toBe(m1.id + 2 + i)
    await until('the socket has them all', () => socket.ids().length >= 7)
    expect(socket.ids()).toEqual(Array.from({ length: 7 }, (_, i) => m1.id + i))
    // and a fresh poll from the start reads every message once
    const all = (await (await fetch(`${origin}/wait?since=0`)).json()) as Message[]
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 7 }, (_, i) => m1.id + i))
    socket.end()
  })
})

describe('store redis without redis-server', () => {
  it('says how to install it, names the field, and keeps the previous settings', async () => {
    const lab = new Lab({ redisServer: null, redisDir: tempDir() })
    labs.push(lab)
    const before = lab.status().settings
    await expect(lab.update({ store: 'redis' })).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_REDIS_MISSING',
      field: 'store'
    })
    await expect(lab.start({ store: 'redis', durationS: 5 })).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_REDIS_MISSING'
    })
    expect(lab.status().settings).toEqual(before)
    const message = (await lab.update({ store: 'redis' }).catch((e: Error) => e)) as Error
    for (const how of ['sudo apt-get install redis-server', 'brew install redis', 'Windows', '--redis-url']) {
      expect(message.message).toContain(how)
    }
    // a URL of the user's own needs no redis-server here
    expect((await lab.update({ store: 'redis', redisUrl: 'redis://127.0.0.1:6390' })).settings.store).toBe('redis')
  })
})

describe('a wrong Redis URL', () => {
  it('fails the start with the coded error and the URL without its password', async () => {
    const lab = new Lab({ redisDir: tempDir() })
    labs.push(lab)
    const errors: ErrorInfo[] = []
    lab.on('error', (e) => errors.push(e))
    // a port nothing listens on
    const err = await lab
      .start({ store: 'redis', redisUrl: 'redis://:secret@127.0.0.1:1', durationS: 5 })
      .catch((e: Error & { code?: string }) => e)
    expect(String((err as Error).message) + errors.map((e) => e.message).join(' ')).toContain('127.0.0.1:1')
    expect(String((err as Error).message) + errors.map((e) => e.message).join(' ')).not.toContain('secret')
    expect([(err as { code?: string }).code, ...errors.map((e) => e.code)]).toContain('LOOPSCOPE_ERR_REDIS_START')
    expect(lab.status().running).toBe(false)
  })
})
