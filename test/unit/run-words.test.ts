/**
 * A run in words, as the user reads it: the CLI report's first line (describeSubject), a saved run's default name
 * (describeSettings), how it ended, the processes a front door's restarts went through, a change in the list of them.
 */
import { describe, expect, it } from 'vitest'
import {
  appPidsWords,
  describeSettings,
  describeSubject,
  END_REASON_WORDS,
  markWords
} from '../../src/shared/run-words'
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings'

const s = (patch: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...patch })

describe('the subject in words (the CLI report)', () => {
  it('names the handler and how it waits', () => {
    expect(describeSubject(s({}))).toBe('GET /work — wait 2000 ms, evented')
    expect(describeSubject(s({ blocking: true }))).toBe('GET /work — wait 2000 ms, blocking the loop')
    expect(describeSubject(s({ work: 'cpu', delayMs: 50, threads: 4 }))).toBe(
      'GET /work — cpu 50 ms, a pool of 4 threads'
    )
    // threads win over blocking: the work is on the pool, off the loop
    expect(describeSubject(s({ threads: 2, blocking: true }))).toBe('GET /work — wait 2000 ms, a pool of 2 threads')
    expect(describeSubject(s({ route: 'hello', blocking: true }))).toBe('GET / (hello world)')
  })

  it('names the backend connections and libuv pool, per process where each process has its own', () => {
    expect(describeSubject(s({ work: 'upstream', delayMs: 200, upstreamConnections: 10 }))).toBe(
      'GET /work — upstream 200 ms, evented over 10 connections'
    )
    expect(describeSubject(s({ work: 'upstream', delayMs: 200, upstreamConnections: 10, processes: 2 }))).toBe(
      'GET /work — upstream 200 ms, evented over 10 connections in each of 2 processes'
    )
    // blocking upstream is the loop blocked, not the connection pool
    expect(describeSubject(s({ work: 'upstream', delayMs: 200, blocking: true }))).toBe(
      'GET /work — upstream 200 ms, blocking the loop'
    )
    expect(describeSubject(s({ work: 'libuv', delayMs: 100, uvThreadpoolSize: 8 }))).toBe(
      "GET /work — libuv 100 ms, evented on libuv's pool of 8"
    )
    expect(describeSubject(s({ work: 'libuv', delayMs: 100, uvThreadpoolSize: 4, processes: 3 }))).toBe(
      "GET /work — libuv 100 ms, evented on libuv's pool of 4 in each of 3 processes"
    )
    expect(describeSubject(s({ work: 'libuv', delayMs: 100, blocking: true }))).toBe(
      'GET /work — libuv 100 ms, blocking the loop'
    )
  })
})

describe("a saved run's name", () => {
  it('is the work, the crowd and the budget, joined by dots', () => {
    expect(describeSettings(s({ requests: 1000 }))).toBe('wait 2000 ms, evented · c 100 · 1000 requests')
    expect(describeSettings(s({ blocking: true, concurrency: 10 }))).toBe('wait 2000 ms, blocking · c 10 · 600 s')
    expect(describeSettings(s({ work: 'cpu', delayMs: 20, threads: 3 }))).toBe('cpu 20 ms, 3 threads · c 100 · 600 s')
    expect(describeSettings(s({ route: 'hello', mode: 'open', ratePerS: 60, durationS: 30, subscribers: 1000 }))).toBe(
      'hello world · open loop 60/s · 30 s · 1000 subscribers'
    )
  })

  it("says libuv's pool size where the work is on it, and not when blocking", () => {
    expect(describeSettings(s({ work: 'libuv', delayMs: 100, uvThreadpoolSize: 8 }))).toBe(
      'libuv 100 ms, 8 pool threads · c 100 · 600 s'
    )
    expect(describeSettings(s({ work: 'libuv', delayMs: 100, blocking: true }))).toBe(
      'libuv 100 ms, blocking · c 100 · 600 s'
    )
  })

  it('leaves out the subscribers when there are none', () => {
    expect(describeSettings(s({ subscribers: 0 }))).not.toContain('subscribers')
    expect(describeSettings(s({ subscribers: 1 }))).toMatch(/ · 1 subscribers$/)
  })
})

describe('how a run ended', () => {
  it('has words for every end', () => {
    expect(END_REASON_WORDS).toEqual({
      requests: 'its request budget (every request answered)',
      duration: 'its duration',
      stopped: 'Stop',
      error: 'an error (the subject or the crowd failed)'
    })
  })
})

describe("the app's processes through the front door's restarts", () => {
  it('lists one process or the primaries, with their workers', () => {
    expect(appPidsWords([2688], s({}))).toBe('processes 2688')
    expect(appPidsWords([2688, 2728, 2801], s({}))).toBe('processes 2688 → 2728 → 2801')
    expect(appPidsWords([2688], s({ processes: 2 }))).toBe('primary 2688, with 2 worker processes')
    expect(appPidsWords([2688, 2728], s({ processes: 4 }))).toBe('primaries 2688 → 2728, each with 4 worker processes')
  })
})

describe('a change in the list of changes', () => {
  it('says when, in seconds to a tenth, then what', () => {
    expect(markWords({ t: 3049, label: 'blocking on', patch: { blocking: true } })).toBe('3.0 s blocking on')
    expect(markWords({ t: 12_960, label: 'c 10', patch: { concurrency: 10 } })).toBe('13.0 s c 10')
  })
})
