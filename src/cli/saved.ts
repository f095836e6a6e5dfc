/** The CLI's verbs on saved runs: `report FILE.json [--html OUT] [--csv OUT]` and `compare A.json B.json`. */
import { runCsv } from '../shared/run-csv'
import { runSummary, type RunFile } from '../shared/run-file'
import { reportHtml } from '../shared/report/report-html'
import { writeAtomic } from '../main/runs/atomic-write'
import { encodeRunBytes, readRunFile } from '../main/runs/store'
import type { CliRun } from './args'
import { formatCompare } from './compare'
import { formatReport, summaryJson } from './report'

export async function report(cli: CliRun): Promise<number> {
  const run = await readRunFile(cli.files[0]!)
  const summary = runSummary(run)
  if (cli.json) process.stdout.write(JSON.stringify(summaryJson(summary)) + '\n')
  else
    process.stdout.write(
      `Saved run "${run.name}", started ${run.startedAt}\n` +
        formatReport(summary, run.subjectUrl ?? 'a subject') +
        '\n'
    )
  if (cli.html) {
    await writeAtomic(cli.html, reportHtml(run))
    process.stderr.write(`HTML report written to ${cli.html}\n`)
  }
  if (cli.csv) {
    await writeAtomic(cli.csv, runCsv(run))
    process.stderr.write(`Frames written to ${cli.csv} as CSV\n`)
  }
  return 0
}

export async function compare(cli: CliRun): Promise<number> {
  const [a, b] = await Promise.all(cli.files.map(readRunFile))
  process.stdout.write(formatCompare(a!, b!) + '\n')
  return 0
}

/** `--out FILE`: the run as JSON, gzipped when the name ends in .gz. */
export async function writeRunTo(file: string, run: RunFile): Promise<void> {
  await writeAtomic(file, encodeRunBytes(run, file.endsWith('.gz')))
}
