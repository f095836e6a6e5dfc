import { describe, expect, it } from 'vitest'
import { BROADCAST_TEXT } from '../../src/shared/contract'
import { dispatch, forwardEvents, REQUEST_NAMES } from '../../src/main/control'
import { IPC_CHANNELS } from '../../src/shared/contract'
import { LabError } from '../../src/shared/errors'
import { DEFAULT_SETTINGS, LIMITS } from '../../src/shared/settings'
import { FakeLab } from './control-fake-lab'

describe('control dispatch', () => {
  it('knows exactly the requests of the contract', () => {
    expect(REQUEST_NAMES.sort()).toEqual(Object.keys(IPC_CHANNELS.request).sort())
  })

  it('passes a valid update to the Lab with only the fields given', async () => {
    const lab = new FakeLab()
    const reply = await dispatch(lab, 'update', { delayMs: 300, blocking: true })
    expect(reply.ok).toBe(true)
    expect(lab.calls).toEqual([{ name: 'update', args: { delayMs: 300, blocking: true } }])
  })

  it('refuses a delay above the cap, naming the field and its range, without calling the Lab', async () => {
    const lab = new FakeLab()
    const reply = await dispatch(lab, 'update', { delayMs: LIMITS.delayMs.max + 1 })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
        message: expect.stringMatching(/^delayMs must be .*0 to 60000.*\(got 60001\)/),
        field: 'delayMs'
      }
    })
    expect(lab.calls).toEqual([])
    expect(lab.settings).toEqual(DEFAULT_SETTINGS)
  })

  it('refuses a value of the wrong type', async () => {
    const reply = await dispatch(new FakeLab(), 'update', { blocking: 'yes' })
    expect(reply.ok).toBe(false)
    if (!reply.ok) expect(reply.error.message).toMatch(/^blocking must be true or false/)
  })

  it('refuses an unknown setting', async () => {
    const reply = await dispatch(new FakeLab(), 'start', { delay: 10 })
    expect(reply.ok).toBe(false)
    if (!reply.ok) expect(reply.error.code).toBe('LOOPSCOPE_ERR_SETTINGS_UNKNOWN')
  })

  it('refuses a patch that is not an object', async () => {
    for (const args of [null, 42, 'delay', [1]]) {
      const reply = await dispatch(new FakeLab(), 'update', args)
      expect(reply.ok).toBe(false)
    }
  })

  it('starts with defaults when start gets no settings', async () => {
    const lab = new FakeLab()
    const reply = await dispatch(lab, 'start', undefined)
    expect(reply.ok).toBe(true)
    expect(lab.calls).toEqual([{ name: 'start', args: {} }])
  })

  it('accepts broadcast text of 1 to 280 characters and refuses the rest', async () => {
    const lab = new FakeLab()
    expect((await dispatch(lab, 'broadcast', { text: 'x' })).ok).toBe(true)
    expect((await dispatch(lab, 'broadcast', { text: 'é'.repeat(BROADCAST_TEXT.maxChars) })).ok).toBe(true)
    for (const args of [{ text: '' }, { text: 'x'.repeat(281) }, { text: 5 }, null, 'hi']) {
      const reply = await dispatch(lab, 'broadcast', args)
      expect(reply.ok).toBe(false)
      if (!reply.ok) expect(reply.error.code).toBe('LOOPSCOPE_ERR_IPC_INVALID')
    }
    expect(lab.calls.map((c) => c.args)).toEqual(['x', 'é'.repeat(280)])
  })

  it('refuses arguments to stop and status', async () => {
    const reply = await dispatch(new FakeLab(), 'stop', { now: true })
    expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
  })

  it('refuses an unknown request name', async () => {
    for (const name of ['exec', '__proto__', 'toString', 42]) {
      const reply = await dispatch(new FakeLab(), name, null)
      expect(reply).toMatchObject({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID' } })
    }
  })

  it('turns a Lab rejection into a coded error instead of throwing', async () => {
    const lab = new FakeLab()
    lab.failNext = new LabError('LOOPSCOPE_ERR_RUN_ACTIVE', 'a run is already going: stop it first')
    expect(await dispatch(lab, 'start', {})).toEqual({
      ok: false,
      error: { code: 'LOOPSCOPE_ERR_RUN_ACTIVE', message: 'a run is already going: stop it first' }
    })
    lab.failNext = new Error('boom')
    expect(await dispatch(lab, 'stop', null)).toMatchObject({ ok: false, error: { message: 'boom' } })
  })

  it('forwards every Lab event until told to stop', () => {
    const lab = new FakeLab()
    const seen: string[] = []
    const stop = forwardEvents(lab, (name) => seen.push(name))
    for (const name of ['frame', 'summary', 'error', 'status']) lab.emit(name, {})
    stop()
    lab.emit('frame', {})
    expect(seen).toEqual(['frame', 'summary', 'error', 'status'])
    expect(lab.listenerCount('frame')).toBe(0)
  })
})
