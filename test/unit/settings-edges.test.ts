/**
 * Every integer setting at its edges, and the schema's own small facts: what the form, the CLI and the WebSocket all
 * refuse or accept comes from here, so each limit is checked where a user meets it — one past it is refused in words
 * that name the field and the range, the limit itself is taken.
 */
import { describe, expect, it } from 'vitest'
import { refusal } from '../helpers/refusal'
import {
  ACCEPTS,
  applyPatch,
  DEFAULT_SETTINGS,
  diffSettings,
  LIMITS,
  parseSettings,
  pickSubject,
  SUBJECT_KEYS,
  START_ONLY_KEYS
} from '../../src/shared/settings'

// the ranges as the README's settings table gives them, written out by hand
const RANGES: Record<keyof typeof LIMITS, [number, number]> = {
  delayMs: [0, 60_000],
  threads: [0, 64],
  upstreamConnections: [1, 1_000],
  upstreamJitterMs: [0, 10_000],
  uvThreadpoolSize: [1, 128],
  concurrency: [1, 10_000],
  ratePerS: [1, 50_000],
  connections: [1, 10_000],
  requests: [1, 10_000_000],
  durationS: [1, 3_600],
  timeoutMs: [100, 600_000],
  subscribers: [0, 19_500],
  publishRatePerS: [0, 1_000],
  pollTimeoutMs: [100, 120_000],
  logSize: [1, 10_000],
  sharePort: [1024, 65_535],
  holdMaxS: [1, 60],
  processes: [1, 16]
}

describe('each integer setting at its edges', () => {
  for (const [field, [min, max]] of Object.entries(RANGES) as [keyof typeof LIMITS, [number, number]][]) {
    it(`${field}: takes ${min} and ${max}, refuses ${min - 1}, ${max + 1} and ${min + 0.5}`, () => {
      expect(LIMITS[field]).toEqual({ min, max })
      expect(applyPatch(DEFAULT_SETTINGS, { [field]: min })[field]).toBe(min)
      expect(applyPatch(DEFAULT_SETTINGS, { [field]: max })[field]).toBe(max)
      for (const bad of [min - 1, max + 1, min + 0.5]) {
        const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { [field]: bad }))
        expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_INVALID')
        expect(err.field).toBe(field)
        expect(err.message).toBe(`${field} must be ${ACCEPTS[field]} (got ${bad})`)
        expect(err.message).toContain(`${min} to ${max}`)
      }
    })
  }
})

describe('the schema’s small facts', () => {
  it('refuses a change that is not an object, saying what it got', () => {
    for (const [patch, got] of [
      [null, 'null'],
      [[1], '[1]'],
      [5, '5'],
      ['x', '"x"']
    ] as const) {
      const err = refusal(() => applyPatch(DEFAULT_SETTINGS, patch))
      expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_INVALID')
      expect(err.message).toBe(`a settings change must be an object (got ${got})`)
    }
  })

  it('refuses whole settings that are not an object, and ones missing a field', () => {
    expect(refusal(() => parseSettings(5)).message).toMatch(/^settings must be an object of known fields \(/)
    const { delayMs: _gone, ...missing } = DEFAULT_SETTINGS
    const err = refusal(() => parseSettings(missing))
    expect(err.field).toBe('delayMs')
    expect(err.message).toBe(`delayMs must be ${ACCEPTS.delayMs} (got nothing)`)
  })

  it('lists every known setting when one is unknown', () => {
    const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { colour: 'red' }))
    expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_UNKNOWN')
    expect(err.message).toBe(`unknown setting "colour"; known settings: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`)
    expect(err.field).toBeUndefined()
  })

  it('takes requests as null (no limit) or a number, and refuses the rest', () => {
    expect(applyPatch({ ...DEFAULT_SETTINGS, requests: 5 }, { requests: null }).requests).toBeNull()
    expect(refusal(() => applyPatch(DEFAULT_SETTINGS, { requests: 0 })).message).toBe(
      `requests must be ${ACCEPTS.requests} (got 0)`
    )
    expect(ACCEPTS.requests).toBe('null (no limit) or an integer from 1 to 10000000')
  })

  it('takes only the words it names for mode, route and work', () => {
    expect(applyPatch(DEFAULT_SETTINGS, { mode: 'open', route: 'hello', work: 'cpu' })).toMatchObject({
      mode: 'open',
      route: 'hello',
      work: 'cpu'
    })
    for (const [field, bad] of [
      ['mode', 'half-open'],
      ['route', '/'],
      ['work', 'sleep']
    ] as const) {
      expect(refusal(() => applyPatch(DEFAULT_SETTINGS, { [field]: bad })).field).toBe(field)
    }
  })

  it('hands the subject exactly its own settings', () => {
    const settings = applyPatch(DEFAULT_SETTINGS, { delayMs: 7, threads: 3, concurrency: 9 })
    expect(pickSubject(settings)).toEqual({
      delayMs: 7,
      blocking: false,
      work: 'wait',
      threads: 3,
      upstreamConnections: 10,
      upstreamJitterMs: 0,
      uvThreadpoolSize: 4,
      pollTimeoutMs: 10_000,
      logSize: 1000
    })
    expect([...SUBJECT_KEYS].sort()).toEqual([
      'blocking',
      'delayMs',
      'logSize',
      'pollTimeoutMs',
      'threads',
      'upstreamConnections',
      'upstreamJitterMs',
      'uvThreadpoolSize',
      'work'
    ])
    expect([...START_ONLY_KEYS]).toEqual([
      'share',
      'sharePort',
      'uvThreadpoolSize',
      'frontDoor',
      'processes',
      'store',
      'redisUrl'
    ])
  })

  it('reports no change for equal settings and every changed field otherwise', () => {
    expect(diffSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS })).toEqual({})
    expect(diffSettings(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, requests: 5, share: true })).toEqual({
      requests: 5,
      share: true
    })
  })

  it('starts from the defaults the README gives', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      delayMs: 2000,
      blocking: false,
      work: 'wait',
      threads: 0,
      uvThreadpoolSize: 4,
      mode: 'closed',
      route: 'work',
      concurrency: 100,
      ratePerS: 50,
      connections: 100,
      requests: null,
      durationS: 600,
      timeoutMs: 120_000,
      sharePort: 4242,
      share: false
    })
  })
})

describe('work "libuv" and a thread pool', () => {
  it('are refused together, naming threads and what to set instead, and each is taken alone', () => {
    const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { work: 'libuv', threads: 2 }))
    expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_INVALID')
    expect(err.field).toBe('threads')
    expect(err.message).toBe(
      `threads must be 0 with work "libuv": its work runs on libuv's own thread pool (set uvThreadpoolSize, ${ACCEPTS.uvThreadpoolSize}) (got 2)`
    )
    expect(applyPatch(DEFAULT_SETTINGS, { work: 'libuv' }).work).toBe('libuv')
    expect(applyPatch(DEFAULT_SETTINGS, { threads: 2 }).threads).toBe(2)
    expect(refusal(() => parseSettings({ ...DEFAULT_SETTINGS, work: 'libuv', threads: 1 })).field).toBe('threads')
  })
})
