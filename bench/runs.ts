/**
 * Saved runs, measured: the size of a 10-minute run and of an hour-long one (6,000 and 36,000 frames, tiled from a
 * short real run: the 2-s experiment's shape at 500 ms, blocking switched on halfway), as stored (gzip), as JSON, as
 * an HTML report and as CSV; and the time to open a saved 10-minute run and to build the comparison of two (open
 * both, compare the summaries, build every chart of both as SVG). Goal: ≤ 500 ms. Figures, never assertions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab } from '../src/main/lab/lab'
import { recordRuns } from '../src/main/runs/record'
import { encodeRunBytes, readRunFile } from '../src/main/runs/store'
import type { Frame } from '../src/shared/frame'
import { runCsv } from '../src/shared/run-csv'
import { buildRunFile, runFrames, runSummary, runToJson, type RunFile } from '../src/shared/run-file'
import { reportHtml } from '../src/shared/report/report-html'
import { runChartsSvg } from '../src/shared/report/run-charts'
import { compareFigures } from '../src/shared/compare-figures'

const GOAL_MS = 500
const fast = process.env.LOOPSCOPE_BENCH_FAST === '1'

export async function shortRealRun(): Promise<RunFile> {
  const lab = new Lab()
  lab.on('error', () => {})
  const recorded = new Promise<RunFile>((resolve) => recordRuns(lab, { appVersion: 'bench', onRun: resolve }))
  const seconds = fast ? 6 : 20
  await lab.start({ delayMs: 500, concurrency: 100, durationS: seconds }, 'bench: evented, then blocking')
  await new Promise((r) => setTimeout(r, (seconds * 1000) / 2))
  await lab.update({ blocking: true })
  const run = await recorded
  await lab.close()
  return run
}

/** `count` frames: the real run's frames again and again, time and the cumulative counts carried on. */
export function tile(run: RunFile, count: number): RunFile {
  const real = runFrames(run)
  const last = real.at(-1)!
  const spanMs = last.t + 100
  const frames: Frame[] = Array.from({ length: count }, (_, i) => {
    const k = Math.floor(i / real.length)
    const f = real[i % real.length]!
    return {
      ...f,
      t: f.t + k * spanMs,
      completed: f.completed + k * last.completed,
      errors: f.errors + k * last.errors,
      marks: k === 0 ? f.marks : []
    }
  })
  return buildRunFile({ ...run, frames, summary: runSummary(run), timelineBars: run.timeline?.bars })
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export async function benchRuns(): Promise<string[]> {
  const out: string[] = []
  const real = await shortRealRun()
  const realFrames = runFrames(real).length
  const perFrame = encodeRunBytes(real, true).length / realFrames
  out.push(`  real run: ${realFrames} frames, tiled to 10 min (6,000) and 1 h (36,000)`)
  // A tiled run repeats itself, which gzip finds: its gzip size flatters. The real run's own gzip per frame does not.
  out.push(
    `  gzip of the real run: ${perFrame.toFixed(0)} B a frame → a real 10-min run ≈ ${kb(perFrame * 6_000)}, an hour ≈ ${mb(perFrame * 36_000)} ` +
      `(JSON before gzip: ${(Buffer.byteLength(runToJson(real)) / realFrames).toFixed(0)} B a frame)`
  )
  const dir = await mkdtemp(join(tmpdir(), 'loopscope-bench-runs-'))
  try {
    const files: string[] = []
    for (const [label, count] of [
      ['10 min', 6_000],
      ['1 h', 36_000]
    ] as const) {
      const run = tile(real, count)
      const gz = encodeRunBytes(run, true)
      const json = Buffer.byteLength(runToJson(run))
      const rows = Buffer.byteLength(JSON.stringify(runFrames(run)))
      out.push(
        `  ${label.padEnd(6)} stored (gzip) ${kb(gz.length)} · JSON ${mb(json)} (frames as objects would be ${mb(rows)}) · ` +
          `HTML report ${mb(Buffer.byteLength(reportHtml(run)))} · CSV ${mb(Buffer.byteLength(runCsv(run)))} · ${(json / gz.length).toFixed(1)}× by gzip`
      )
      const file = join(dir, `${count}.json.gz`)
      await writeFile(file, gz)
      files.push(file)
    }
    const tenMin = files[0]!
    const second = join(dir, 'b.json.gz')
    await writeFile(second, encodeRunBytes(tile(real, 6_000), true))
    const opens: number[] = []
    const compares: number[] = []
    for (let i = 0; i < (fast ? 3 : 7); i++) {
      let t0 = performance.now()
      runFrames(await readRunFile(tenMin))
      opens.push(performance.now() - t0)
      t0 = performance.now()
      const [a, b] = await Promise.all([readRunFile(tenMin), readRunFile(second)])
      compareFigures([runSummary(a!), runSummary(b!)])
      runChartsSvg(a!)
      runChartsSvg(b!)
      compares.push(performance.now() - t0)
    }
    out.push(`  open a 10-min run (read, gunzip, check, decode the frames): median ${median(opens).toFixed(0)} ms`)
    out.push(
      `  compare two 10-min runs (open both, compare, build every chart as SVG): median ${median(compares).toFixed(0)} ms, ` +
        `${(median(compares) / GOAL_MS).toFixed(2)}× the goal of ${GOAL_MS} ms`
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return out
}
