/** Several processes in the Runs comparison's table and the HTML report: a row of each process's loop, so a run where one was blocked says which. */
import { describe, expect, it } from 'vitest'
import { compareFigures } from '../../src/shared/compare-figures'
import type { ProcessSummary, Summary } from '../../src/shared/frame'
import { reportHtml } from '../../src/shared/report/report-html'
import { fixtureRun, fixtureSummary } from '../helpers/run-fixture'

const TWO: ProcessSummary[] = [
  { process: 1, delayP99Ms: 4.2, maxStallMs: 0, utilization: 0.12 },
  { process: 2, delayP99Ms: 1310.5, maxStallMs: 1302, utilization: 0.97 }
]
const withProcesses = (processes: ProcessSummary[] | undefined): Summary => ({ ...fixtureSummary(), processes })

describe('the Runs comparison of runs on several processes', () => {
  it('sets each process of a 2-process run against a 1-process run: the second process reads "—" in the first run', () => {
    const rows = compareFigures([withProcesses(undefined), withProcesses(TWO)])
    const row = (key: string) => rows.find((r) => r.key === key)
    expect(row('process2MaxStall')).toMatchObject({
      label: 'Process 2: longest stall',
      cells: [{ value: '—' }, { value: '1,302 ms' }]
    })
    expect(row('process2Utilization')!.cells.map((c) => c.value)).toEqual(['—', '97.0%'])
    expect(row('process1DelayP99')!.cells.map((c) => c.value)).toEqual(['—', '4.2 ms'])
  })

  it('has no process rows for runs on one process', () => {
    const rows = compareFigures([withProcesses(undefined), withProcesses(undefined)])
    expect(rows.filter((r) => r.key.startsWith('process'))).toEqual([])
  })
})

describe('the HTML report of a run on two processes', () => {
  it("lists each process's loop, the blocked one with its stall", () => {
    const run = fixtureRun({
      id: '20261203-000000-000-cafe',
      name: 'two processes, one blocked',
      settings: { processes: 2 },
      summary: withProcesses(TWO)
    })
    const html = reportHtml(run)
    expect(html).toContain('<div><span>Process 2: longest stall</span><b>1,302 ms</b></div>')
    expect(html).toContain('<div><span>Process 1: loop utilization</span><b>12.0%</b></div>')
  })
})
