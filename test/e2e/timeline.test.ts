/**
 * The swimlane in Chromium against a real Lab: the shapes a teacher points at, read from what the page drew — the
 * working phase's path (data-testid="swimlane-working"), one rectangle per bar in lane order, each starting at the
 * x of that request's work in px.
 */
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TIMELINE_WINDOW_MS } from '../../src/shared/timeline'
import { openDashboard, type Dashboard } from './browser'

let dash: Dashboard
let page: Page

beforeEach(async () => {
  dash = await openDashboard()
  page = dash.page
  await page.goto(dash.host.url)
})

afterEach(async () => {
  await dash?.close()
})

/** Each bar's work, as drawn: the x where each rectangle of the working path starts, lane by lane. */
async function workXs(): Promise<number[]> {
  const d = (await page.getByTestId('swimlane-working').getAttribute('d')) ?? ''
  return [...d.matchAll(/M(-?[\d.]+) /g)].map((m) => Number(m[1]))
}

/** px per ms of the swimlane's plot: its svg's width less the pads (SwimlaneChart's PAD: 14 + 18). */
async function pxPerMs(): Promise<number> {
  const box = await page.getByTestId('chart-timeline').locator('svg.swimlane-plot').boundingBox()
  return (box!.width - 32) / TIMELINE_WINDOW_MS
}

describe('the swimlane in a browser', () => {
  it('draws a blocking run as a staircase: one bar per request, each one delay right of the one before', async () => {
    const delayMs = 400
    await dash.lab.start({ concurrency: 20, delayMs, blocking: true, durationS: 30 })
    await expect.poll(async () => (await workXs()).length, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(6)
    const xs = await workXs()
    const step = delayMs * (await pxPerMs())
    // the lanes go down in the order work started; each starts about one delay after the one above it
    for (let i = 1; i < xs.length; i++) {
      expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(step * 0.8)
      expect(xs[i]! - xs[i - 1]!).toBeLessThan(step * 1.6)
    }
    expect(await page.getByTestId('chart-timeline').getByText('working (on the loop)').count()).toBe(1)
    expect(dash.consoleErrors).toEqual([])
  })

  it('draws an evented run as parallel bars: a wave of requests all starting work at one x', async () => {
    await dash.lab.start({ concurrency: 30, delayMs: 1000, durationS: 30 })
    await expect
      .poll(async () => (await workXs()).length, { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(30)
    const wave = (await workXs()).slice(0, 30)
    // 30 bars within a few px of each other (a few ms on a 6-s axis)
    expect(Math.max(...wave) - Math.min(...wave)).toBeLessThan(100 * (await pxPerMs()))
  })
})
