/**
 * Two to four summaries side by side, each run after the first set against the first: its difference (B − A, in
 * the figure's unit; points for a percentage) and its ratio in words ("×2.0" from twice up, "−75%", "+40%" below).
 * The figures, their labels, units and rounding are summary-figures.ts's, so the Runs view's table says what the
 * report and the CLI's compare say. Pure: strings out, nothing drawn.
 */
import type { Summary } from './frame'
import { formatFigure, summaryFigures, type Figure } from './summary-figures'

export interface CompareCell {
  /** the run's figure, "—" when it has none */
  value: string
  /** against the first run; null in the first run's own cell */
  diff: string | null
  ratio: string | null
}

export interface CompareRow {
  key: string
  label: string
  /** one per run, in the runs' order */
  cells: CompareCell[]
}

const MINUS = '−'
/** a typographic minus: "−75%" and "−1,995 ms" read as numbers, not as dashes */
const withMinus = (text: string): string => text.replace(/^-/, MINUS)

/** b − a in the figure's unit, signed ("+1,995.0 ms", "−12 pts"); "—" when either has no figure. */
export function differenceWords(a: number | null, b: number | null, f: Pick<Figure, 'unit' | 'digits'>): string {
  if (a === null || b === null) return '—'
  return withMinus(formatFigure({ value: b - a, unit: f.unit === '%' ? 'pts' : f.unit, digits: f.digits }, true))
}

/**
 * b against a in words: "×2.0" (×167 from ten times up) when b is at least twice a, else the change in percent
 * ("−75%", "+40%", "+2.5%"), "same" when equal. "—" when it says nothing: a missing figure, a = 0, or a percentage
 * (its difference in points says it).
 */
export function ratioWords(a: number | null, b: number | null, unit: string): string {
  if (a === null || b === null || unit === '%') return '—'
  if (a === b) return 'same'
  if (a === 0) return '—'
  const r = b / a
  if (r >= 2) return `×${r >= 10 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1)}`
  const pct = (r - 1) * 100
  const text = Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)).toString() : Math.abs(pct).toFixed(1)
  if (Number(text) === 0) return 'same'
  return `${pct > 0 ? '+' : MINUS}${text}%`
}

/** Every figure any of the runs has (the first run's order, then figures only later runs have), run by run. */
export function compareFigures(summaries: readonly Summary[]): CompareRow[] {
  const perRun = summaries.map((s) => new Map(summaryFigures(s).map((f) => [f.key, f])))
  const keys: string[] = []
  for (const figures of perRun) for (const key of figures.keys()) if (!keys.includes(key)) keys.push(key)
  return keys.map((key) => {
    const base = perRun.map((m) => m.get(key)).find((f) => f !== undefined)!
    const first = perRun[0]?.get(key)?.value ?? null
    return {
      key,
      label: base.label,
      cells: perRun.map((m, i) => {
        const f = m.get(key)
        const value = f?.value ?? null
        return {
          value: f ? withMinus(formatFigure(f)) : '—',
          diff: i === 0 ? null : differenceWords(first, value, base),
          ratio: i === 0 ? null : ratioWords(first, value, base.unit)
        }
      })
    }
  })
}
