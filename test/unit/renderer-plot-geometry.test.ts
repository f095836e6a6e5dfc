import { describe, expect, it } from 'vitest'
import { areaPath, linePath, scaleOf } from '../../src/renderer/src/charts/plot-geometry'

interface P {
  tS: number
  v: number | null
  b?: number
}
const pts = (...vs: Array<number | null>): P[] => vs.map((v, tS) => ({ tS, v }))
// a 100 × 100 plot: x 0..10 s → 0..100 px; y 0..10 → 100 (bottom) .. 0 (top)
const x = (p: P): number => scaleOf({ domain: [0, 10] }, 0, 100)(p.tS)
const y = scaleOf({ domain: [0, 10] }, 100, 0)
const v = (p: P): number | null => p.v

/** the [x, y] corners a path visits, in order */
function corners(d: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let cx = 0
  let cy = 0
  for (const [, cmd, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const n = args!.split(',').filter(Boolean).map(Number)
    if (cmd === 'M' || cmd === 'L') [cx, cy] = [n[0]!, n[1]!]
    else if (cmd === 'H') cx = n[0]!
    else if (cmd === 'V') cy = n[0]!
    else continue
    out.push([cx, cy])
  }
  return out
}

describe('scales', () => {
  it('puts the domain’s ends on the plot’s edges, the bottom of a y axis below its top', () => {
    expect([y(0), y(5), y(10)]).toEqual([100, 50, 0])
  })

  it('gives each decade the same height on a log axis, and puts 0 (which it cannot show) on the bottom edge', () => {
    const log = scaleOf({ domain: [1, 1000], scale: 'log' }, 300, 0)
    expect([log(1), log(10), log(100), log(1000)].map(Math.round)).toEqual([300, 200, 100, 0])
    expect(log(0)).toBe(300)
  })
})

describe('a line', () => {
  it('goes through every point at its time and value', () => {
    expect(corners(linePath(pts(0, 5, 10), x, v, y))).toEqual([
      [0, 100],
      [10, 50],
      [20, 0]
    ])
  })

  it('as steps, holds each value until the next point, then jumps', () => {
    expect(corners(linePath(pts(2, 8), x, v, y, { step: true }))).toEqual([
      [0, 80],
      [10, 80],
      [10, 20]
    ])
  })

  it('breaks at a missing value, or joins across it when asked', () => {
    const gap = linePath(pts(1, null, 3), x, v, y)
    expect(gap.match(/M/g)).toHaveLength(2)
    expect(corners(linePath(pts(1, null, 3), x, v, y, { connectNulls: true }))).toEqual([
      [0, 90],
      [20, 70]
    ])
  })

  it('draws nothing when nothing is drawable', () => {
    expect(linePath(pts(null, null), x, v, y)).toBe('')
    expect(linePath([], x, v, y)).toBe('')
  })
})

describe('a filled band', () => {
  it('runs from the axis along the values and closes back along the axis', () => {
    const d = areaPath(pts(4, 6), x, v, () => 0, y)
    expect(corners(d)).toEqual([
      [0, 60],
      [10, 40],
      [10, 100],
      [0, 100]
    ])
    expect(d.endsWith('Z')).toBe(true)
  })

  it('stacked, lies between the series below it and its own top, step for step', () => {
    // active 6 then 2, queued 0 then 5: the queued band is 6→6 (empty) then 2→7
    const rows: P[] = [
      { tS: 0, v: 6, b: 6 },
      { tS: 1, v: 7, b: 2 }
    ]
    const d = areaPath(rows, x, v, (p) => p.b!, y, { step: true })
    expect(corners(d)).toEqual([
      [0, 40],
      [10, 40],
      [10, 30],
      [10, 80],
      [10, 40],
      [0, 40]
    ])
  })

  it('is cut where values are missing, so a gap is not drawn as zero', () => {
    const d = areaPath(pts(5, null, 5), x, v, () => 0, y)
    expect(d.match(/Z/g)).toHaveLength(2)
  })
})
