/**
 * Several processes in the dashboard: with two processes and one connection held by blocking work, the strip of
 * per-process loops shows one process blocked and the other free, and the loop tile names the blocked one instead of
 * saying the server is. At 1280×720; a real Lab behind the browser-mode host; screenshots go to test-results/.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBlockingRun, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page

beforeAll(async () => {
  dash = await openBlockingRun(
    [
      ['delay', '1500'],
      ['concurrency', '1'],
      ['processes', '2']
    ],
    (s) => s.processes === 2
  )
  page = dash.page
})

afterAll(async () => {
  await dash?.close()
})

describe('several processes, in the dashboard', () => {
  it('shows a row per process, one blocked, and the loop tile names it', async () => {
    await page.locator('[data-testid^="process-row-"][data-stalled="true"]').first().waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-testid^="process-row-"]').count()).toBe(2)
    expect(await page.locator('[data-testid^="process-row-"][data-stalled="true"]').count()).toBe(1)
    expect(await page.getByTestId('kpi-stall').textContent()).toMatch(/^process [12] blocked/)
    // the strip leaves the charts on the first screen
    const strip = await page.getByTestId('process-strip').boundingBox()
    expect(strip!.y + strip!.height).toBeLessThan(720)
    await page.screenshot({ path: join(SHOTS, 'processes-1280x720.png') })
    await page.getByTestId('stop').click()
    await page.getByTestId('summary').waitFor({ state: 'visible', timeout: 20_000 })
    expect(await page.getByTestId('summary-processes').textContent()).toContain('process 2')
    // ended, the rows give each process's whole run, as the tiles above do: no one left "blocked", no live count
    const stripEl = page.getByTestId('process-strip')
    await expect.poll(() => stripEl.getAttribute('data-mode'), { timeout: 5_000 }).toBe('ended')
    expect(await page.locator('[data-testid^="process-row-"][data-stalled="true"]').count()).toBe(0)
    const rows = await page.locator('[data-testid^="process-row-"]').allTextContents()
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row).toMatch(/util \d+%p99 .+longest stall /)
    expect(rows.join(' ')).not.toContain('active')
    expect(dash.consoleErrors).toEqual([])
  })
})
