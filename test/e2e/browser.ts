/** Chromium for the browser tests: Debian's package through playwright-core. Missing → a clear failure, never a skip. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Lab, type LabOptions } from '../../src/main/lab/lab'
import type { Runs } from '../../src/main/runs/runs'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import type { Settings } from '../../src/shared/settings'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
export const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer')

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it (apt-get install -y chromium, or set CHROMIUM_PATH).`
    )
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      `The renderer is not built (no ${RENDERER_DIR}/index.html): run "npx electron-vite build" first (npm test does).`
    )
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/** Opens the settings panel, which the first screen keeps closed until a run starts or it is asked for. */
export async function showSettings(page: Page): Promise<void> {
  if (!(await page.locator('#controls').isVisible())) await page.getByTestId('toggle-settings').click()
  await page.locator('#controls').waitFor({ state: 'visible' })
}

/**
 * Every text among `selector` wider than its own box (cut), or reaching past the `box` it is in; with `onScreen`,
 * every such box that reaches below the window too. Empty when nothing is cut.
 */
export function cutTexts(page: Page, opts: { selector: string; box: string; onScreen?: boolean }): Promise<string[]> {
  // a script as text: the node side's tsconfig has no DOM types
  return page.evaluate(`(({ selector, box, onScreen }) => {
    const out = []
    for (const el of document.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect()
      if (r.width === 0) continue
      const text = el.textContent.slice(0, 40)
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push('cut: ' + text)
      const outer = el.closest(box)
      if (outer && outer !== el && r.right > outer.getBoundingClientRect().right + 0.5) out.push('past its box: ' + text)
      if (onScreen && el.matches(box) && r.bottom > window.innerHeight + 0.5) out.push('below the window: ' + text)
    }
    return out
  })(${JSON.stringify(opts)})`) as Promise<string[]>
}

/** A real Lab behind the browser-mode host, and a Chromium page at projector size that records console errors. */
export interface Dashboard {
  browser: Browser
  lab: Lab
  host: WebHost
  page: Page
  consoleErrors: string[]
  close(): Promise<void>
}

/** `runs`: a store the host serves the Runs view from, recording this Lab's runs; `viewport`: 1600×1000 unless given. */
export async function openDashboard(
  opts: { runs?: Runs; viewport?: { width: number; height: number }; lab?: LabOptions } = {}
): Promise<Dashboard> {
  const browser = await launchChromium()
  const lab = new Lab(opts.lab)
  opts.runs?.record(lab, 'test')
  const host = await startWebHost({ lab, port: 0, rendererDir: RENDERER_DIR, ...(opts.runs && { runs: opts.runs }) })
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1600, height: 1000 }, colorScheme: 'light' })
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  return {
    browser,
    lab,
    host,
    page,
    consoleErrors,
    async close() {
      await browser.close()
      await host.close()
      await lab.close()
    }
  }
}

/**
 * A dashboard at 1280×720 running blocking work, set up as a user would: each field typed into the settings form
 * and entered, Block the event loop switched on once `entered` says the Lab has the fields, Start pressed.
 */
export async function openBlockingRun(
  fields: readonly (readonly [testId: string, value: string])[],
  entered: (settings: Settings) => boolean
): Promise<Dashboard> {
  const dash = await openDashboard({ viewport: { width: 1280, height: 720 } })
  const { page, lab } = dash
  await page.goto(dash.host.url)
  await page.getByTestId('start').and(page.locator(':enabled')).waitFor({ timeout: 10_000 })
  await showSettings(page)
  for (const [testId, value] of fields) {
    await page.getByTestId(`input-${testId}`).fill(value)
    await page.getByTestId(`input-${testId}`).press('Enter')
  }
  for (let tries = 0; !entered(lab.status().settings) && tries < 50; tries++) await page.waitForTimeout(100)
  await page.getByTestId('toggle-blocking').click()
  await page.getByTestId('start').click()
  return dash
}
