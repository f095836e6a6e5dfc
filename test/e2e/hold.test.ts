/**
 * Suspend and release in Chromium against a real Lab: the Hold button holds the run's traffic at the front door and
 * says, live, how many wait there; the queued tile climbs with it; Restart the app under the hold gives a new
 * process; Release lets them through, and not one request failed.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import type { Summary } from '../../src/shared/frame'
import { openDashboard, showSettings, type Dashboard } from './browser'

let dash: Dashboard
let page: Page
let lab: Lab

beforeAll(async () => {
  dash = await openDashboard()
  ;({ lab, page } = dash)
})

afterAll(async () => {
  await dash?.close()
})

const C = 30
const holdStatus = () => page.getByTestId('hold-status').textContent()

describe('the Hold traffic button', () => {
  it('says, without a front door, what it needs, and acts on nothing', async () => {
    await page.goto(dash.host.url)
    await showSettings(page)
    expect(await page.getByTestId('hold').isDisabled()).toBe(true)
    expect(await holdStatus()).toBe('Needs a run started with Front door on.')
    // the setting on, no run yet: the buttons wait for one (the door applies when a run starts)
    await page.getByTestId('toggle-front-door').click()
    await expect
      .poll(holdStatus, { timeout: 5_000 })
      .toBe('Front door is on: it takes effect when a run starts; then hold traffic or restart the app here.')
    expect(await page.getByTestId('hold').isDisabled()).toBe(true)
    await page.getByTestId('toggle-front-door').click()
    await expect.poll(holdStatus, { timeout: 5_000 }).toBe('Needs a run started with Front door on.')
  })

  it('holds the traffic and shows it live, restarts the app under the hold, releases it: nothing failed', async () => {
    const summary = new Promise<Summary>((r) => lab.once('summary', r))
    await lab.start({ frontDoor: true, concurrency: C, delayMs: 200, durationS: 60 })
    const firstPid = lab.status().subjectPid
    // the crowd's users all sending: then every one of them is held
    await new Promise<void>((resolve) => {
      const seen = (f: { completed: number }): void => {
        if (f.completed < 3 * C) return
        lab.off('frame', seen)
        resolve()
      }
      lab.on('frame', seen)
    })
    await showSettings(page)
    await expect.poll(() => page.getByTestId('hold').isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await holdStatus()).toMatch(/^Flowing · \d+ at the app · process \d+$/)
    await page.getByTestId('hold').click()
    await expect
      .poll(holdStatus, { timeout: 5_000 })
      .toBe(`Held: ${C} waiting at the door · 0 at the app · process ${firstPid} · released by itself after 30 s`)
    expect(await page.getByTestId('hold').getAttribute('aria-pressed')).toBe('true')
    await expect
      .poll(async () => Number(await page.getByTestId('kpis').getAttribute('data-last-queued')), { timeout: 5_000 })
      .toBeGreaterThanOrEqual(C - 3)
    await page.getByTestId('restart-app').click()
    await expect.poll(() => lab.status().subjectPid, { timeout: 10_000 }).not.toBe(firstPid)
    const pid = lab.status().subjectPid
    await expect.poll(holdStatus, { timeout: 5_000 }).toContain(`process ${pid}`)
    await page.getByTestId('hold').click()
    await expect.poll(holdStatus, { timeout: 5_000 }).toMatch(/^Flowing/)
    expect(await page.getByTestId('hold').textContent()).toBe('Hold traffic')
    await page.waitForTimeout(1000)
    await lab.stop()
    const s = await summary
    expect(s.errors).toBe(0)
    expect(s.hold).toMatchObject({ holds: 1, heldRequests: C, restarts: 1, appPids: [firstPid, pid] })
    // the dashboard's summary says it as the CLI's report does
    await page.getByTestId('summary-hold').waitFor()
    expect(await page.getByTestId('summary-hold').textContent()).toMatch(
      new RegExp(`^${C} requests in 1 hold, the longest waiting [\\d,.]+ (ms|s)$`)
    )
    expect(await page.getByTestId('summary-restarts').textContent()).toBe(`1 (processes ${firstPid} → ${pid})`)
    expect(await page.getByTestId('summary-failed-at-app').textContent()).toBe(
      '0 (lost with a process that went 0, refused while none listened 0)'
    )
    // nothing failed: the throughput tile has no failed line
    expect(await page.getByTestId('kpi-failed').count()).toBe(0)
  })
})
