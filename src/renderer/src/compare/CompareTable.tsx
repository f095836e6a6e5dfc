/**
 * The runs' summaries side by side (compare-figures.ts: the report's and the CLI's figures). Two runs: A, B, then
 * B − A and B / A in columns of their own. Three or four: one column a run, each later run's cell saying under its
 * figure how it differs from A — ten columns would not fit a 1280-px screen at projector type.
 */
import { memo, type ReactNode } from 'react'
import { compareFigures, type CompareCell } from '../../../shared/compare-figures'
import type { Summary } from '../../../shared/frame'
import type { Palette } from '../palette'
import { RunSwatch } from './RunSwatch'
import type { CompareRun } from './compare-series'

/** under a later run's figure: "same", the difference alone (a percentage's), or both */
function cellDiff(cell: CompareCell): string {
  if (cell.ratio === 'same') return 'same'
  return cell.ratio === '—' || cell.ratio === null ? (cell.diff ?? '') : `${cell.diff} · ${cell.ratio}`
}

export const CompareTable = memo(function CompareTable(props: {
  runs: readonly CompareRun[]
  summaries: readonly Summary[]
  palette: Palette
}): ReactNode {
  const { runs, palette } = props
  const rows = compareFigures(props.summaries)
  const pair = runs.length === 2
  const [a, b] = runs
  return (
    <div className="compare-table-wrap">
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            {runs.map((run) => (
              <th key={run.id} scope="col" title={run.name}>
                <RunSwatch run={run} palette={palette} /> {run.letter}
                <span className="visually-hidden">: {run.name}</span>
              </th>
            ))}
            {pair && (
              <>
                <th scope="col">
                  {b!.letter} − {a!.letter}
                </th>
                <th scope="col">
                  {b!.letter} / {a!.letter}
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-figure={row.key}>
              <th scope="row">{row.label}</th>
              {row.cells.map((cell, i) => (
                <td key={runs[i]!.id} data-run={runs[i]!.id}>
                  {cell.value}
                  {!pair && cell.diff !== null && (
                    <span className="compare-diff" data-diff="">
                      {cellDiff(cell)}
                    </span>
                  )}
                </td>
              ))}
              {pair && (
                <>
                  <td data-diff="">{row.cells[1]!.diff}</td>
                  <td data-ratio="">{row.cells[1]!.ratio}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {!pair && (
        <p className="compare-table-note">
          Under each figure of{' '}
          {runs
            .slice(1)
            .map((r) => r.letter)
            .join(', ')}
          : the difference from {a!.letter}, and the ratio to it.
        </p>
      )}
    </div>
  )
})
