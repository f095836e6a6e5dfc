/**
 * The libuv work's construction, in this process (libuv's default pool of 4): a task holds a pool thread for its
 * delay from the moment a thread takes it, so tasks beyond the pool's size wait inside libuv and start later.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { buildLibuvWork, type LibuvWork } from '../../src/main/lab/subject/libuv-work'

const DELAY_MS = 300
/** libuv's timers run on the loop's cached clock: a millisecond early at most, by the real clock */
const EARLY_MS = 2

let work: LibuvWork | null = null
afterEach(() => {
  work?.close()
  work = null
})

describe("work on libuv's pool", () => {
  it('holds a thread for its delay from the moment a thread took it, so 8 tasks on 4 threads take two delays', async () => {
    work = buildLibuvWork()
    const running = Array.from({ length: 8 }, () => work!.run(DELAY_MS))
    const done = await Promise.all(running)
    for (const { startedAtMs, endedAtMs } of done)
      expect(endedAtMs - startedAtMs).toBeGreaterThanOrEqual(DELAY_MS - EARLY_MS)
    const starts = done.map((d) => d.startedAtMs).sort((a, b) => a - b)
    // four threads: the fifth task starts only when a thread is free, a whole delay after the first
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(DELAY_MS - EARLY_MS)
    expect(starts[3]! - starts[0]!).toBeLessThan(DELAY_MS)
  })

  it('counts what it submitted and what libuv has not yet completed', async () => {
    work = buildLibuvWork()
    const running = Promise.all(Array.from({ length: 6 }, () => work!.run(DELAY_MS)))
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS / 2))
    expect(work.outstanding()).toBe(6)
    await running
    expect(work.outstanding()).toBe(0)
  })

  it('reuses its pipes: a second wave finds each drained, and no task returns before its delay', async () => {
    work = buildLibuvWork()
    await Promise.all(Array.from({ length: 4 }, () => work!.run(50)))
    const second = await Promise.all(Array.from({ length: 4 }, () => work!.run(DELAY_MS)))
    for (const { startedAtMs, endedAtMs } of second)
      expect(endedAtMs - startedAtMs).toBeGreaterThanOrEqual(DELAY_MS - EARLY_MS)
  })
})
