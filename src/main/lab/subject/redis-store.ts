/**
 * Store "redis": the broadcast log lives in Redis, shared by every process of the subject and kept across its
 * restarts. nodecast's move from an array in memory ("works fine until you restart the server and lose everything").
 *
 *   loopscope:next      the last id given (INCR): ids are consecutive from 1, unique across workers and restarts
 *   loopscope:log       a sorted set, score = id, member = the Message's JSON; the newest LIMITS.logSize.max kept
 *   loopscope:run       the log's identity (hub.runId), set once: it stays while the log does
 *   loopscope:messages  the pub/sub channel every worker hears new messages on
 *
 * A publish is one Lua script (Redis runs it atomically): the next id, the JSON built from it, the append, the trim
 * and the PUBLISH, so the channel carries messages in id order. Each worker delivers what it hears through its hub
 * (push-hub.ts receive), the publisher's included; a message whose id is past the next one means some were missed
 * (the subscription was down): the worker reads them from the log first, so none is lost or delivered twice.
 *
 * Redis going away: publishes are refused (503, LOOPSCOPE_ERR_STORE_UNAVAILABLE), held long polls are answered []
 * (streams stay open), and the host hears LOOPSCOPE_ERR_STORE_LOST once. node-redis reconnects by itself; once it is
 * back the worker reads what it missed from the log and carries on.
 */
import { randomBytes } from 'node:crypto'
import { createClient } from '@redis/client'
import { hidePassword, LIMITS } from '../../../shared/settings'
import type { ErrorInfo } from '../../../shared/errors'
import type { Message } from '../../../shared/wire'
import { StoreUnavailable, type PushHub, type SharedLog, type StoreState } from './push-hub'

export const REDIS_KEYS = {
  next: 'loopscope:next',
  log: 'loopscope:log',
  run: 'loopscope:run',
  channel: 'loopscope:messages'
} as const

const PUBLISH_SCRIPT = `
local id = redis.call('INCR', KEYS[1])
local json = '{"id":' .. id .. ',"text":' .. ARGV[1] .. ',"publishedAt":' .. ARGV[2] .. '}'
redis.call('ZADD', KEYS[2], id, json)
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1) end
redis.call('PUBLISH', ARGV[4], json)
return json`

/** Reconnect attempts back off to this, so a Redis that comes back is found within about a second. */
const MAX_RECONNECT_DELAY_MS = 1000

export class RedisStore implements SharedLog {
  private readonly client: ReturnType<typeof createClient>
  private readonly listener: ReturnType<typeof createClient>
  /** messages heard while the log is being read (at the start, or after a gap): delivered once it has been */
  private pending: { message: Message; json: string }[] | null = []
  private up = false
  private lost = 0
  private closing = false
  private opened = false

  constructor(
    private readonly hub: PushHub,
    private readonly url: string,
    private readonly report: (error: ErrorInfo) => void
  ) {
    // Before the log was first read a refused connection fails the start (a wrong URL, a server not running);
    // after, Redis going away is a fault the run lives through: reconnect, backing off to a second.
    const reconnectStrategy = (retries: number, cause: Error): number | Error =>
      this.opened ? Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause
    // Commands fail at once while Redis is away (no offline queue): a publish is refused then, not held.
    this.client = createClient({ url, socket: { reconnectStrategy }, disableOfflineQueue: true })
    this.listener = this.client.duplicate()
    for (const c of [this.client, this.listener]) {
      c.on('error', (err: Error) => this.down(err))
      c.on('ready', () => this.maybeUp())
    }
  }

  state(): StoreState {
    return { kind: 'redis', up: this.up, lost: this.lost }
  }

  /** Connects, subscribes, and reads the log into the hub's copy; the subject listens only after this. */
  async open(): Promise<void> {
    this.hub.share(this)
    this.hub.setUnavailable(`the broadcast log's Redis at ${hidePassword(this.url)} is not connected yet`)
    try {
      await Promise.all([this.client.connect(), this.listener.connect()])
    } catch (err) {
      await this.close()
      throw Object.assign(
        new Error(`could not reach the broadcast log's Redis at ${hidePassword(this.url)}: ${(err as Error).message}`),
        { code: 'LOOPSCOPE_ERR_REDIS_START' }
      )
    }
    await this.listener.subscribe(REDIS_KEYS.channel, (json) => this.heard(json))
    await this.client.set(REDIS_KEYS.run, randomBytes(6).toString('hex'), { NX: true } as never)
    this.hub.runId = (await this.client.get(REDIS_KEYS.run)) ?? this.hub.runId
    await this.readLog()
    this.opened = true
    this.up = true
    this.hub.setUnavailable(null)
  }

  async publish(text: string, askedAt: number): Promise<Message> {
    let json: string
    try {
      json = String(
        await this.client.eval(PUBLISH_SCRIPT, {
          keys: [REDIS_KEYS.next, REDIS_KEYS.log],
          arguments: [JSON.stringify(text), JSON.stringify(askedAt), String(LIMITS.logSize.max), REDIS_KEYS.channel]
        })
      )
    } catch (err) {
      throw new StoreUnavailable(
        `the broadcast log's Redis did not take the message (${(err as Error).message}): publish again once it is back`
      )
    }
    return JSON.parse(json) as Message
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.allSettled([this.client.close(), this.listener.close()])
  }

  private heard(json: string): void {
    const message = JSON.parse(json) as Message
    if (this.pending !== null) {
      this.pending.push({ message, json })
      return
    }
    if (this.hub.receive(message, json) === 'gap') {
      this.pending = [{ message, json }]
      void this.readLog()
    }
  }

  /**
   * Reads every message from the hub's next id on (all the log keeps, at the start) and delivers them in order,
   * then what was heard meanwhile. Messages already trimmed from Redis's log are gone for every worker alike: the
   * copy then starts at the oldest Redis still has.
   */
  private async readLog(): Promise<void> {
    try {
      const from = this.hub.log.next
      const json = await this.client.zRange(REDIS_KEYS.log, from, '+inf', { BY: 'SCORE' })
      const first = json.length > 0 ? (JSON.parse(json[0]!) as Message).id : null
      if (first !== null && first !== from) {
        const last = JSON.parse(json[json.length - 1]!) as Message
        this.hub.log.restore(last.id + 1, json)
      } else for (const j of json) this.hub.receive(JSON.parse(j) as Message, j)
      const heard = this.pending ?? []
      this.pending = null
      for (const { message, json: j } of heard) this.hub.receive(message, j)
    } catch (err) {
      // Redis went away mid-read: the next 'ready' reads again from where the copy got to.
      this.down(err as Error)
    }
  }

  private down(err: Error): void {
    if (this.closing || !this.up) return
    this.up = false
    this.lost++
    if (this.pending === null) this.pending = []
    const reason = `the broadcast log's Redis at ${hidePassword(this.url)} went away (${err.message || 'connection closed'})`
    this.hub.setUnavailable(`${reason}: publish again once it is back`)
    this.report({
      code: 'LOOPSCOPE_ERR_STORE_LOST',
      message: `${reason}: publishes are refused and long polls answered [] until it is back; the log carries on then`
    })
  }

  private maybeUp(): void {
    if (this.closing || this.up || this.lost === 0) return
    if (!this.client.isReady || !this.listener.isReady) return
    this.up = true
    this.hub.setUnavailable(null)
    void this.readLog()
  }
}
