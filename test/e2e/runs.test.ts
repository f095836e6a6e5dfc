/**
 * The Runs view in Chromium against a real Lab whose runs are saved in a temp data folder (LOOPSCOPE_DATA_DIR):
 * two presets' runs listed under the presets' names, newest first; the summary's "Compare with the previous run";
 * rename; a saved run opened in the dashboard, marked as not live, with live frames kept out of it; a PNG of the
 * dashboard; the exports downloaded under their names; a bad import refused in the host's words with the list
 * unchanged; a dropped report taken; delete (asked twice); and two runs compared. Screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import { runsDir } from '../../src/main/runs/data-dir'
import { Runs } from '../../src/main/runs/runs'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { PRESETS } from '../../src/renderer/src/presets'
import { parseRunText } from '../../src/shared/run-file'
import { launchChromium, RENDERER_DIR } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
const CLASSIC = PRESETS.find((p) => p.id === 'classic')!
const THREADS = PRESETS.find((p) => p.id === 'threads')!
const RENAMED = 'Evented, 2 s wait'

let dir: string
let browser: Browser
let lab: Lab
let runs: Runs
let host: WebHost
let page: Page
const consoleErrors: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loopscope-runs-view-'))
  mkdirSync(SHOTS, { recursive: true })
  browser = await launchChromium()
  lab = new Lab()
  runs = new Runs({ dir: runsDir({ env: { LOOPSCOPE_DATA_DIR: dir } }) })
  runs.record(lab, 'test')
  host = await startWebHost({ lab, port: 0, rendererDir: RENDERER_DIR, runs })
  page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light', acceptDownloads: true })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
})

afterAll(async () => {
  await browser?.close()
  await host?.close()
  await lab?.close()
  await runs?.settled()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** the little of the DOM the page functions below use (the node side's tsconfig has no DOM types) */
interface Attributed {
  getAttribute(name: string): string | null
}
interface Boxed {
  getBoundingClientRect(): { width: number }
  scrollWidth: number
  parentElement: { clientWidth: number } | null
}

const rows = () => page.getByTestId('run-row')
const names = (): Promise<string[]> =>
  rows().evaluateAll((els: Attributed[]) => els.map((el) => el.getAttribute('data-name') ?? ''))
const row = (name: string) => page.locator(`[data-testid="run-row"][data-name="${name}"]`)
const framesDrawn = async (): Promise<number> =>
  Number(await page.getByTestId('kpis').getAttribute('data-frames-drawn'))
const savedCount = async (): Promise<number> => (await runs.list()).length
const idOf = async (name: string): Promise<string> => (await runs.list()).find((e) => e.name === name)!.id

/** A preset's run: started by its button, a few frames drawn, then Stop; resolves once the run is saved. */
async function runPreset(button: string): Promise<void> {
  const saved = await savedCount()
  await page.getByTestId(button).click()
  await expect.poll(() => page.getByTestId('run-state').getAttribute('data-running'), { timeout: 20_000 }).toBe('true')
  await expect.poll(framesDrawn, { timeout: 20_000 }).toBeGreaterThanOrEqual(3)
  await page.getByTestId('stop').click()
  await page.getByTestId('summary').waitFor()
  await expect.poll(savedCount, { timeout: 20_000 }).toBe(saved + 1)
}

async function showRuns(): Promise<void> {
  if (!(await page.getByTestId('runs-view').isVisible())) await page.getByTestId('show-runs').click()
  await page.getByTestId('runs-view').waitFor()
}

