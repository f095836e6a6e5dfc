/**
 * A static time chart as SVG text: lines (a gap where a value is null), areas (optionally stacked on another
 * series), shaded spans, labelled settings-change markers, a left axis in the series' unit and an optional right
 * axis 0–100 %. Pure functions over arrays, no DOM: the CLI writes it into a report, the renderer can use it later.
 * Every text that reaches the SVG goes through `esc`.
 *
 * Long runs are reduced to at most two points per pixel column (for each column, the frames with the lowest and the
 * highest of the chart's salient figure), so a one-hour run keeps its peaks and its stalls in a file of sane size.
 */
import { esc } from './escape'

export interface ChartSeries {
  name: string
  color: string
  /** one value per time point; null = nothing to draw there */
  values: readonly (number | null)[]
  kind: 'line' | 'area'
  /** an area stacked on these values (their top is its bottom) */
  base?: readonly (number | null)[]
  dash?: string
  width?: number
  /** 'right': the 0–100 % axis */
  axis?: 'left' | 'right'
  /** hold each value until the next (a theory line changes in steps) */
  step?: boolean
}

export interface ChartSpec {
  title: string
  testId: string
  /** s since the run started, one per point */
  tS: readonly number[]
  series: ChartSeries[]
  leftUnit: string
  rightUnit?: string
  marks: readonly { tS: number; label: string }[]
  /** [from, to] s, shaded (the loop stalled) */
  spans?: readonly (readonly [number, number])[]
  spanColor?: string
  /** what each pixel column keeps: the points with the lowest and highest of this */
  salience: (i: number) => number
  width?: number
  height?: number
}

const PAD = { left: 64, right: 52, top: 34, bottom: 40 }
export const INK = { fg: '#111418', muted: '#4a5563', grid: '#d6dbe1', mark: '#4a5563' }

/** A round maximum for an axis: 1, 2 or 5 × 10^k at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(max))
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p
  return 10 * p
}

/** Indices kept when `n` points go into `columns` pixel columns: each column's lowest and highest, in order. */
export function reduceIndices(n: number, columns: number, salience: (i: number) => number): number[] {
  if (n <= columns * 2) return Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns)
    const to = Math.floor(((c + 1) * n) / columns)
    let lo = from
    let hi = from
    for (let i = from; i < to; i++) {
      if (salience(i) < salience(lo)) lo = i
      if (salience(i) > salience(hi)) hi = i
    }
    if (lo === hi) out.push(lo)
    else out.push(Math.min(lo, hi), Math.max(lo, hi))
  }
  return out
}

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString()

function tickText(v: number, unit: string): string {
  const text = v >= 10_000 ? `${+(v / 1000).toFixed(1)}k` : String(+v.toFixed(2))
  return unit === '%' ? `${text}%` : text
}

