/**
 * The dashboard while the subject is shared: a compact pill opens the Hand out panel with the attendee address as
 * large text and as a QR code (SVG elements, under the dashboard's CSP), a Copy button, and Esc to close it. At
 * 1920×1080 and 1280×720, light and dark; screenshots go to test-results/share-*.png.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lanUrls } from '../../src/main/lab/network'
import { freePort } from '../helpers/free-port'
import { openDashboard, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page
let port: number

/** every element of the panel wider than its box, and whether the panel is inside the window */
const PANEL_FITS = `(() => {
  const panel = document.querySelector('[data-testid="share-panel"]'), r = panel.getBoundingClientRect()
  const cut = [...panel.querySelectorAll('*')].filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .map((el) => el.tagName + ' ' + (el.textContent || '').slice(0, 30))
  return { cut, inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight }
})()`

beforeAll(async () => {
  dash = await openDashboard()
  page = dash.page
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dash.host.url })
  port = await freePort()
  await dash.lab.update({ share: true, sharePort: port, concurrency: 1, delayMs: 100, durationS: 600 })
})

afterAll(async () => {
  await dash?.close()
})

describe('handing out the attendee page', () => {
  it('a pill opens the address as text and as a QR code of it; Copy copies it; Esc closes', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await page.getByTestId('start').click()
    const pill = page.getByTestId('shared')
    await pill.waitFor({ timeout: 20_000 })
    const url = lanUrls(port)[0]
    await pill.click()
    const panel = page.getByTestId('share-panel')
    await panel.waitFor()
    if (url === undefined) {
      // a machine with no network address but its own says so instead of showing a code nobody can use
      expect(await page.getByTestId('share-url').textContent()).toMatch(/no network address/)
      return
    }
    expect(await pill.textContent()).toContain(`${new URL(url).host}`)
    expect(await page.getByTestId('share-url').textContent()).toBe(url)
    const qr = page.getByTestId('share-qr')
    expect(await qr.getAttribute('data-url')).toBe(url)
    expect((await qr.locator('path').getAttribute('d'))!.length).toBeGreaterThan(500)
    // big enough to scan off a projector screen, and the address readable from the back
    expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(250)
    expect(
      await page.evaluate(`parseFloat(getComputedStyle(document.querySelector('[data-testid="share-url"]')).fontSize)`)
    ).toBeGreaterThanOrEqual(28)

    await page.getByTestId('share-copy').click()
    await expect.poll(() => page.getByTestId('share-copied').textContent()).toBe('Copied.')
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url)

    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'hidden' })
    expect(await page.evaluate(`document.activeElement?.dataset.testid`)).toBe('shared')
    expect(dash.consoleErrors).toEqual([])
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080]
    ] as const) {
      it(`fits the window at ${width}×${height} (${colorScheme})`, async () => {
        await page.emulateMedia({ colorScheme })
        await page.setViewportSize({ width, height })
        const panel = page.getByTestId('share-panel')
        if (!(await panel.isVisible())) await page.getByTestId('shared').click()
        await panel.waitFor()
        await page.waitForTimeout(200)
        await page.screenshot({ path: join(SHOTS, `share-${width}x${height}-${colorScheme}.png`) })
        expect(await page.evaluate(PANEL_FITS)).toEqual({ cut: [], inside: true })
      })
    }
  }
})
