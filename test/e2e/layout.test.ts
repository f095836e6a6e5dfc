/**
 * At a 1280×720 projector and at 1920×1080, with seven tiles (the subscribers' two beside the five) and the loop blocked (the widest figures and
 * the BLOCKED badge): no tile text cut or past its tile, and no lesson button cut. Screenshots go to test-results/.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cutTexts, openDashboard, showSettings, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page

/** every text in the tiles and the lesson's run button that is wider than its box, or reaches past its tile */
const clipped = (): Promise<string[]> => cutTexts(page, { selector: '.kpi, .kpi *, .lesson-run', box: '.kpi' })

beforeAll(async () => {
  dash = await openDashboard()
  page = dash.page
})

afterAll(async () => {
  await dash?.close()
})

describe('the dashboard at projector sizes', () => {
  it('runs blocked with subscribers, seven tiles', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    for (const [testId, value] of [
      ['delay', '2000'],
      ['concurrency', '100'],
      ['subscribers', '100']
    ] as const) {
      await page.getByTestId(`input-${testId}`).fill(value)
      await page.getByTestId(`input-${testId}`).press('Enter')
    }
    await expect.poll(() => dash.lab.status().settings.subscribers).toBe(100)
    await page.getByTestId('toggle-blocking').click()
    await page.getByTestId('start').click()
    await page.getByTestId('kpi-stall').filter({ hasText: 'BLOCKED' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => page.locator('.kpi').count(), { timeout: 10_000 }).toBe(7)
    // the widest figures: p99 in seconds once the first answers are in
    await expect
      .poll(() => page.getByTestId('kpi-p99').getAttribute('data-value'), { timeout: 30_000 })
      .toMatch(/\d s$/)
  })

  for (const [width, height] of [
    [1280, 720],
    [1920, 1080]
  ] as const) {
    it(`cuts no tile text at ${width}×${height}`, async () => {
      await page.setViewportSize({ width, height })
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(SHOTS, `layout-run-${width}x${height}.png`) })
      expect(await clipped()).toEqual([])
    })
  }

  it("shows a lesson step's whole button label at 1280×720", async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.getByTestId('tab-lesson').click()
    await page.locator('.lesson-steps button').nth(5).click()
    await expect.poll(() => page.locator('.lesson-run').textContent()).toBe('Apply step 6 to this run')
    await page.screenshot({ path: join(SHOTS, 'layout-lesson-1280x720.png') })
    expect(await clipped()).toEqual([])
    await page.getByTestId('stop').click()
    await page.getByTestId('summary').waitFor({ state: 'visible', timeout: 20_000 })
    expect(dash.consoleErrors).toEqual([])
  })
})
