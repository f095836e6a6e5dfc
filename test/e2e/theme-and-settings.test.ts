/**
 * Two things a presenter changes without thinking: the system's dark mode (the page and the charts follow it live,
 * no reload) and Hide settings (the panel goes, the charts take its room, and it comes back as it was).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DARK, LIGHT } from '../../src/renderer/src/palette'
import { openDashboard, showSettings, type Dashboard } from './browser'

let dash: Dashboard
let page: Page

/** '#4a5563' → 'rgb(74, 85, 99)', as getComputedStyle says a colour */
const rgb = (hex: string): string => {
  const n = parseInt(hex.slice(1), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}
/** the fills of the charts' axis labels: one colour, the palette's, when the theme is applied to every chart */
const axisFills = async (): Promise<string[]> =>
  page.evaluate<string[]>(
    `[...new Set([...document.querySelectorAll('[data-testid^="chart-"] svg text')].map((e) => getComputedStyle(e).fill))]`
  )
const bodyBackground = (): Promise<string> => page.evaluate<string>('getComputedStyle(document.body).backgroundColor')

beforeAll(async () => {
  dash = await openDashboard()
  page = dash.page
  await page.goto(dash.host.url)
  await page.locator('[data-testid="start"]:enabled').waitFor({ timeout: 10_000 })
  await showSettings(page)
  // hello world for a few seconds: charts with axes to read, nothing slow
  await page.getByTestId('choice-route-hello').click()
  await page.getByTestId('input-duration').fill('30')
  await page.getByTestId('input-duration').press('Enter')
  await page.getByTestId('start').click()
  await page.getByTestId('chart-loop').locator('svg text').first().waitFor({ timeout: 15_000 })
})

afterAll(async () => {
  await dash?.lab.stop().catch(() => {})
  await dash?.close()
})

describe('the dark theme', () => {
  it('follows the system from light to dark and back while a run goes on, charts included', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(axisFills).toEqual([rgb(LIGHT.muted)])
    const lightBackground = await bodyBackground()

    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(axisFills).toEqual([rgb(DARK.muted)])
    const darkBackground = await bodyBackground()
    expect(darkBackground).not.toBe(lightBackground)
    // dark means dark: every channel of the page's background below a quarter
    expect(
      darkBackground
        .match(/\d+/g)!
        .map(Number)
        .every((c) => c < 64)
    ).toBe(true)

    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(axisFills).toEqual([rgb(LIGHT.muted)])
    expect(await bodyBackground()).toBe(lightBackground)
    expect(dash.lab.status().running).toBe(true)
  })
})

describe('Hide settings', () => {
  it('hides the settings panel, widens the charts, and shows the panel again as it was', async () => {
    const chart = page.getByTestId('chart-throughput')
    const before = (await chart.boundingBox())!.width
    const toggle = page.getByTestId('toggle-settings')
    await expect.poll(() => toggle.textContent()).toContain('Hide settings')

    await toggle.click()
    await expect.poll(() => page.locator('#controls').isVisible()).toBe(false)
    await expect.poll(() => toggle.textContent()).toContain('Show settings')
    await expect.poll(async () => (await chart.boundingBox())!.width).toBeGreaterThan(before + 100)

    await toggle.click()
    await expect.poll(() => page.locator('#controls').isVisible()).toBe(true)
    // the panel comes back with the run's settings, not the defaults
    await expect.poll(() => page.getByTestId('choice-route-hello').isChecked()).toBe(true)
    await expect.poll(async () => Math.round((await chart.boundingBox())!.width)).toBe(Math.round(before))
  })
})
