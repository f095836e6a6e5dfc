/**
 * The dashboard in Chromium against a real Lab (subject process + crowd thread) through the browser-mode host:
 * what a teacher would do in the first minute, checked on what the page actually drew: the KPI tiles' data-*
 * attributes (fed by the same frame window as the charts) and the charts' own SVG paths (data-series).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import type { WebHost } from '../../src/main/web/host'
import { CHART_MARGIN, CHART_TYPE } from '../../src/renderer/src/charts/chart-layout'
import { openDashboard, showSettings, type Dashboard } from './browser'

const ROOT = join(import.meta.dirname, '../..')
// The README's picture is refreshed only on request (LOOPSCOPE_UPDATE_SCREENSHOT=1 npm test), so that a test run
// never changes a tracked file; the artifact of every run goes to test-results/.
const SHOTS = [join(ROOT, 'test-results'), ...(process.env.LOOPSCOPE_UPDATE_SCREENSHOT ? [join(ROOT, 'docs')] : [])]

let dash: Dashboard
let page: Page
let lab: Lab
let host: WebHost
let consoleErrors: string[]

// the chart body's height above and below the plot area: margins and the time axis (chart-layout.ts)
const PLOT_INSET_PX = CHART_MARGIN.top + CHART_MARGIN.bottom + CHART_TYPE.normal.xAxisPx
const kpis = (page: Page) => page.getByTestId('kpis')
/** a series drawn in a chart: a line's path, or a filled band's group (fill and top edge) */
const series = (chart: string, name: string) => page.getByTestId(`chart-${chart}`).locator(`[data-series="${name}"]`)
const heightOf = async (chart: string, name: string): Promise<number> =>
  (await series(chart, name).boundingBox())?.height ?? 0
const attr = async (name: string): Promise<number> => Number(await kpis(page).getAttribute(`data-${name}`))

async function waitForAttr(name: string, test: (v: number) => boolean, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let v = NaN
  while (Date.now() < deadline) {
    v = await attr(name)
    if (test(v)) return v
    await page.waitForTimeout(100)
  }
  throw new Error(`data-${name} never met the condition within ${timeoutMs} ms (last ${v})`)
}

/** Sets an exact value in a field's number input and applies it at once (Enter). */
async function setNumber(testId: string, value: number): Promise<void> {
  const input = page.getByTestId(`input-${testId}`)
  await input.fill(String(value))
  await input.press('Enter')
}

beforeAll(async () => {
  dash = await openDashboard()
  ;({ lab, host, page, consoleErrors } = dash)
})

afterAll(async () => {
  await dash?.close()
})

