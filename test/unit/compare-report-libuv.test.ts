/** Work "libuv" in the Runs comparison's table and the HTML report: the pool's block, as the backend's is shown. */
import { describe, expect, it } from 'vitest'
import { compareFigures } from '../../src/shared/compare-figures'
import type { LibuvPoolSummary, Summary } from '../../src/shared/frame'
import { reportHtml } from '../../src/shared/report/report-html'
import { fixtureRun, fixtureSummary } from '../helpers/run-fixture'

const FOUR: LibuvPoolSummary = { size: 4, maxBusy: 4, maxWaiting: 16, maxFileReadMs: 2470.4 }
const withPool = (p: LibuvPoolSummary): Summary => ({ ...fixtureSummary(), libuvPool: p })

describe('the Runs comparison of libuv pools', () => {
  it('sets a pool of 4 against one of 16: threads, busy, waiting, the starved file read', () => {
    const rows = compareFigures([
      withPool(FOUR),
      withPool({ size: 16, maxBusy: 16, maxWaiting: 4, maxFileReadMs: 1.2 })
    ])
    const row = (key: string) => rows.find((r) => r.key === key)!
    expect(row('libuvPoolSize')).toMatchObject({
      label: "libuv's pool",
      cells: [{ value: '4 threads' }, { value: '16 threads', diff: '+12 threads', ratio: '×4.0' }]
    })
    expect(row('libuvMaxWaiting')!.cells.map((c) => c.value)).toEqual(['16', '4'])
    expect(row('libuvMaxFileRead')!.cells.map((c) => c.value)).toEqual(['2,470.4 ms', '1.2 ms'])
  })

  it('shows "—" for a run of other work beside one on the pool', () => {
    const rows = compareFigures([fixtureSummary(), withPool(FOUR)])
    expect(rows.find((r) => r.key === 'libuvMaxBusy')!.cells[0]).toEqual({ value: '—', diff: null, ratio: null })
  })
})

describe("the HTML report of a run on libuv's pool", () => {
  it("lists the pool among the summary's figures", () => {
    const run = fixtureRun({
      id: '20261202-000000-000-cafe',
      name: 'a pool of 4',
      settings: { work: 'libuv' },
      summary: withPool(FOUR)
    })
    const html = reportHtml(run)
    expect(html).toContain('<div><span>Waiting for a pool thread at most</span><b>16</b></div>')
    expect(html).toContain('<div><span>libuv&#39;s pool</span><b>4 threads</b></div>')
  })
})
