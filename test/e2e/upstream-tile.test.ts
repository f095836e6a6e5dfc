/**
 * Work "upstream" on the dashboard at 1280×720: choosing Backend shows its two settings, and a run shows the backend's
 * tile beside the five (40 waiting for a connection of a pool of 10, with c = 50), no tile text cut. Screenshot in
 * test-results/.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cutTexts, openDashboard, showSettings, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard

beforeAll(async () => {
  dash = await openDashboard({ viewport: { width: 1280, height: 720 } })
})

afterAll(async () => {
  await dash?.close()
})

describe('the backend on the dashboard', () => {
  it('shows the backend tile at 1280×720, where the requests wait for a connection', async () => {
    const page = dash.page
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    await page.getByTestId('choice-work-upstream').click()
    await page.getByTestId('input-upstream-connections').waitFor()
    for (const [testId, value] of [
      ['delay', '500'],
      ['concurrency', '50'],
      ['upstream-connections', '10']
    ] as const) {
      await page.getByTestId(`input-${testId}`).fill(value)
      await page.getByTestId(`input-${testId}`).press('Enter')
    }
    await expect
      .poll(() => dash.lab.status().settings)
      .toMatchObject({ work: 'upstream', upstreamConnections: 10, concurrency: 50 })
    await page.getByTestId('start').click()
    const tile = page.locator('.kpi', { has: page.getByTestId('kpi-upstream') })
    // 10 at the backend, 40 waiting for a connection (a live gauge: between two waves it can read 0 for a frame)
    await expect
      .poll(() => tile.textContent(), { timeout: 15_000 })
      .toMatch(/^Backend\s*10\s*wait conn\. 40 · p99 \d+\sms$/)
    await page.screenshot({ path: join(SHOTS, 'upstream-1280x720.png') })
    expect(await cutTexts(page, { selector: '.kpi, .kpi *', box: '.kpi' })).toEqual([])
    await page.getByTestId('stop').click()
    // the run's summary says it too
    const said = page.getByTestId('summary-upstream')
    await said.waitFor({ timeout: 10_000 })
    // at most 40 waiting once the pool is connected; up to 49 while its 10 connections open, at the start
    expect(await said.textContent()).toMatch(
      /^\d+ answers, p50 \d+\sms, p99 \d+\sms; at most 10 at the backend, 4\d waiting for a connection$/
    )
    // and the ended tile, the run's most at once, still whole at 1280×720
    await expect
      .poll(() => tile.textContent())
      .toMatch(/^Backend\s*10\s*most at once · wait conn\. max 4\d · p99 \d+\sms$/)
    await page.screenshot({ path: join(SHOTS, 'upstream-ended-1280x720.png') })
    expect(await cutTexts(page, { selector: '.kpi, .kpi *', box: '.kpi' })).toEqual([])
  })
})
