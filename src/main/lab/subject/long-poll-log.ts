/**
 * The bounded message log behind /wait, /events and /ws: ids are consecutive from 1, so "messages with id ≥ since" is one index
 * computation and a slice. Each message is serialised once, when it is published; an answer is those strings joined.
 */

import type { Message } from '../../../shared/wire'

export type { Message }

export interface SinceAnswer {
  /** a JSON array of messages, ready to send; '[]' when there is nothing */
  body: string
  /** how many messages were asked for but have already left the log */
  missed: number
  /** how many messages the body holds */
  count: number
}

export const EMPTY_BODY = '[]'

export class MessageLog {
  private messages: Message[] = []
  private json: string[] = []
  private nextId = 1

  constructor(private limit: () => number) {}

  get published(): number {
    return this.nextId - 1
  }

  /** The id the next message gets. */
  get next(): number {
    return this.nextId
  }

  /** Appends a message and returns it with its serialised form. */
  append(text: string, publishedAt: number): { message: Message; json: string } {
    const message: Message = { id: this.nextId, text, publishedAt }
    const json = JSON.stringify(message)
    this.add(message, json)
    return { message, json }
  }

  /**
   * Appends a message whose id a shared store assigned (the cluster's primary, or Redis). Returns false, keeping
   * nothing, unless its id is the next one: an older id is a message already here, a newer one means some are still
   * to come (the caller fetches them first, see broadcast-store.ts).
   */
  accept(message: Message, json: string): boolean {
    if (message.id !== this.nextId) return false
    this.add(message, json)
    return true
  }

  /**
   * Starts the log at a shared store's state: `next` is the id its next message gets and `json` the newest messages
   * it keeps, oldest first, ending at next - 1 (each the JSON of a Message). What the log held before is dropped.
   */
  restore(next: number, json: readonly string[]): void {
    this.messages = json.map((j) => JSON.parse(j) as Message)
    this.json = [...json]
    this.nextId = next
  }

  private add(message: Message, json: string): void {
    this.nextId = message.id + 1
    this.messages.push(message)
    this.json.push(json)
    // Trim in chunks, not one shift per publish: the arrays may briefly hold up to twice the limit, but only the
    // last `limit` messages are ever answered (see `first`).
    const limit = this.limit()
    if (this.messages.length > 2 * limit) {
      this.messages.splice(0, this.messages.length - limit)
      this.json.splice(0, this.json.length - limit)
    }
  }

  /** The id of the oldest message still answered (the next id when the log is empty). */
  private first(): number {
    const kept = Math.min(this.messages.length, this.limit())
    return this.nextId - kept
  }

  /**
   * Messages with id ≥ since, each as its JSON (the first has id fromId). `since` ≤ 0 counts as 1 (ids start at 1). A cursor beyond next is
   * from before a restart of the subject: like Tornado's chat demo it gets everything the log still holds.
   */
  range(since: number): { json: string[]; missed: number; fromId: number } {
    const first = this.first()
    let from = since < 1 ? 1 : since
    let missed = 0
    if (from > this.nextId) from = first
    else if (from < first) {
      missed = first - from
      from = first
    }
    const count = this.nextId - from
    return { json: count <= 0 ? [] : this.json.slice(this.json.length - count), missed, fromId: from }
  }

  /** As range(), joined into the JSON array a /wait answer sends. */
  since(since: number): SinceAnswer {
    const { json, missed } = this.range(since)
    return { body: json.length === 0 ? EMPTY_BODY : `[${json.join(',')}]`, missed, count: json.length }
  }
}
