/**
 * A run's frames as CSV: one row per frame, one column per figure, the unit in each header ("rps [req/s]"). Built
 * with csv-stringify's synchronous API, which quotes what needs quoting (a long-poll note with a comma).
 */
import { stringify } from 'csv-stringify/sync'
import { blockedStackText, COLUMNS, FRAME_COLUMNS, frameCount } from './run-frames'
import type { RunFile } from './run-file'

/** Empty cell for "no figure" (null), 0/1 for booleans, the blocked stack as its label. */
export function runCsv(run: RunFile): string {
  const n = frameCount(run.frames)
  const rows: (string | number)[][] = []
  for (let i = 0; i < n; i++) {
    rows.push(
      FRAME_COLUMNS.map((name) => {
        // The stack is stored once per stall; each row says it, in words.
        const v = name === 'blockedStack' ? blockedStackText(run.frames, i) : run.frames[name][i]
        return v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 1 : 0) : v
      })
    )
  }
  return stringify([FRAME_COLUMNS.map((name) => COLUMNS[name].header), ...rows])
}
