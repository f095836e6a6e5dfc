/**
 * The second cue beside colour: each run's main line carries its own marker (circle, square, triangle, diamond)
 * every `spacingPx`, each run's markers shifted by a share of the spacing so two runs' markers do not sit on each
 * other where their lines meet. Pure: rows and scales in, SVG path data out.
 */
import type { MarkerShape } from './compare-series'

const px = (v: number): number => Math.round(v * 10) / 10

/** One marker of `shape` centred on (x, y), about `r` px from centre to edge, as closed SVG path data. */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${px(x - r)},${px(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`
    case 'square': {
      const s = r * 0.9
      return `M${px(x - s)},${px(y - s)}H${px(x + s)}V${px(y + s)}H${px(x - s)}Z`
    }
    case 'triangle': {
      const s = r * 1.2
      return `M${px(x)},${px(y - s)}L${px(x + s)},${px(y + s * 0.8)}L${px(x - s)},${px(y + s * 0.8)}Z`
    }
    case 'diamond': {
      const s = r * 1.25
      return `M${px(x)},${px(y - s)}L${px(x + s)},${px(y)}L${px(x)},${px(y + s)}L${px(x - s)},${px(y)}Z`
    }
  }
}

/**
 * Where a line's markers go: at leftPx + phasePx, then every spacingPx up to rightPx, each on the drawn row nearest
 * that x (within half a spacing) that has a value; none where the line has a gap.
 */
export function markerSpots<R>(
  rows: readonly R[],
  x: (r: R) => number,
  value: (r: R) => number | null,
  y: (v: number) => number,
  at: { leftPx: number; rightPx: number; spacingPx: number; phasePx: number }
): Array<[number, number]> {
  const spots: Array<[number, number]> = []
  let i = 0
  for (let target = at.leftPx + at.phasePx; target <= at.rightPx; target += at.spacingPx) {
    while (i < rows.length - 1 && Math.abs(x(rows[i + 1]!) - target) <= Math.abs(x(rows[i]!) - target)) i++
    const r = rows[i]
    if (r === undefined) break
    const v = value(r)
    if (v === null || !Number.isFinite(v) || Math.abs(x(r) - target) > at.spacingPx / 2) continue
    spots.push([x(r), y(v)])
  }
  return spots
}
