import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRunFile } from '../../src/main/runs/store'
import { frameCount } from '../../src/shared/run-frames'
import { cli as runCli } from '../helpers/cli'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopscope-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { ...process.env, LOOPSCOPE_DATA_DIR: join(dir, 'data'), ...env })

describe('the CLI keeps runs', () => {
  it('--save puts the run in the runs folder and --out writes it where asked; report and compare read them back', async () => {
    const a = join(dir, 'a.json')
    const b = join(dir, 'b.json.gz')
    const first = await cli(['-n', '40', '-c', '20', '--delay', '100', '--save', '--out', a])
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/Saved the run in .*data\/runs\/\d{8}-\d{6}-\d{3}-[0-9a-f]{4}\.json\.gz/)
    expect((await readdir(join(dir, 'data', 'runs'))).filter((n) => n.endsWith('.json.gz'))).toHaveLength(1)
    expect((await readFile(a, 'utf8')).startsWith('{"format":"loopscope-run"')).toBe(true)
    expect((await cli(['-n', '10', '-c', '5', '--delay', '50', '--blocking', '--out', b])).code).toBe(0)
    expect((await readFile(b))[0]).toBe(0x1f) // gzip

    const html = join(dir, 'a.html')
    const csv = join(dir, 'a.csv')
    const report = await cli(['report', a, '--html', html, '--csv', csv])
    expect(report.code).toBe(0)
    expect(report.stdout).toContain('Saved run "wait 100 ms, evented · c 20 · 40 requests"')
    expect(report.stdout).toMatch(/Complete requests:\s+40/)
    expect(report.stdout).toContain("Theory (Little's law):    200.00 [#/sec]")
    const rows = (await readFile(csv, 'utf8')).trim().split('\n')
    expect(rows).toHaveLength(1 + frameCount((await readRunFile(a)).frames))
    expect(await readFile(html, 'utf8')).toContain('data-testid="report-chart-throughput"')

    const compare = await cli(['compare', a, b])
    expect(compare.code).toBe(0)
    expect(compare.stdout).toMatch(/^A: wait 100 ms, evented · c 20 · 40 requests/m)
    expect(compare.stdout).toMatch(/^B: wait 50 ms, blocking · c 5 · 10 requests/m)
    // in the Runs view's words: B − A, then B / A
    expect(compare.stdout).toMatch(
      /^Theory \(Little's law\)\s+200\.00 req\/s\s+20\.00 req\/s\s+−180\.00 req\/s\s+−90%$/m
    )
    expect(compare.stdout).toMatch(/^Complete requests\s+40\s+10\s+−30\s+−75%$/m)
  }, 180_000)

  it('refuses a file that is not a run, a missing one and a truncated one, naming the file', async () => {
    const notes = join(dir, 'notes.json')
    await writeFile(notes, '{"hello": "world"}')
    const notRun = await cli(['report', notes])
    expect(notRun.code).toBe(1)
    expect(notRun.stderr).toBe(
      `loopscope: LOOPSCOPE_ERR_RUNS_NOT_A_RUN: ${notes} is not a Loopscope run (it has no "format": "loopscope-run")\n`
    )
    const missing = await cli(['compare', notes.replace('notes', 'nothing'), notes])
    expect(missing.stderr).toContain(
      `LOOPSCOPE_ERR_RUNS_NOT_FOUND: ${notes.replace('notes', 'nothing')} does not exist`
    )
    const cut = join(dir, 'cut.json')
    const whole = await readFile(join(dir, 'a.json'), 'utf8')
    await writeFile(cut, whole.slice(0, 500))
    expect((await cli(['report', cut])).stderr).toContain(
      `LOOPSCOPE_ERR_RUNS_DAMAGED: ${cut} ends too early: the file is truncated`
    )
  }, 120_000)

  it('refuses verbs and flags used wrongly with status 2', async () => {
    const cases: [string[], string, Record<string, string>?][] = [
      [['report'], 'report needs one saved run: report FILE.json (got 0 file names)'],
      [['compare', 'a.json'], 'compare needs two saved runs: compare A.json B.json (got 1 file names)'],
      [['-n', '5', '--html', 'x.html'], '--html has no effect on a run: it belongs to report'],
      [
        ['report', 'a.json', '-c', '5'],
        '-c/--concurrency has no effect with report: it reads saved runs, and takes only --json, --html, --csv'
      ],
      [
        ['-n', '5', '--save'],
        'LOOPSCOPE_KEEP_RUNS must be an integer number of runs from 1 to 10000 (got "many")',
        { LOOPSCOPE_KEEP_RUNS: 'many' }
      ]
    ]
    for (const [args, message, env] of cases) {
      const r = await cli(args, env)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
    }
  }, 120_000)
})