export function chartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 920
  const height = spec.height ?? 260
  const plotW = width - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const n = spec.tS.length
  const maxT = Math.max(1, spec.tS[n - 1] ?? 1)
  const x = (t: number): number => PAD.left + (t / maxT) * plotW
  const left = spec.series.filter((s) => s.axis !== 'right')
  let top = 0
  for (const s of left) {
    for (let i = 0; i < n; i++) {
      const v = (s.values[i] ?? 0) + (s.base?.[i] ?? 0)
      if (v > top) top = v
    }
  }
  const yMax = niceMax(top * 1.05)
  const yLeft = (v: number): number => PAD.top + plotH - (v / yMax) * plotH
  const yRight = (v: number): number => PAD.top + plotH - (v / 100) * plotH
  const keep = reduceIndices(n, Math.max(1, Math.floor(plotW)), spec.salience)

  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
      `aria-label="${esc(spec.title)}" data-testid="${esc(spec.testId)}" font-family="system-ui, sans-serif" font-size="12">`
  )
  parts.push(`<title>${esc(spec.title)}</title>`)
  parts.push(`<text x="${PAD.left}" y="18" font-size="15" font-weight="600" fill="${INK.fg}">${esc(spec.title)}</text>`)
  // grid and axes
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4
    const y = r1(yLeft(v))
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y}" y2="${y}" stroke="${INK.grid}" stroke-width="1"/>`
    )
    parts.push(
      `<text x="${PAD.left - 6}" y="${y}" dy="4" text-anchor="end" fill="${INK.muted}">${esc(tickText(v, spec.leftUnit))}</text>`
    )
    if (spec.rightUnit) {
      parts.push(
        `<text x="${PAD.left + plotW + 6}" y="${y}" dy="4" fill="${INK.muted}">${esc(tickText(25 * k, spec.rightUnit))}</text>`
      )
    }
  }
  const step = niceMax(maxT / 8)
  for (let t = 0; t <= maxT + 1e-9; t += step) {
    const xx = r1(x(t))
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH + 4}" stroke="${INK.muted}"/>`
    )
    parts.push(
      `<text x="${xx}" y="${PAD.top + plotH + 17}" text-anchor="middle" fill="${INK.muted}">${esc(`${+t.toFixed(1)} s`)}</text>`
    )
  }
  parts.push(`<text x="${PAD.left - 52}" y="${PAD.top - 8}" fill="${INK.muted}">${esc(spec.leftUnit)}</text>`)
  for (const [from, to] of spec.spans ?? []) {
    const x0 = x(from)
    parts.push(
      `<rect x="${r1(x0)}" y="${PAD.top}" width="${r1(Math.max(1, x(to) - x0))}" height="${plotH}" fill="${spec.spanColor ?? '#D55E00'}" fill-opacity="0.12"/>`
    )
  }
  // series
  for (const s of spec.series) {
    const y = s.axis === 'right' ? yRight : yLeft
    if (s.kind === 'area') parts.push(areaPath(s, keep, spec.tS, x, y))
    else parts.push(linePath(s, keep, spec.tS, x, y))
  }
  // settings changes
  for (const m of spec.marks) {
    const xx = r1(x(m.tS))
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${INK.mark}" stroke-dasharray="6 4"/>`
    )
    parts.push(`<text x="${xx}" y="${PAD.top + 12}" dx="4" fill="${INK.fg}">${esc(m.label)}</text>`)
  }
  parts.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="${INK.grid}"/>`
  )
  // legend
  let lx = PAD.left + plotW
  for (const s of [...spec.series].reverse()) {
    const label = esc(s.name)
    lx -= 34 + s.name.length * 7.5
    parts.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="14" y2="14" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
        `<text x="${lx + 20}" y="18" fill="${INK.fg}">${label}</text>`
    )
  }
  parts.push('</svg>')
  return parts.join('')
}

type Scale = (v: number) => number

function linePath(s: ChartSeries, keep: number[], tS: readonly number[], x: Scale, y: Scale): string {
  let d = ''
  let open = false
  for (const i of keep) {
    const v = s.values[i]
    if (v === null || v === undefined) {
      open = false
      continue
    }
    const px = r1(x(tS[i]!))
    const py = r1(y(v))
    if (!open) d += `M${px},${py}`
    else d += s.step ? `H${px}V${py}` : `L${px},${py}`
    open = true
  }
  if (!d) return ''
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : ''
  return `<path data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2.5}" stroke-linejoin="round"${dash}/>`
}

function areaPath(s: ChartSeries, keep: number[], tS: readonly number[], x: Scale, y: Scale): string {
  // one closed shape per run of non-null values
  const shapes: string[] = []
  let run: number[] = []
  const flush = (): void => {
    if (run.length) {
      const topPts = run.map((i) => `${r1(x(tS[i]!))},${r1(y((s.values[i] ?? 0) + (s.base?.[i] ?? 0)))}`)
      const basePts = [...run].reverse().map((i) => `${r1(x(tS[i]!))},${r1(y(s.base?.[i] ?? 0))}`)
      shapes.push(`M${topPts.join('L')}L${basePts.join('L')}Z`)
    }
    run = []
  }
  for (const i of keep) {
    if (s.values[i] === null || s.values[i] === undefined) flush()
    else run.push(i)
  }
  flush()
  if (!shapes.length) return ''
  return `<path data-series="${esc(s.name)}" d="${shapes.join('')}" fill="${s.color}" fill-opacity="0.55" stroke="${s.color}" stroke-width="${s.width ?? 1}"/>`
}
