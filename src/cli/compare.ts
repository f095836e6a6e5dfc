/**
 * `compare A.json B.json`: two saved runs' summaries side by side, with B − A and B / A in the words the Runs view's
 * table uses (compare-figures.ts): display only.
 */
import type { RunFile } from '../shared/run-file'
import { runSummary } from '../shared/run-file'
import { describeSettings } from '../shared/run-words'
import { compareFigures } from '../shared/compare-figures'

export function formatCompare(a: RunFile, b: RunFile): string {
  const rows = compareFigures([runSummary(a), runSummary(b)])
  const head = ['', 'A', 'B', 'B − A', 'B / A']
  const table = [
    head,
    ...rows.map(({ label, cells: [x, y] }) => [label, x!.value, y!.value, y!.diff ?? '—', y!.ratio ?? '—'])
  ]
  const widths = head.map((_, col) => Math.max(...table.map((row) => row[col]!.length)))
  const line = (row: string[]): string =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
      .join('   ')
      .trimEnd()
  const who = (label: string, run: RunFile): string => {
    const words = describeSettings(run.settings)
    return `${label}: ${run.name} — started ${run.startedAt.slice(0, 19).replace('T', ' ')} UTC${run.name === words ? '' : ` (${words})`}`
  }
  return [who('A', a), who('B', b), '', ...table.map(line)].join('\n')
}
