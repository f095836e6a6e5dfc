/**
 * Presenter mode and the charts' settings-change labels, in Chromium against a real Lab, during a run changed five
 * times in a few seconds (labels that would collide): at 1280×720 and 1920×1080, light and dark, no text wider than
 * its box or past it, no two labels overlapping, the sizes a room reads (tile figures ≥ 48 px; ticks, legends and
 * labels ≥ 18 px); the dashboard's own labels and the subject's address at 1280–1600 px; the run summary leaving the
 * charts in view. Screenshots go to test-results/.
 */
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import { openDashboard, showSettings, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page
let lab: Lab

/**
 * Every visible text that is cut (wider than its box), drawn at zero width, past the tile, chart, bar or panel it
 * belongs to, or (in presenter mode, where nothing scrolls) past the window's edges.
 */
const TEXT_PROBLEMS = `(() => {
  const out = []
  const say = (what, el) => out.push(what + ': ' + (el.textContent || '').trim().slice(0, 40))
  const box = (el) => el.closest('.kpi, .chart, .topbar, .summary, .overlay, .banner, .controls')
  const presenter = document.querySelector('[data-testid=app]').dataset.presenter === 'true'
  for (const el of document.querySelectorAll('[data-testid=app] *')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '')
    if (!ownText || el.getClientRects().length === 0) continue
    if (getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue
    const r = el.getBoundingClientRect()
    if (r.width < 1) { say('zero width', el); continue }
    const isSvg = el instanceof SVGElement
    if (!isSvg && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) say('cut', el)
    const b = box(el)
    if (b) {
      const br = b.getBoundingClientRect()
      if (r.left < br.left - 0.5 || r.right > br.right + 0.5) say('past its ' + b.className, el)
    }
    if (presenter && (r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.left < -0.5)) say('off screen', el)
  }
  if (presenter) {
    const main = document.querySelector('.main')
    if (main.scrollHeight > main.clientHeight + 1) out.push('the charts scroll: ' + main.scrollHeight + ' > ' + main.clientHeight)
  }
  return out
})()`

/** Items of the top bar (and of its run bar) that overlap one another or reach past the bar. */
const BAR_OVERLAPS = `(() => {
  const bar = document.querySelector('.topbar')
  const items = [...bar.children, ...bar.querySelector('.runbar').children].filter((e) => !e.classList.contains('runbar') && e.getClientRects().length > 0)
  const out = []
  const br = bar.getBoundingClientRect()
  for (let i = 0; i < items.length; i++) {
    const a = items[i].getBoundingClientRect()
    if (a.right > br.right + 0.5) out.push('past the bar: ' + items[i].textContent)
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j].getBoundingClientRect()
      if (a.width > 0 && b.width > 0 && a.left < b.right - 0.5 && b.left < a.right - 0.5) out.push(items[i].textContent + ' / ' + items[j].textContent)
    }
  }
  return out
})()`

/** Per chart: its mark labels, any two that overlap, and any that reaches past the chart's plot. */
// the time charts: each request's timeline has its own few-second axis and no settings marks
const MARK_LABELS = `(() => [...document.querySelectorAll('.chart:has(.mark-layer)')].map((chart) => {
  const plot = chart.querySelector('.mark-layer').getBoundingClientRect()
  const labels = [...chart.querySelectorAll('[data-mark-label]')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))
  const overlaps = []
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].r, b = labels[j].r
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(labels[i].text + ' / ' + labels[j].text)
    }
  const outside = labels.filter(({ r }) => r.left < plot.left || r.right > plot.right).map((l) => l.text)
  return { chart: chart.dataset.testid, labels: labels.length, lines: chart.querySelectorAll('[data-mark-line]').length, overlaps, outside }
}))()`

interface MarkLabels {
  chart: string
  labels: number
  overlaps: string[]
  outside: string[]
}

/**
 * Five changes within a few seconds: every chart labels at least the newest, some chart stacks more than one (so
 * the check below has something to check), and none overlaps another or reaches past the plot.
 */
function expectLabelsApart(charts: readonly MarkLabels[]): void {
  for (const c of charts) {
    expect(c.labels, c.chart).toBeGreaterThanOrEqual(1)
    expect(c.overlaps, c.chart).toEqual([])
    expect(c.outside, c.chart).toEqual([])
  }
  expect(Math.max(...charts.map((c) => c.labels))).toBeGreaterThan(1)
}

/** The smallest computed font size of each kind of text a room has to read. */
const FONT_SIZES = `(() => {
  const min = (sel) => Math.min(...[...document.querySelectorAll(sel)].map((e) => parseFloat(getComputedStyle(e).fontSize)))
  return {
    tileFigures: min('.kpi-value'),
    ticks: min('.recharts-cartesian-axis-tick-value'),
    legends: min('.legend li'),
    markLabels: min('[data-mark-label]')
  }
})()`

const blur = (): Promise<unknown> => page.evaluate('document.activeElement?.blur()')
const presenterOn = (): Promise<string | null> => page.getByTestId('app').getAttribute('data-presenter')

beforeAll(async () => {
  dash = await openDashboard()
  ;({ page, lab } = dash)
})

afterAll(async () => {
  await dash?.close()
})

describe('presenter mode and the charts’ labels', () => {
  it('runs, changed five times within a few seconds', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    for (const [testId, value] of [
      ['delay', '500'],
      ['concurrency', '10']
    ] as const) {
      await page.getByTestId(`input-${testId}`).fill(value)
      await page.getByTestId(`input-${testId}`).press('Enter')
    }
    await expect.poll(() => lab.status().settings.concurrency).toBe(10)
    await page.getByTestId('start').click()
    await expect.poll(() => lab.status().running, { timeout: 20_000 }).toBe(true)
    for (const c of [20, 30, 40]) {
      await page.getByTestId('input-concurrency').fill(String(c))
      await page.getByTestId('input-concurrency').press('Enter')
      await expect.poll(() => lab.status().settings.concurrency).toBe(c)
    }
    await blur()
    await page.keyboard.press('b')
    await expect.poll(() => lab.status().settings.blocking).toBe(true)
    await page.keyboard.press('b')
    await expect.poll(() => lab.status().settings.blocking).toBe(false)
    await expect.poll(() => page.getByTestId('kpis').getAttribute('data-marks'), { timeout: 10_000 }).toBe('5')
    // answers coming in again after the changes, so the pictures show a run
    await expect.poll(() => page.getByTestId('kpi-rps').getAttribute('data-value'), { timeout: 20_000 }).toMatch(/\d/)
  })

  it('draws every change and lays its labels out without overlaps or cuts at 1280×720', async () => {
    await expect
      .poll(async () => ((await page.evaluate(MARK_LABELS)) as { lines: number }[]).every((c) => c.lines === 5))
      .toBe(true)
    await page.screenshot({ path: join(SHOTS, 'presenter-run-1280x720.png') })
    const charts = (await page.evaluate(MARK_LABELS)) as MarkLabels[]
    // the four charts and the loop-turns strip
    expect(charts).toHaveLength(5)
    expectLabelsApart(charts)
    expect(await page.evaluate(TEXT_PROBLEMS)).toEqual([])
  })

  it('shows where the subject listens, or gives way, at every width from 1280 to 1600 px', async () => {
    const url = lab.status().subjectUrl!
    for (const width of [1280, 1366, 1440, 1536, 1600, 1920]) {
      await page.setViewportSize({ width, height: 900 })
      const shown = (await page.evaluate(`(() => {
        const e = document.querySelector('[data-testid=subject-url]')
        const visible = [...e.children].filter((c) => c.getClientRects().length > 0)
        return visible.map((c) => ({ text: c.textContent, width: c.getBoundingClientRect().width, fits: c.getBoundingClientRect().right <= e.getBoundingClientRect().right + 0.5 }))
      })()`)) as { text: string; width: number; fits: boolean }[]
      expect(shown.length, `at ${width} px`).toBeLessThanOrEqual(1)
      for (const s of shown) {
        expect(s.width, `at ${width} px`).toBeGreaterThan(0)
        expect(s.fits, `at ${width} px`).toBe(true)
      }
      if (width === 1920) expect(shown.map((s) => s.text)).toEqual([`subject at ${url}`])
      expect(await page.getByTestId('run-state').getAttribute('title')).toContain(url)
      expect(await page.evaluate(BAR_OVERLAPS), `at ${width} px`).toEqual([])
      expect(await page.evaluate(TEXT_PROBLEMS), `at ${width} px`).toEqual([])
    }
  })

  it('enters presenter mode with v: no settings, no notes, full screen', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await blur()
    await page.keyboard.press('v')
    await expect.poll(presenterOn).toBe('true')
    expect(await page.locator('#controls').isVisible()).toBe(false)
    expect(await page.locator('.chart-note').first().isVisible()).toBe(false)
    await expect.poll(() => page.evaluate('document.fullscreenElement !== null')).toBe(true)
    expect(await page.getByTestId('presenter-blocking').textContent()).toBe('Blocking off')
    expect(await page.getByTestId('toggle-presenter').getAttribute('aria-pressed')).toBe('true')
  })

  for (const scheme of ['light', 'dark'] as const) {
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080]
    ] as const) {
      it(`reads from the back of a room at ${width}×${height}, ${scheme}: large, whole, nothing overlapping`, async () => {
        await page.emulateMedia({ colorScheme: scheme })
        await page.setViewportSize({ width, height })
        await expect
          .poll(async () => ((await page.evaluate(MARK_LABELS)) as { lines: number }[]).every((c) => c.lines === 5))
          .toBe(true)
        await page.screenshot({ path: join(SHOTS, `presenter-${width}x${height}-${scheme}.png`) })
        const sizes = (await page.evaluate(FONT_SIZES)) as Record<string, number>
        expect(sizes.tileFigures).toBeGreaterThanOrEqual(48)
        expect(sizes.ticks).toBeGreaterThanOrEqual(18)
        expect(sizes.legends).toBeGreaterThanOrEqual(18)
        expect(sizes.markLabels).toBeGreaterThanOrEqual(18)
        expectLabelsApart((await page.evaluate(MARK_LABELS)) as MarkLabels[])
        expect(await page.evaluate(TEXT_PROBLEMS)).toEqual([])
        expect(await page.evaluate(BAR_OVERLAPS)).toEqual([])
      })
    }
  }

  it('leaves presenter mode with Esc, full screen with it, and gives the settings back', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.keyboard.press('Escape')
    await expect.poll(presenterOn).toBe('false')
    await expect.poll(() => page.evaluate('document.fullscreenElement === null')).toBe(true)
    expect(await page.locator('#controls').isVisible()).toBe(true)
  })

  it('ends the run with a compact summary that leaves the charts in view at 1280×720', async () => {
    await page.getByTestId('stop').click()
    const summary = page.getByTestId('summary')
    await summary.waitFor({ state: 'visible', timeout: 20_000 })
    await page.screenshot({ path: join(SHOTS, 'presenter-summary-1280x720.png') })
    const { summaryPx, chartsInViewPx } = (await page.evaluate(`(() => {
      const s = document.querySelector('[data-testid=summary]').getBoundingClientRect()
      const c = document.querySelector('.charts').getBoundingClientRect()
      return { summaryPx: s.height, chartsInViewPx: Math.min(innerHeight, c.bottom) - Math.max(s.bottom, c.top) }
    })()`)) as { summaryPx: number; chartsInViewPx: number }
    expect(summaryPx).toBeLessThanOrEqual(720 * 0.32)
    // the first row of charts whole (each at least 230 px tall)
    expect(chartsInViewPx).toBeGreaterThanOrEqual(230)
    expect(await page.evaluate(TEXT_PROBLEMS)).toEqual([])
    await page.keyboard.press('Escape')
    await summary.waitFor({ state: 'detached' })
    expect(dash.consoleErrors).toEqual([])
  })
})
