/** The long-poll message log on its own: what a subscriber asking "since n" gets, and what the log holds. */
import { describe, expect, it } from 'vitest'
import { EMPTY_BODY, MessageLog } from '../../src/main/lab/subject/long-poll-log'

const ids = (body: string): number[] => (JSON.parse(body) as { id: number }[]).map((m) => m.id)

function logOf(n: number, limit: () => number = () => 1000): MessageLog {
  const log = new MessageLog(limit)
  for (let i = 1; i <= n; i++) log.append(`m${i}`, 1000 + i)
  return log
}

describe('the message log', () => {
  it('numbers messages from 1 and serialises each once', () => {
    const log = new MessageLog(() => 10)
    expect(log.published).toBe(0)
    const { message, json } = log.append('hello', 1234)
    expect(message).toEqual({ id: 1, text: 'hello', publishedAt: 1234 })
    expect(json).toBe('{"id":1,"text":"hello","publishedAt":1234}')
    expect(log.append('again', 1235).message.id).toBe(2)
    expect(log.published).toBe(2)
  })

  it('answers everything for a cursor at 1 or below, and nothing for the next id', () => {
    const log = logOf(3)
    for (const since of [1, 0, -5]) expect(log.since(since)).toEqual({ body: expect.any(String), missed: 0, count: 3 })
    expect(ids(log.since(0).body)).toEqual([1, 2, 3])
    expect(JSON.parse(log.since(2).body)).toEqual([
      { id: 2, text: 'm2', publishedAt: 1002 },
      { id: 3, text: 'm3', publishedAt: 1003 }
    ])
    expect(log.since(4)).toEqual({ body: EMPTY_BODY, missed: 0, count: 0 })
    expect(new MessageLog(() => 5).since(1)).toEqual({ body: '[]', missed: 0, count: 0 })
  })

  it('counts as missed what has left the log, and answers what is kept', () => {
    const log = logOf(5, () => 3)
    expect(log.since(1)).toMatchObject({ missed: 2, count: 3 })
    expect(ids(log.since(1).body)).toEqual([3, 4, 5])
    expect(log.since(3)).toMatchObject({ missed: 0, count: 3 })
    expect(log.since(2)).toMatchObject({ missed: 1, count: 3 })
  })

  it('gives a cursor from before a restart (beyond the next id) everything kept, with nothing missed', () => {
    const log = logOf(5, () => 3)
    expect(log.since(6)).toEqual({ body: EMPTY_BODY, missed: 0, count: 0 })
    const after = log.since(100)
    expect(after).toMatchObject({ missed: 0, count: 3 })
    expect(ids(after.body)).toEqual([3, 4, 5])
  })

  it('holds at most twice its limit, and still answers exactly the last `limit` after trimming', () => {
    const limit = 4
    const log = logOf(0, () => limit)
    const held = (): number => (log as unknown as { messages: unknown[]; json: unknown[] }).json.length
    let most = 0
    for (let i = 1; i <= 50; i++) {
      log.append(`m${i}`, i)
      most = Math.max(most, held(), (log as unknown as { messages: unknown[] }).messages.length)
      expect(ids(log.since(1).body)).toEqual(
        Array.from({ length: Math.min(i, limit) }, (_, k) => Math.max(1, i - limit + 1) + k)
      )
    }
    expect(most).toBe(2 * limit)
    expect(held()).toBeGreaterThanOrEqual(limit)
    expect(log.since(1).missed).toBe(50 - limit)
  })

  it('follows a smaller limit at once', () => {
    let limit = 10
    const log = logOf(6, () => limit)
    limit = 2
    expect(log.since(1)).toMatchObject({ missed: 4, count: 2 })
    expect(ids(log.since(1).body)).toEqual([5, 6])
  })
})

describe('the message log on a shared store (the cluster’s primary, or Redis)', () => {
  it('takes a message numbered elsewhere only when it is the next one', () => {
    const log = logOf(2)
    const next = { id: 3, text: 'from the store', publishedAt: 2000 }
    expect(log.accept({ ...next, id: 2 }, '{"id":2}')).toBe(false) // already here
    expect(log.accept({ ...next, id: 5 }, '{"id":5}')).toBe(false) // 3 and 4 still to come
    expect(log.published).toBe(2)
    expect(log.accept(next, JSON.stringify(next))).toBe(true)
    expect(log.published).toBe(3)
    expect(JSON.parse(log.since(3).body)).toEqual([next])
    expect(log.append('here', 2001).message.id).toBe(4)
  })

  it('starts at the store’s state, dropping what it held: the next id, and the newest messages kept', () => {
    const log = logOf(3)
    const kept = [41, 42].map((id) => JSON.stringify({ id, text: `m${id}`, publishedAt: id }))
    log.restore(43, kept)
    expect(log.published).toBe(42)
    expect(ids(log.since(1).body)).toEqual([41, 42])
    expect(log.since(1).missed).toBe(40)
    expect(log.append('next', 50).message.id).toBe(43)
    // the log keeps its own copy of what it was given
    kept.length = 0
    expect(ids(log.since(41).body)).toEqual([41, 42, 43])
  })
})