describe('the Runs view', () => {
  it('saves two presets’ runs under the presets’ names and lists them newest first', async () => {
    await page.goto(host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await runPreset(`start-preset-${CLASSIC.id}`)
    // the first run saved: there is no previous one to compare it with
    expect(await page.getByTestId('compare-previous').isDisabled()).toBe(true)
    await runPreset(`preset-${THREADS.id}`)
    // `o` opens the list from the dashboard
    await page.locator('body').press('o')
    await page.getByTestId('runs-view').waitFor()
    await expect.poll(names).toEqual([THREADS.title, CLASSIC.title])
    expect(await row(THREADS.title).getByTestId('run-rps').textContent()).toMatch(/\d/)
  })

  it('compares the run just ended with the one before it from the summary, in one click', async () => {
    // `o` again: back to where the user was
    await page.locator('body').press('o')
    await page.getByTestId('summary').waitFor()
    await expect.poll(() => page.getByTestId('compare-previous').isEnabled()).toBe(true)
    await page.getByTestId('compare-previous').click()
    await page.getByTestId('compare').waitFor()
    const legend = await page.getByTestId('compare-legend').textContent()
    expect(legend).toContain(CLASSIC.title)
    expect(legend).toContain(THREADS.title)
    await page.getByTestId('compare-close').click()
    await page.getByTestId('runs-view').waitFor()
  })

  it('renames a run inline: Esc leaves it as it was, Enter keeps the new name', async () => {
    await showRuns()
    await row(CLASSIC.title).getByTestId('run-rename').click()
    await page.getByTestId('run-name-input').fill('never kept')
    await page.getByTestId('run-name-input').press('Escape')
    expect(await names()).toEqual([THREADS.title, CLASSIC.title])
    await row(CLASSIC.title).getByTestId('run-rename').click()
    await page.getByTestId('run-name-input').fill(RENAMED)
    await page.getByTestId('run-name-input').press('Enter')
    await expect.poll(names).toEqual([THREADS.title, RENAMED])
    expect((await runs.list()).map((e) => e.name)).toEqual([THREADS.title, RENAMED])
  })

  it('opens a saved run in the dashboard, marked as not live, and live frames do not mix into it', async () => {
    await row(RENAMED).getByTestId('run-open').click()
    await page.getByTestId('saved-run').waitFor()
    expect(await page.getByTestId('saved-run').textContent()).toMatch(new RegExp(`^Saved run, not live: ${RENAMED}, `))
    const id = await idOf(RENAMED)
    const saved = await runs.get(id)
    const drawn = await framesDrawn()
    expect(drawn).toBe((await runs.list()).find((e) => e.id === id)!.frames)
    expect(await page.getByTestId('summary-completed').textContent()).toBe(
      saved.summary.completed.toLocaleString('en-US')
    )
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080]
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width, height })
        await page.emulateMedia({ colorScheme: scheme })
        await page.screenshot({ path: join(SHOTS, `saved-run-${width}x${height}-${scheme}.png`) })
      }
    }
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.emulateMedia({ colorScheme: 'light' })
    // a live run goes on meanwhile: the saved run's charts and tiles stay its own
    const liveFrame = new Promise<void>((resolve) => lab.once('frame', () => resolve()))
    await lab.start({ ...CLASSIC.patch })
    await liveFrame
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-running'), { timeout: 20_000 })
      .toBe('true')
    expect(await framesDrawn()).toBe(drawn)
    expect(await page.getByTestId('kpis').getAttribute('data-mode')).toBe('ended')
    await page.getByTestId('back-to-live').click()
    expect(await page.getByTestId('saved-run').count()).toBe(0)
    await expect.poll(() => page.getByTestId('kpis').getAttribute('data-mode')).toBe('live')
    const before = await savedCount()
    await page.getByTestId('stop').click()
    await expect.poll(savedCount, { timeout: 20_000 }).toBe(before + 1)
  })

  it('downloads a PNG of the dashboard at its size on screen', async () => {
    await showRuns()
    await row(THREADS.title).getByTestId('run-open').click()
    await page.getByTestId('saved-run').waitFor()
    const width = await page.locator('main.main').evaluate((el: Boxed) => Math.round(el.getBoundingClientRect().width))
    const next = page.waitForEvent('download')
    await page.getByTestId('saved-run').getByTestId('png').click()
    const download = await next
    expect(download.suggestedFilename()).toBe(`loopscope-${await idOf(THREADS.title)}.png`)
    const bytes = readFileSync(await download.path())
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    // IHDR: the width at byte 16 (the page's pixel ratio is 1)
    expect(bytes.readUInt32BE(16)).toBe(width)
    writeFileSync(join(SHOTS, 'runs-dashboard-export.png'), bytes)
  })

  it('gives way to a run started here: Start shows the live run, not the saved one', async () => {
    expect(await page.getByTestId('saved-run').count()).toBe(1)
    await page.getByTestId('start').click()
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-running'), { timeout: 20_000 })
      .toBe('true')
    expect(await page.getByTestId('saved-run').count()).toBe(0)
    await expect.poll(() => page.getByTestId('kpis').getAttribute('data-mode')).toBe('live')
    const before = await savedCount()
    await page.getByTestId('stop').click()
    await expect.poll(savedCount, { timeout: 20_000 }).toBe(before + 1)
  })

  it('exports a run as JSON, CSV and its HTML report, each downloaded under its name', async () => {
    await showRuns()
    const id = await idOf(THREADS.title)
    for (const format of ['json', 'csv', 'html'] as const) {
      const next = page.waitForEvent('download')
      await row(THREADS.title).getByTestId(`run-export-${format}`).click()
      const download = await next
      expect(download.suggestedFilename()).toBe(`loopscope-${id}.${format}`)
      const text = readFileSync(await download.path(), 'utf8')
      if (format === 'csv') expect(text.split('\n')[0]).toContain('throughput [req/s]')
      else expect(parseRunText(text, download.suggestedFilename()).name).toBe(THREADS.title)
    }
  })

  it('refuses a file that is not a run with the host’s words naming it, and changes nothing', async () => {
    const before = await names()
    const bad = join(dir, 'notes.json')
    writeFileSync(bad, JSON.stringify({ hello: 'world' }))
    await page.getByTestId('runs-import-file').setInputFiles(bad)
    await page.getByTestId('runs-error').waitFor()
    expect(await page.getByTestId('runs-error-text').textContent()).toBe(
      '"notes.json" is not a Loopscope run (it has no "format": "loopscope-run")'
    )
    expect(await page.getByTestId('runs-error').getAttribute('data-code')).toBe('LOOPSCOPE_ERR_RUNS_NOT_A_RUN')
    expect(await names()).toEqual(before)
    expect(await savedCount()).toBe(before.length)
  })

  it('imports a run’s HTML report dropped on the view', async () => {
    const report = (await runs.export(await idOf(THREADS.title), 'html')).text
    const before = (await names()).length
    // a script as text: the node side's tsconfig has no DOM types
    const drop = await page.evaluateHandle(
      `((html) => { const data = new DataTransfer(); data.items.add(new File([html], 'threads-report.html', { type: 'text/html' })); return data })(${JSON.stringify(report)})`
    )
    await page.getByTestId('runs-view').dispatchEvent('dragover', { dataTransfer: drop })
    await page.getByTestId('runs-view').dispatchEvent('drop', { dataTransfer: drop })
    await expect.poll(async () => (await names()).length).toBe(before + 1)
    expect(await page.getByTestId('runs-error').count()).toBe(0)
  })

  it('imports a gzipped run as the runs folder keeps it (.json.gz), unzipped in the page', async () => {
    const id = await idOf(THREADS.title)
    const before = (await names()).length
    await page.getByTestId('runs-import-file').setInputFiles(join(runs.store.dir, `${id}.json.gz`))
    await expect.poll(async () => (await names()).length).toBe(before + 1)
    expect(await page.getByTestId('runs-error').count()).toBe(0)
    expect((await names()).filter((n) => n === THREADS.title).length).toBe(3)
  })

  for (const [width, height] of [
    [1280, 720],
    [1920, 1080]
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`shows the whole list's width at ${width}×${height}, ${scheme}`, async () => {
        await page.setViewportSize({ width, height })
        await page.emulateMedia({ colorScheme: scheme })
        await page.screenshot({ path: join(SHOTS, `runs-view-${width}x${height}-${scheme}.png`) })
        expect(
          await page.getByTestId('runs-table').evaluate((t: Boxed) => t.scrollWidth <= t.parentElement!.clientWidth + 1)
        ).toBe(true)
      })
    }
  }

  it('deletes a run only when asked twice', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.emulateMedia({ colorScheme: 'light' })
    const before = await names()
    await row(RENAMED).getByTestId('run-delete').click()
    await row(RENAMED).getByTestId('run-delete-cancel').click()
    expect(await names()).toEqual(before)
    await row(RENAMED).getByTestId('run-delete').click()
    await row(RENAMED).getByTestId('run-delete-confirm').click()
    await expect.poll(names).toEqual(before.filter((n) => n !== RENAMED))
    expect((await runs.list()).some((e) => e.name === RENAMED)).toBe(false)
  })

  it('compares two selected runs: a series of each in every chart, and their summaries side by side', async () => {
    expect(await page.getByTestId('runs-compare').isDisabled()).toBe(true)
    const [a, b] = (await runs.list()).slice(0, 2)
    await page.locator(`[data-run-id="${a!.id}"]`).getByTestId('run-select').check()
    expect(await page.getByTestId('runs-compare').isDisabled()).toBe(true)
    await page.locator(`[data-run-id="${b!.id}"]`).getByTestId('run-select').check()
    await page.getByTestId('runs-compare').click()
    await page.getByTestId('compare').waitFor()
    const charts = await page.locator('[data-testid^="compare-chart-"]').all()
    expect(charts.length).toBe(4)
    for (const chart of charts) {
      const byRun = await chart
        .getByTestId('compare-series')
        .evaluateAll((els: Attributed[]) => [...new Set(els.map((el) => el.getAttribute('data-run')))])
      expect(byRun.sort()).toEqual([a!.id, b!.id].sort())
    }
    expect(await page.getByTestId('compare-table').isVisible()).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'runs-compare-1280x720-light.png') })
    expect(consoleErrors).toEqual([])
  })
})
