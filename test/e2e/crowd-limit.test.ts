/**
 * The crowd as the limit, in Chromium: a saved run whose crowd was 95% busy opens with the line that says the
 * throughput was the crowd's limit, not the server's; a run whose crowd kept up opens without it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runsDir } from '../../src/main/runs/data-dir'
import { Runs } from '../../src/main/runs/runs'
import { fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'
import { openDashboard, type Dashboard } from './browser'

let dir: string
let dash: Dashboard
let runs: Runs

const savedRun = (name: string, crowdBusy: number): string =>
  JSON.stringify(
    fixtureRun({
      id: `20261203-00000${crowdBusy > 0.9 ? 1 : 2}-000-cafe`,
      name,
      settings: { route: 'hello' },
      frames: fixtureFrames().map((f) => ({ ...f, crowdBusy })),
      summary: { ...fixtureSummary(), crowdBusy }
    })
  )

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loopscope-crowd-limit-'))
  runs = new Runs({ dir: runsDir({ env: { LOOPSCOPE_DATA_DIR: dir } }) })
  await runs.import(savedRun('crowd at its limit', 0.95), null)
  await runs.import(savedRun('crowd kept up', 0.4), null)
  dash = await openDashboard({ runs, viewport: { width: 1280, height: 720 } })
  await dash.page.goto(dash.host.url)
})

afterAll(async () => {
  await dash?.close()
  await runs?.settled()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function open(name: string): Promise<void> {
  const page = dash.page
  if (!(await page.getByTestId('run-row').first().isVisible())) await page.getByTestId('show-runs').click()
  await page.locator(`[data-testid="run-row"][data-name="${name}"]`).getByTestId('run-open').click()
  await page.getByTestId('saved-run').waitFor()
}

describe('the crowd as the limit', () => {
  it('says so under the tiles of a run whose crowd was 95% busy, and not for one whose crowd kept up', async () => {
    await open('crowd at its limit')
    await expect
      .poll(() => dash.page.getByTestId('crowd-limit').textContent())
      .toBe("The crowd's own loop was 95% busy over the run: the throughput was the crowd's limit, not the server's.")
    await dash.page.getByTestId('show-runs').click()
    await open('crowd kept up')
    await expect.poll(() => dash.page.getByTestId('crowd-limit').count()).toBe(0)
    expect(dash.consoleErrors).toEqual([])
  })
})
