import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, LabError, toErrorInfo } from '../../src/shared/errors'

describe('error codes', () => {
  it('are all named LOOPSCOPE_ERR_<AREA>_<WHAT> and documented in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const code of Object.keys(ERROR_CODES)) {
      expect(code).toMatch(/^LOOPSCOPE_ERR_[A-Z]+_[A-Z_]+$/)
      expect(readme, `README.md documents ${code}`).toContain(`\`${code}\``)
    }
  })

  it('documented in the README all exist, with the meaning the registry gives them', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const table = readme.slice(readme.indexOf('## Error codes'))
    const rows = [...table.matchAll(/^\| `(LOOPSCOPE_ERR_[A-Z_]+)` \| (.+) \|$/gm)].map(([, code, meaning]) => [
      code,
      meaning
    ])
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES)
    // Any code named anywhere in the README is a real one.
    for (const [code] of readme.matchAll(/LOOPSCOPE_ERR_[A-Z_]+/g)) expect(Object.keys(ERROR_CODES)).toContain(code)
  })

  it('cross boundaries as {code, message}', () => {
    const err = new LabError('LOOPSCOPE_ERR_RUN_ACTIVE', 'a run is already going')
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: 'LOOPSCOPE_ERR_RUN_ACTIVE',
      message: 'a run is already going'
    })
    expect(toErrorInfo(structuredClone({ code: err.code, message: err.message }))).toEqual(err.toJSON())
    expect(toErrorInfo(new Error('boom'), 'LOOPSCOPE_ERR_CROWD_FAILED')).toEqual({
      code: 'LOOPSCOPE_ERR_CROWD_FAILED',
      message: 'boom'
    })
  })

  it('name themselves in a stack trace or a log line, and keep a field only when one was named', () => {
    const err = new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', 'delayMs must be …', { field: 'delayMs' })
    expect(String(err)).toBe('LabError: delayMs must be …')
    expect(err.toJSON()).toEqual({
      code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
      message: 'delayMs must be …',
      field: 'delayMs'
    })
    expect(new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', 'x', { field: '' }).toJSON()).not.toHaveProperty('field')
    expect(toErrorInfo({ code: 'LOOPSCOPE_ERR_RUN_IDLE', message: 'no run', field: 7 })).not.toHaveProperty('field')
  })

  it('say what anything else thrown was, under the fallback code', () => {
    expect(toErrorInfo('a string', 'LOOPSCOPE_ERR_SUBJECT_START')).toEqual({
      code: 'LOOPSCOPE_ERR_SUBJECT_START',
      message: 'a string'
    })
    expect(toErrorInfo(null)).toEqual({ code: 'LOOPSCOPE_ERR_CROWD_FAILED', message: 'null' })
    expect(toErrorInfo(42)).toEqual({ code: 'LOOPSCOPE_ERR_CROWD_FAILED', message: '42' })
    // an object with neither a known code nor a message
    expect(toErrorInfo({ code: 'EPIPE' })).toEqual({ code: 'LOOPSCOPE_ERR_CROWD_FAILED', message: '[object Object]' })
    // a known code without a message: the registry's meaning
    expect(toErrorInfo({ code: 'LOOPSCOPE_ERR_RUN_IDLE' }).message).toBe(ERROR_CODES.LOOPSCOPE_ERR_RUN_IDLE)
  })
})
