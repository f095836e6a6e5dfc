/**
 * Work on libuv's pool in the dashboard, against a real Lab: the form offers the pool's size once the work is
 * "libuv pool", and the Queued tile says how many pool threads are busy and how many requests wait for one — read
 * at 1280×720 and 1920×1080 with no tile text cut. Screenshots go to test-results/.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cutTexts, openDashboard, showSettings, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page

beforeAll(async () => {
  dash = await openDashboard({ viewport: { width: 1280, height: 720 } })
  page = dash.page
})

afterAll(async () => {
  await dash?.close()
})

describe("libuv's pool in the dashboard", () => {
  it("offers the pool's size only with its work, and shows 4 threads busy and 16 requests waiting at c = 20", async () => {
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    expect(await page.getByTestId('input-uv-threads').count()).toBe(0)
    await page.getByTestId('choice-work-libuv').click()
    await expect.poll(() => dash.lab.status().settings.work).toBe('libuv')
    expect(await page.getByTestId('input-uv-threads').inputValue()).toBe('4')
    for (const [testId, value] of [
      ['delay', '500'],
      ['concurrency', '20']
    ] as const) {
      await page.getByTestId(`input-${testId}`).fill(value)
      await page.getByTestId(`input-${testId}`).press('Enter')
    }
    await expect.poll(() => dash.lab.status().settings.concurrency).toBe(20)
    await page.getByTestId('start').click()
    await expect
      .poll(() => page.getByTestId('kpi-libuv-pool').textContent(), { timeout: 20_000 })
      .toBe('pool 4/4 busy · 16 wait')
    expect(await page.getByTestId('kpi-theory').textContent()).toBe('8')
    // the unrelated file read beside them waits behind the 16: seconds, not the fraction of a millisecond it takes alone
    await expect
      .poll(() => page.getByTestId('kpi-libuv-file-read').textContent(), { timeout: 20_000 })
      .toMatch(/^file read [\d.]+\u00a0s$/)
  })

  for (const [width, height] of [
    [1280, 720],
    [1920, 1080]
  ] as const) {
    it(`cuts no tile text at ${width}×${height}`, async () => {
      await page.setViewportSize({ width, height })
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(SHOTS, `libuv-pool-${width}x${height}.png`) })
      expect(await cutTexts(page, { selector: '.kpi, .kpi *', box: '.kpi' })).toEqual([])
    })
  }

  it('refuses a pool size out of range beside the field, and keeps the size', async () => {
    await dash.lab.stop()
    await page.getByTestId('input-uv-threads').fill('200')
    await page.getByTestId('input-uv-threads').press('Enter')
    await expect.poll(() => page.locator('#controls').textContent()).toContain('from 1 to 128')
    expect(dash.lab.status().settings.uvThreadpoolSize).toBe(4)
  })
})
