/**
 * A saved run's swimlane in Chromium: a real Lab whose runs are saved in a temp data folder; the run opened from the
 * Runs view draws the bars its file kept (the run's last seconds), as the live dashboard drew them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import { runsDir } from '../../src/main/runs/data-dir'
import { Runs } from '../../src/main/runs/runs'
import { openDashboard, type Dashboard } from './browser'

let dir: string
let dash: Dashboard
let runs: Runs
let lab: Lab
let page: Page

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loopscope-timeline-'))
  runs = new Runs({ dir: runsDir({ env: { LOOPSCOPE_DATA_DIR: dir } }) })
  dash = await openDashboard({ runs, viewport: { width: 1280, height: 720 } })
  ;({ lab, page } = dash)
})

afterEach(async () => {
  await dash?.close()
  await runs?.settled()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const workRects = async (): Promise<number> =>
  ((await page.getByTestId('swimlane-working').getAttribute('d')) ?? '').split('M').length - 1

describe('a saved run’s swimlane', () => {
  it('draws the bars its file kept when the run is opened from the Runs view', async () => {
    await page.goto(dash.host.url)
    const ended = new Promise((r) => lab.once('summary', r))
    await lab.start({ requests: 30, concurrency: 10, delayMs: 200, threads: 5 }, 'threads timeline')
    await ended
    await expect.poll(async () => (await runs.list()).length, { timeout: 10_000 }).toBe(1)
    const [entry] = await runs.list()
    const kept = (await runs.get(entry!.id)).timeline?.bars.length ?? 0
    expect(kept).toBeGreaterThanOrEqual(20)
    await page.getByTestId('show-runs').click()
    await page.locator('[data-testid="run-row"][data-name="threads timeline"]').getByTestId('run-open').click()
    await page.getByTestId('saved-run').waitFor()
    await expect.poll(() => page.getByTestId('chart-timeline').getAttribute('data-bars')).toBe(String(kept))
    expect(await workRects()).toBe(kept)
    expect(await page.getByTestId('chart-timeline').getByText('working (on a thread)').count()).toBe(1)
    await page.getByTestId('chart-timeline').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(import.meta.dirname, '../../test-results/timeline-saved-1280x720.png') })
  })
})
