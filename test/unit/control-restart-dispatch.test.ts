import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/control'
import { FakeLab } from './control-fake-lab'

describe('the restartApp request', () => {
  it('restarts the app, taking no arguments', async () => {
    const lab = new FakeLab()
    expect((await dispatch(lab, 'restartApp', null)).ok).toBe(true)
    expect(lab.calls).toEqual([{ name: 'restartApp', args: null }])
  })

  it('refuses arguments, and passes the Lab’s own refusal on with its code', async () => {
    const lab = new FakeLab()
    expect(await dispatch(lab, 'restartApp', { now: true })).toMatchObject({
      ok: false,
      error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: 'restartApp takes no arguments (got object)' }
    })
    lab.failNext = Object.assign(new Error('the app is already restarting'), { code: 'LOOPSCOPE_ERR_RESTART_ACTIVE' })
    expect(await dispatch(lab, 'restartApp', null)).toEqual({
      ok: false,
      error: { code: 'LOOPSCOPE_ERR_RESTART_ACTIVE', message: 'the app is already restarting' }
    })
  })
})
