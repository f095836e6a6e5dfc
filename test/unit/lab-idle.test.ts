/** The real Lab with no run: what a broadcast and a stop say (no subject is started, nothing is spawned). */
import { describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { LabError } from '../../src/shared/errors'

describe('the Lab with no run', () => {
  it('refuses a broadcast with LOOPSCOPE_ERR_RUN_IDLE, in words that say what to do', async () => {
    const lab = new Lab()
    const err = await lab.broadcast('hello, room').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect(err).toMatchObject({
      code: 'LOOPSCOPE_ERR_RUN_IDLE',
      message: 'start a run before broadcasting: the subject is not running'
    })
    expect(lab.status().running).toBe(false)
    await lab.close()
  })

  it('answers a stop with no summary, and stays idle', async () => {
    const lab = new Lab()
    expect(await lab.stop()).toBeNull()
    expect(lab.status()).toMatchObject({ running: false, subjectUrl: null })
    await lab.close()
  })
})
