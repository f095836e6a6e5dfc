/** The last second of per-frame buckets (sampler/window.ts): what "over the last second" holds as frames arrive. */
import { describe, expect, it } from 'vitest'
import { RollingWindow } from '../../src/main/lab/sampler/window'

describe('a rolling window of one second', () => {
  it('keeps what arrived in the last second as of the newest arrival, oldest first', () => {
    const w = new RollingWindow<string>(1000)
    w.push(0, 'a')
    w.push(600, 'b')
    expect(w.values()).toEqual(['a', 'b'])
    // a second after the first: the first is out (a span of exactly 1,000 ms is past), the second still in
    w.push(1000, 'c')
    expect(w.values()).toEqual(['b', 'c'])
    w.push(2700, 'd')
    expect(w.values()).toEqual(['d'])
  })

  it('drops what the clock has left behind when asked, with nothing new', () => {
    const w = new RollingWindow<number>(1000)
    w.push(100, 1)
    w.push(500, 2)
    w.trim(1200)
    expect(w.values()).toEqual([2])
    w.trim(1500)
    expect(w.values()).toEqual([])
  })
})
