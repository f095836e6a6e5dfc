/**
 * The publisher: POST /publish at a steady rate (0–1000 a second) over one keep-alive connection, plus one-off
 * broadcasts from the presenter. undici's Client is enough here (a well-kept client; at ≤ 1000 requests a second
 * its cost does not matter, unlike the subscribers' fan-out). A 10-ms timer turns the rate into whole publishes;
 * when the subject falls behind, at most MAX_IN_FLIGHT wait on the connection and the rest of the backlog is dropped
 * rather than queued without bound.
 */
import { epochMs } from '../../../shared/epoch'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import { LabError, isErrorCode } from '../../../shared/errors'
import { PUBLISH_PATH, SENT_AT_HEADER } from '../../../shared/wire'

const TICK_MS = 10
const MAX_IN_FLIGHT = 32

export interface PublisherOptions {
  /** e.g. http://127.0.0.1:43210 */
  origin: string
  /** each accepted message's id, as the subject answered it (the swarm's books start new subscribers after it) */
  onPublished?: (id: number) => void
}

export class Publisher {
  private readonly client: Client
  private readonly onPublished: PublisherOptions['onPublished']
  private ratePerS = 0
  private timer: NodeJS.Timeout | null = null
  private lastAtMs = 0
  private credit = 0
  private inFlight = 0
  private sequence = 0
  private closed = false

  constructor({ origin, onPublished }: PublisherOptions) {
    this.onPublished = onPublished
    this.client = new Client(origin, { pipelining: 1, keepAliveTimeout: 60_000 })
  }

  setRate(perS: number): void {
    if (this.closed || perS === this.ratePerS) return
    this.ratePerS = perS
    if (perS === 0) {
      if (this.timer) clearInterval(this.timer)
      this.timer = null
      return
    }
    if (!this.timer) {
      this.lastAtMs = performance.now()
      this.credit = 0
      this.timer = setInterval(() => this.onTick(), TICK_MS)
    }
  }

  /** Publishes one message now; rejects with a LabError if the subject refuses it or cannot be reached. */
  async publishNow(text: string): Promise<void> {
    if (this.closed) throw new LabError('LOOPSCOPE_ERR_CROWD_FAILED', 'the publisher is closed')
    this.inFlight++
    try {
      const res = await this.client.request({
        method: 'POST',
        path: PUBLISH_PATH,
        headers: { 'content-type': 'application/json', [SENT_AT_HEADER]: String(epochMs()) },
        body: JSON.stringify({ text })
      })
      const body = await res.body.text()
      if (res.statusCode !== 200) {
        let info: { code?: unknown; message?: unknown } = {}
        try {
          info = JSON.parse(body) as typeof info
        } catch {
          // not our JSON: fall back to the status
        }
        const code = isErrorCode(info.code) ? info.code : 'LOOPSCOPE_ERR_CROWD_FAILED'
        throw new LabError(
          code,
          typeof info.message === 'string' ? info.message : `${PUBLISH_PATH} answered ${res.statusCode}`
        )
      }
      if (this.onPublished) {
        let id: unknown
        try {
          id = (JSON.parse(body) as { id?: unknown } | null)?.id
        } catch {
          // accepted all the same; only the id is unknown
        }
        if (typeof id === 'number') this.onPublished(id)
      }
    } catch (err) {
      if (err instanceof LabError) throw err
      throw new LabError('LOOPSCOPE_ERR_CROWD_FAILED', `publishing failed: ${(err as Error).message}`)
    } finally {
      this.inFlight--
    }
  }

  /** publishes sent and not yet answered */
  pending(): number {
    return this.inFlight
  }

  /** No more scheduled publishes (the run is ending); the ones on the wire finish. */
  stopRate(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.ratePerS = 0
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    // destroy, not close: a publish held up by a blocked subject must not hold up the end of the run
    await this.client.destroy()
  }

  private onTick(): void {
    const now = performance.now()
    this.credit += ((now - this.lastAtMs) * this.ratePerS) / 1000
    this.lastAtMs = now
    const due = Math.floor(this.credit)
    this.credit -= due
    const sending = Math.min(due, Math.max(0, MAX_IN_FLIGHT - this.inFlight))
    for (let i = 0; i < sending; i++) {
      this.publishNow(`message ${++this.sequence}`).catch(() => {
        // the rate goes on, as a real publisher's would
      })
    }
  }
}
