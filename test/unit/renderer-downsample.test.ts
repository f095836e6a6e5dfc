import { describe, expect, it } from 'vitest'
import { downsample, type Salience } from '../../src/renderer/src/frames/downsample'
import { toRow, type Row } from '../../src/renderer/src/frames/frame-window'
import type { Frame } from '../../src/shared/frame'
import { makeFrame } from './renderer-fixtures'

function row(i: number, extra: Partial<Frame> = {}): Row {
  return toRow(makeFrame(i * 100, { latencyMs: { p50: 20, p90: 21, p99: 22, max: 25 }, ...extra }))
}

const window600 = (extra: (i: number) => Partial<Frame> = () => ({})): Row[] =>
  Array.from({ length: 600 }, (_, k) => row(1000 + k, extra(1000 + k)))
const STALL: Salience = { high: (r) => r.stallMs, low: (r) => r.stallMs }

describe('downsampling a chart window', () => {
  it('draws at most about 200 of the 600 rows: all of the last 10 s, two a second before that', () => {
    const rows = window600((i) => ({ stallMs: i % 7 }))
    const out = downsample(rows, STALL)
    expect(out.length).toBeLessThanOrEqual(202)
    expect(out.slice(-100)).toEqual(rows.slice(-100))
    expect(out[0]).toBe(rows[0])
  })

  it('keeps a single 100-ms stall frame from a minute ago, at its own time', () => {
    const rows = window600((i) => ({ stallMs: i === 1013 ? 100 : 2 }))
    const out = downsample(rows, STALL)
    expect(out.find((r) => r.stallMs === 100)?.tS).toBeCloseTo(101.3)
  })

  it('keeps both the highest and the lowest frame of an old second, in time order', () => {
    const rows = window600((i) => ({
      latencyMs: { p50: i === 1025 ? 1 : 20, p90: 21, p99: 22, max: i === 1022 ? 900 : 25 }
    }))
    const out = downsample(rows, { high: (r) => r.maxMs, low: (r) => r.p50Ms })
    const second = out.filter((r) => r.tS >= 102 && r.tS < 103)
    expect(second.map((r) => [r.maxMs, r.p50Ms])).toEqual([
      [900, 20],
      [25, 1]
    ])
  })

  it('keeps the frame where a step series changes', () => {
    const rows = window600((i) => ({ theoryRps: i < 1234 ? 5 : 50 }))
    const out = downsample(rows, { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theoryRps })
    expect(out.find((r) => r.theoryRps === 50)?.tS).toBeCloseTo(123.4)
  })

  it('chooses the same frames for a second however far the window has scrolled', () => {
    const all = Array.from({ length: 700 }, (_, k) => row(k, { stallMs: (k * 37) % 11 }))
    const a = downsample(all.slice(0, 600), STALL).filter((r) => r.tS >= 20 && r.tS < 40)
    const b = downsample(all.slice(100, 700), STALL).filter((r) => r.tS >= 20 && r.tS < 40)
    expect(b).toEqual(a)
  })

  it('returns nothing for no rows', () => {
    expect(downsample([], STALL)).toEqual([])
  })
})
