import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportHtml } from '../../src/shared/report/report-html'
import { fixtureRun } from '../helpers/run-fixture'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser'

let browser: Browser
let dir: string
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  dir = await mkdtemp(join(tmpdir(), 'loopscope-report-'))
})
afterAll(async () => {
  await browser?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the HTML report', () => {
  it('opens from file:// with the network off and shows its charts, its name as text, and runs nothing', async () => {
    const file = join(dir, 'report.html')
    const name = '<script>document.title="pwned"</script> evented vs blocking'
    await writeFile(file, reportHtml(fixtureRun({ name })))
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 720 } })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(pathToFileURL(file).href)

    for (const chart of ['requests', 'throughput', 'latency', 'loop']) {
      const svg = page.getByTestId(`report-chart-${chart}`)
      await expect.poll(async () => (await svg.boundingBox())?.height ?? 0).toBeGreaterThan(150)
    }
    const line = page.locator('[data-testid="report-chart-throughput"] path[data-series="measured"]')
    expect(await line.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/)
    expect(await page.locator('[data-testid="report-chart-loop"] rect[fill-opacity="0.12"]').count()).toBe(1)
    expect(await page.getByTestId('report-name').textContent()).toBe(name)
    expect(await page.title()).toBe(`Loopscope run — ${name}`)
    expect(await page.getByTestId('report-summary').textContent()).toContain('Requests per second33.20 req/s')
    await page.screenshot({ path: 'test-results/report.png', fullPage: true })
    expect(requests).toEqual([pathToFileURL(file).href])
    expect(errors).toEqual([])
    await context.close()
  })
})
