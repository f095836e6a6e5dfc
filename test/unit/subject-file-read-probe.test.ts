/** The unrelated file read beside the libuv work: it reads only while asked to, and waits for a thread like any task. */
import { afterEach, describe, expect, it } from 'vitest'
import { startFileReadProbe, type FileReadProbe } from '../../src/main/lab/subject/file-read-probe'
import { buildLibuvWork, type LibuvWork } from '../../src/main/lab/subject/libuv-work'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
let probe: FileReadProbe | null = null
let work: LibuvWork | null = null
afterEach(() => {
  probe?.close()
  work?.close()
  probe = work = null
})

describe("the file read on libuv's pool", () => {
  it('makes no read while its work is not asked for', async () => {
    probe = startFileReadProbe(() => false)
    await sleep(250)
    expect(probe.readMs()).toBeNull()
  })

  it("waits behind tasks that hold every thread (this process has libuv's default 4), and says so while it waits", async () => {
    work = buildLibuvWork()
    const running = Promise.all(Array.from({ length: 4 }, () => work!.run(600)))
    await sleep(100)
    probe = startFileReadProbe(() => true)
    await sleep(350)
    // submitted ~100-200 ms in, still waiting for a thread: its figure is its wait so far
    expect(probe.readMs()).toBeGreaterThanOrEqual(150)
    await running
    // with the threads free again, a later read does not wait a task's 600 ms
    for (let i = 0; i < 20 && probe.readMs()! >= 300; i++) await sleep(50)
    expect(probe.readMs()).toBeLessThan(300)
  })
})
