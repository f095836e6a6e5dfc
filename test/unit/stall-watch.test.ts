import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StallEvent } from '../../src/main/lab/protocol'
import { RESAMPLE_MS, startStallWatch } from '../../src/main/lab/subject/stall-watch.js'
import type { BlockedStack } from '../../src/shared/blocked-stack'

const STACK: BlockedStack = {
  frames: [{ functionName: 'cpuBlocking', file: 'pool-task.js', line: 24, column: 5, kind: 'user' }],
  native: null
}
const now = (): number => performance.timeOrigin + performance.now()

/** A heartbeat cell the test beats by hand, a capture that answers at once, and what the watch sent. */
function setUp(capture: () => Promise<BlockedStack> = () => Promise.resolve(STACK)) {
  let beatMs: number | null = null
  const sent: StallEvent[] = []
  const watch = startStallWatch({
    cell: { lastBeatMs: () => beatMs },
    capture,
    send: (e) => sent.push(e),
    thresholdMs: 50
  })
  return { sent, watch, beat: () => (beatMs = now()) }
}

describe('the stall watch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('captures nothing while the loop beats every 10 ms', async () => {
    const capture = vi.fn(() => Promise.resolve(STACK))
    const { sent, watch, beat } = setUp(capture)
    for (let i = 0; i < 100; i++) {
      beat()
      await vi.advanceTimersByTimeAsync(10)
    }
    watch.stop()
    expect(capture).not.toHaveBeenCalled()
    expect(sent).toEqual([])
  })

  it('captures once the beats stop for the threshold, again every 250 ms, and says when the stall ends and how long it was', async () => {
    const { sent, watch, beat } = setUp()
    beat()
    await vi.advanceTimersByTimeAsync(600)
    beat()
    await vi.advanceTimersByTimeAsync(20)
    watch.stop()
    const stacks = sent.filter((e) => e.type === 'stack')
    // at ~60 ms, ~310 ms and ~560 ms into the stall
    expect(stacks.map((e) => e.type === 'stack' && e.atStallMs)).toEqual([60, 60 + RESAMPLE_MS, 60 + 2 * RESAMPLE_MS])
    expect(sent.at(-1)).toEqual({ type: 'stall-end', stallId: 1, stallMs: 600 })
    expect(new Set(sent.map((e) => e.stallId))).toEqual(new Set([1]))
  })

  it('drops a capture that comes back after its stall has ended: it is not what held the loop', async () => {
    // the answer comes at once after the beat that ended the stall, or after the watch has seen that beat
    for (const seenMs of [0, 20]) {
      let answer: (s: BlockedStack) => void = () => {}
      const { sent, watch, beat } = setUp(() => new Promise((resolve) => (answer = resolve)))
      beat()
      await vi.advanceTimersByTimeAsync(100)
      beat()
      await vi.advanceTimersByTimeAsync(seenMs)
      answer(STACK)
      await vi.advanceTimersByTimeAsync(20)
      watch.stop()
      expect(sent, `answered ${seenMs} ms after the beat`).toEqual([{ type: 'stall-end', stallId: 1, stallMs: 100 }])
    }
  })
})