describe('the dashboard in a browser', () => {
  it('loads with no console error', async () => {
    await page.goto(host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    expect(await page.getByTestId('app').getAttribute('data-transport')).toBe('websocket')
    // the first screen shows where to begin; its Dashboard button shows the (empty) charts
    await page.getByTestId('show-start').click()
    // a keyboard user tabs through controls, not through the charts' drawing surfaces
    expect(await page.locator('.chart [tabindex="0"]').count()).toBe(0)
    expect(await page.getByRole('img', { name: /^Requests in flight/ }).count()).toBe(1)
    expect(consoleErrors).toEqual([])
  })

  it('starts a run and draws its frames', async () => {
    await setNumber('delay', 300)
    await setNumber('concurrency', 20)
    await expect.poll(() => page.getByTestId('input-delay').inputValue()).toBe('300')
    await page.getByTestId('start').click()
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-running'), { timeout: 20_000 })
      .toBe('true')
    await waitForAttr('frames-drawn', (n) => n >= 10)
    // c / delay = 20 / 0.3 s
    expect(await attr('theory-rps')).toBeCloseTo(66.67, 1)
  })

  it('moves the theory line when the delay changes, and marks the change', async () => {
    await setNumber('delay', 500)
    await waitForAttr('theory-rps', (v) => Math.abs(v - 40) < 0.01)
    await waitForAttr('marks', (n) => n >= 1)
    await expect.poll(() => page.getByTestId('kpi-theory').textContent(), { timeout: 5_000 }).toBe('40')
    // the dashed theory line steps down where the delay changed (a vertical segment in its path)
    await expect
      .poll(async () => (await series('throughput', 'theory').getAttribute('d')) ?? '', { timeout: 5_000 })
      .toMatch(/V/)
  })

  it('shows requests queueing and the loop stalling once the handler blocks', async () => {
    // let the evented phase fill a few seconds of the charts first: the screenshot tells the story
    await waitForAttr('last-t', (t) => t >= 10_000)
    const stallBefore = await attr('max-stall-ms')
    // evented, the 20 requests are all being served; a frame can catch a wave just sent and not yet read by the
    // server (queued for a few ms, longer on a loaded machine), so this waits for an ordinary frame
    await waitForAttr('last-queued', (n) => n < 10)
    await page.getByTestId('toggle-blocking').click()
    const stallShadesBefore = await page.getByTestId('chart-loop').locator('[data-shade]').count()
    await waitForAttr('last-queued', (n) => n >= 10)
    await waitForAttr('max-stall-ms', (ms) => ms >= Math.max(200, stallBefore + 100))
    // …and the charts draw it: the queued band stands most of the requests chart's height (19 of 20 queue behind the
    // blocked one), and the event-loop chart shades a stall
    const body = await page.getByTestId('chart-requests').locator('[data-plot]').boundingBox()
    const plotPx = body!.height - PLOT_INSET_PX
    await expect.poll(() => heightOf('requests', 'queued'), { timeout: 10_000 }).toBeGreaterThan(0.5 * plotPx)
    await expect
      .poll(() => page.getByTestId('chart-loop').locator('[data-shade]').count(), { timeout: 10_000 })
      .toBeGreaterThan(stallShadesBefore)
    // theory for a blocked loop: 1 / 0.5 s
    await waitForAttr('theory-rps', (v) => v === 2)
    // the badge says BLOCKED, with how long, while a 500-ms block is on (between blocks it reads the longest stall)
    await expect
      .poll(() => page.getByTestId('kpi-stall').textContent(), { timeout: 10_000, interval: 20 })
      .toMatch(/^BLOCKED \d/)
    await waitForAttr('last-t', (t) => t >= 18_000)
    for (const dir of SHOTS) {
      mkdirSync(dir, { recursive: true })
      await page.screenshot({ path: join(dir, 'dashboard.png') })
    }
  })

  it('ends the run on Stop and shows the summary', async () => {
    await page.getByTestId('stop').click()
    const summary = page.getByTestId('summary')
    await summary.waitFor({ state: 'visible', timeout: 20_000 })
    expect(Number((await page.getByTestId('summary-completed').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0)
    expect(await page.getByTestId('summary-percentiles').locator('tbody tr').count()).toBeGreaterThan(3)
    // the run changed on the way: the panel lists the changes, and says its theory is the end's settings'
    expect(await page.getByTestId('summary-changes').textContent()).toMatch(
      /^\d+\.\d s delay \d+ → 500 ms · \d+\.\d s blocking on$/
    )
    expect(await summary.textContent()).toContain('for the settings at the end; the run changed on the way')
    expect(await page.getByTestId('run-state').getAttribute('data-running')).toBe('false')
    await page.screenshot({ path: join(SHOTS[0]!, 'summary.png') })
    await page.getByTestId('reset').click()
    await expect.poll(() => attr('frames-drawn')).toBe(0)
  })

  it('refuses an out-of-range value in words next to the field, keeping the previous one', async () => {
    await setNumber('delay', 70_000)
    const error = page.getByTestId('error-delay')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toBe(
      'Delay must be a whole number of milliseconds from 0 to 60,000 (you typed 70000)'
    )
    expect(await error.getAttribute('data-code')).toBe('LOOPSCOPE_ERR_SETTINGS_INVALID')
    expect(lab.status().settings.delayMs).toBe(500)
  })

  it('takes a refusal away as soon as the field holds a value it accepts again', async () => {
    const input = page.getByTestId('input-delay')
    await input.fill('-5')
    await input.press('Enter')
    const error = page.getByTestId('error-delay')
    await expect
      .poll(() => error.textContent())
      .toBe('Delay must be a whole number of milliseconds from 0 to 60,000 (you typed -5)')
    // typing a valid value clears it at once, before the pause that applies it
    await input.fill('400')
    expect(await error.count()).toBe(0)
    await input.press('Enter')
    await expect.poll(() => lab.status().settings.delayMs).toBe(400)
    expect(await page.getByTestId('error-delay').count()).toBe(0)
  })

  it('refuses what is not a number as such, never as "null" nor as an empty field', async () => {
    const input = page.getByTestId('input-threads')
    await input.focus()
    await input.press('Control+A')
    await page.keyboard.type('1e')
    await input.press('Enter')
    const error = page.getByTestId('error-threads')
    await expect
      .poll(() => error.textContent())
      .toBe('Threads must be a whole number from 0 to 64 (that is not a number)')
    await input.fill('0')
    expect(await error.count()).toBe(0)
    await input.press('Enter')
    expect(lab.status().settings.threads).toBe(0)
  })

  it('says "empty (no limit)", never "null", when the request budget is refused', async () => {
    await setNumber('requests', 0)
    const error = page.getByTestId('error-requests')
    await expect
      .poll(() => error.textContent())
      .toBe('Stop after requests must be empty (no limit) or a whole number from 1 to 10,000,000 (you typed 0)')
    await setNumber('requests', 50_000)
    await expect.poll(() => error.count()).toBe(0)
    await page.getByTestId('input-requests').fill('')
    await page.getByTestId('input-requests').press('Enter')
    await expect.poll(() => lab.status().settings.requests).toBeNull()
  })

  it('says so when the subject dies, and Restart starts a new run with the same settings', async () => {
    await setNumber('delay', 300)
    await page.getByTestId('toggle-blocking').click()
    await page.getByTestId('start').click()
    await expect.poll(() => lab.status().subjectPid, { timeout: 20_000 }).toBeTypeOf('number')
    process.kill(lab.status().subjectPid!, 'SIGKILL')
    const banner = page.getByTestId('banner').filter({ has: page.getByTestId('restart') })
    await banner.waitFor({ state: 'visible', timeout: 20_000 })
    expect(await banner.getAttribute('data-code')).toBe('LOOPSCOPE_ERR_SUBJECT_EXITED')
    // one sentence, in words: a SIGKILL is a signal, not "exit code none"
    expect(await banner.locator('p').textContent()).toBe(
      'The subject server stopped unexpectedly (killed by a signal). Restart starts a new run with the same settings.'
    )
    // the dead run's tiles are its whole-run figures, not its last live ones (the loop was blocked when it died)
    await expect.poll(() => kpis(page).getAttribute('data-live'), { timeout: 5_000 }).toBe('false')
    expect(await page.getByTestId('kpis-caption').textContent()).toMatch(
      /^Run ended — whole-run figures \(ended by an error/
    )
    expect(await page.getByTestId('kpi-stall').textContent()).not.toMatch(/BLOCKED/)
    await banner.getByTestId('restart').click()
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-running'), { timeout: 20_000 })
      .toBe('true')
    await waitForAttr('frames-drawn', (n) => n >= 5)
    expect(lab.status().settings.delayMs).toBe(300)
    await page.getByTestId('stop').click()
    await page.getByTestId('summary').waitFor({ state: 'visible', timeout: 20_000 })
  })
})
