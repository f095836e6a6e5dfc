/**
 * The transport selector in Chromium against a real Lab: changing it during a run moves the subscribers over, and
 * the dashboard names the new transport on the subscribers' chart and tiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDashboard, showSettings, type Dashboard } from './browser'

let dash: Dashboard

beforeAll(async () => {
  dash = await openDashboard()
})

afterAll(async () => {
  await dash?.lab.stop().catch(() => undefined)
  await dash?.close()
})

describe('the transport selector', () => {
  it('moves a running experiment’s subscribers to SSE, and the chart and tiles say so', async () => {
    const { page, lab, host } = dash
    await page.goto(host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    await lab.start({
      subscribers: 300,
      publishRatePerS: 2,
      delayMs: 100,
      concurrency: 1,
      connections: 1,
      requests: null,
      durationS: 60
    })
    const chart = page.getByTestId('chart-push')
    await expect.poll(() => chart.getAttribute('data-transport'), { timeout: 15_000 }).toBe('long-poll')
    await expect.poll(() => chart.locator('h3').textContent()).toBe('Subscribers — long polling')
    await page.getByTestId('choice-transport-sse').click()
    await expect.poll(() => lab.status().settings.transport, { timeout: 5_000 }).toBe('sse')
    await expect.poll(() => chart.getAttribute('data-transport'), { timeout: 10_000 }).toBe('sse')
    await expect.poll(() => chart.locator('h3').textContent()).toBe('Subscribers — SSE')
    // every subscriber reconnected over SSE: the memory tile counts them on it
    await expect
      .poll(() => page.getByTestId('tile-bytes-per-held').textContent(), { timeout: 15_000 })
      .toContain('300 on SSE')
    expect(dash.consoleErrors).toEqual([])
  })
})
