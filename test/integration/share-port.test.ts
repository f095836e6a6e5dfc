/** A shared subject listens on its one port: the same after Stop and Start, and a taken port is said, not worked around. */
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { LabError } from '../../src/shared/errors'
import { freePort } from '../helpers/free-port'

let lab: Lab | null = null
let squatter: Server | null = null
afterEach(async () => {
  await lab?.close()
  lab = null
  await new Promise<void>((r) => (squatter ? squatter.close(() => r()) : r()))
  squatter = null
})

/** Another program holding a port, on every interface. */
async function occupy(): Promise<number> {
  const port = await freePort()
  squatter = createServer()
  await new Promise<void>((resolve) => squatter!.listen(port, '0.0.0.0', resolve))
  return port
}

describe('the share port', () => {
  it('is where a shared subject listens, at every start', async () => {
    const sharePort = await freePort()
    lab = new Lab()
    const first = await lab.start({ share: true, sharePort, concurrency: 1, delayMs: 100, durationS: 30 })
    expect(first.subjectUrl).toBe(`http://127.0.0.1:${sharePort}`)
    await lab.stop()
    const second = await lab.start({})
    expect(second.subjectUrl).toBe(`http://127.0.0.1:${sharePort}`)
    const res = await fetch(`http://127.0.0.1:${sharePort}/live`)
    expect(res.status).toBe(200)
  })

  it('taken by another program: a coded refusal that names the port and what to do, and nothing else lost', async () => {
    const taken = await occupy()
    lab = new Lab()
    const patch = { share: true, sharePort: taken, concurrency: 7, delayMs: 150, durationS: 30 }
    const err = await lab.start(patch).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LabError)
    expect(err).toMatchObject({
      code: 'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE',
      message: `port ${taken} is in use by another program: choose another Share port`
    })
    // no run, the settings as entered (to fix one field and start again), and the Lab starts on another port
    const status = lab.status()
    expect(status.running).toBe(false)
    expect(status.settings).toMatchObject(patch)
    const other = await freePort()
    const started = await lab.start({ sharePort: other })
    expect(started.subjectUrl).toBe(`http://127.0.0.1:${other}`)
    expect(started.settings).toMatchObject({ concurrency: 7, delayMs: 150, share: true })
  })

  it('refuses a change while a run goes: it applies when a run starts', async () => {
    lab = new Lab()
    await lab.start({ concurrency: 1, delayMs: 100, durationS: 30 })
    await expect(lab.update({ sharePort: 5000 })).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
      message: 'sharePort applies when a run starts: stop the run, change it, and start again'
    })
    expect(lab.status().settings.sharePort).toBe(4242)
  })
})
