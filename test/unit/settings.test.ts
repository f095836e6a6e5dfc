import { describe, expect, it } from 'vitest'
import {
  applyPatch,
  DEFAULT_SETTINGS,
  parseSettings,
  withDefaults,
  diffSettings,
  LIMITS
} from '../../src/shared/settings'
import { refusal } from '../helpers/refusal'

describe('settings', () => {
  it('accepts the defaults as they are', () => {
    expect(parseSettings(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS)
  })

  it('refuses a concurrency above the cap, naming the field and its range', () => {
    const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { concurrency: 20_000 }))
    expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_INVALID')
    expect(err.message).toContain('concurrency')
    expect(err.message).toContain(`from 1 to ${LIMITS.concurrency.max}`)
    expect(err.message).toContain('20000')
  })

  it('refuses a fractional delay and a delay beyond a minute', () => {
    expect(refusal(() => applyPatch(DEFAULT_SETTINGS, { delayMs: 1.5 })).message).toMatch(/^delayMs must be an integer/)
    expect(refusal(() => applyPatch(DEFAULT_SETTINGS, { delayMs: 60_001 })).message).toContain('0 to 60000')
  })

  it('refuses a value of the wrong type with what it got', () => {
    const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { blocking: 'yes' } as never))
    expect(err.message).toBe('blocking must be true or false (got "yes")')
  })

  it('takes a transport change as a patch and refuses an unknown transport, keeping the previous one', () => {
    expect(applyPatch(DEFAULT_SETTINGS, { transport: 'websocket' }).transport).toBe('websocket')
    const err = refusal(() => applyPatch({ ...DEFAULT_SETTINGS, transport: 'sse' }, { transport: 'ws' } as never))
    expect(err.message).toMatch(/^transport must be "long-poll" .*"sse" .*"websocket" .*\(got "ws"\)$/)
    expect(DEFAULT_SETTINGS.transport).toBe('long-poll')
  })

  it('refuses an unknown setting by name', () => {
    const err = refusal(() => applyPatch(DEFAULT_SETTINGS, { concurency: 10 } as never))
    expect(err.code).toBe('LOOPSCOPE_ERR_SETTINGS_UNKNOWN')
    expect(err.message).toContain('"concurency"')
  })

  it('leaves the current settings untouched when a patch is refused', () => {
    const current = withDefaults({ concurrency: 10 })
    const copy = structuredClone(current)
    const err = refusal(() => applyPatch(current, { concurrency: 10, threads: 65 }))
    expect(current).toEqual(copy)
    // the refusal names the refused field, not the patch's first one
    expect(err.message).toBe('threads must be an integer from 0 to 64 (0 = work on the event loop) (got 65)')
    expect(err.field).toBe('threads')
  })

  it('merges a valid patch and reports only what changed', () => {
    const next = applyPatch(DEFAULT_SETTINGS, { concurrency: 10, blocking: true })
    expect(diffSettings(DEFAULT_SETTINGS, next)).toEqual({ concurrency: 10, blocking: true })
  })

  it('accepts null requests as "no limit"', () => {
    expect(applyPatch(DEFAULT_SETTINGS, { requests: null }).requests).toBeNull()
  })
})
