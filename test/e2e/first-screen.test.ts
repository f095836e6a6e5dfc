/**
 * The first screen in Chromium against a real Lab: it shows where to begin (the lesson and preset cards, nothing cut
 * at 1280×720 and 1920×1080, light and dark), with the settings one click away; a preset says whether it starts a
 * run or changes the one on now; non-default settings are marked and Reset to defaults puts them back; and a
 * lesson's settings do not leak into the next run. (A refusal in the form's words, cleared once the field is valid,
 * is dashboard.test.ts's.) Screenshots go to test-results/.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import { LESSONS } from '../../src/renderer/src/lessons'
import { OPEN_CLOSED } from '../../src/renderer/src/lessons/open-closed'
import { PRESETS } from '../../src/renderer/src/presets'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import { cutTexts, openDashboard, type Dashboard } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
let dash: Dashboard
let page: Page
let lab: Lab

/** every text of the first screen wider than its box or past its card, and every card below the window */
const cutInCards = (): Promise<string[]> =>
  cutTexts(page, { selector: '.start, .start *', box: '.card', onScreen: true })

const running = (): Promise<string | null> => page.getByTestId('run-state').getAttribute('data-running')

beforeAll(async () => {
  dash = await openDashboard()
  ;({ page, lab } = dash)
  mkdirSync(SHOTS, { recursive: true })
})

afterAll(async () => {
  await dash?.close()
})

describe('the first screen', () => {
  it('shows the lessons and the presets, each with what it shows and how long it takes, and not the settings form', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await page.getByTestId('start-screen').isVisible()).toBe(true)
    expect(await page.locator('#controls').isVisible()).toBe(false)
    expect(await page.getByTestId('kpis').count()).toBe(0)
    for (const lesson of LESSONS) {
      const card = page.getByTestId(`card-lesson-${lesson.id}`)
      expect(await card.locator('.card-text').textContent()).toBe(lesson.summary)
      expect(await card.locator('.card-length').textContent()).toMatch(
        /^\d+ steps( · about \d+ (s|min)| in one run, which lasts until you stop it$)/
      )
    }
    // 1000 requests at c / delay = 100 / 2 s = 50 req/s
    expect(await page.getByTestId('card-preset-classic').locator('.card-length').textContent()).toBe('about 20 s')
    expect(await page.getByTestId('card-preset-open').locator('.card-length').textContent()).toBe('up to 10 min')
  })

  for (const [width, height] of [
    [1280, 720],
    [1920, 1080]
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`cuts nothing on the cards at ${width}×${height}, ${scheme}`, async () => {
        await page.setViewportSize({ width, height })
        await page.emulateMedia({ colorScheme: scheme })
        await page.waitForTimeout(200)
        await page.screenshot({ path: join(SHOTS, `first-screen-${width}x${height}-${scheme}.png`) })
        expect(await cutInCards()).toEqual([])
      })
    }
  }

  it('opens the settings with one click, marks what differs from the defaults, and resets it', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.getByTestId('toggle-settings').click()
    expect(await page.locator('#controls').isVisible()).toBe(true)
    expect(await page.getByTestId('changed-delay').count()).toBe(0)
    const delay = page.getByTestId('input-delay')
    await delay.fill('300')
    await delay.press('Enter')
    await expect.poll(() => lab.status().settings.delayMs).toBe(300)
    await page.getByTestId('changed-delay').waitFor()
    expect(await page.getByTestId('field-delay').locator('.field-help').textContent()).toContain('default 2,000 ms')
    expect(await page.getByTestId('defaults-state').textContent()).toMatch(/1 setting differs .*Delay/)
    await page.getByTestId('reset-defaults').click()
    await expect.poll(() => lab.status().settings).toEqual(DEFAULT_SETTINGS)
    await expect.poll(() => page.getByTestId('changed-delay').count()).toBe(0)
    await page.screenshot({ path: join(SHOTS, 'first-screen-settings-1280x720.png') })
    await page.getByTestId('toggle-settings').click()
  })

  it('says "Start" on a preset when idle and "Change this run" while one runs', async () => {
    const classic = PRESETS.find((p) => p.id === 'classic')!
    const card = page.getByTestId('start-preset-classic')
    expect(await card.textContent()).toBe(`▶ Start: ${classic.short}`)
    await card.click()
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    // the run is on: the dashboard shows it, and every preset now offers to change it
    await page.getByTestId('kpis').waitFor()
    expect(await page.getByTestId('preset-threads').textContent()).toMatch(/^Change this run to: /)
    await page.getByTestId('show-start').click()
    expect(await page.getByTestId('start-preset-threads').textContent()).toBe('↻ Apply to this run')
    expect(await page.getByTestId('start-preset-threads').getAttribute('data-action')).toBe('change')
    await page.screenshot({ path: join(SHOTS, 'first-screen-running-1280x720.png') })
    expect(await cutInCards()).toEqual([])
    await page.getByTestId('start-preset-threads').click()
    await expect.poll(() => lab.status().settings.threads).toBe(10)
    expect(lab.status().running).toBe(true)
    await page.getByTestId('stop').click()
    await expect.poll(running, { timeout: 20_000 }).toBe('false')
    expect(await page.getByTestId('preset-threads').textContent()).toMatch(/^▶ Start: /)
  })

  it("does not carry a lesson step's settings into the next run", async () => {
    // the next run's settings before the lesson: the 2-s experiment with a pool of 10, as the last run left them
    const before = lab.status().settings
    expect(before).toMatchObject({ work: 'wait', threads: 10 })
    await page.getByTestId('show-start').click()
    await page.getByTestId(`start-lesson-${OPEN_CLOSED.id}`).click()
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    // step 1 computes (work = CPU) on a blocked loop; the lesson panel is open beside it
    expect(lab.status().settings).toMatchObject({ work: 'cpu', blocking: true, delayMs: 20 })
    expect(await page.getByTestId('lesson').getAttribute('data-step')).toBe(OPEN_CLOSED.steps[0]!.id)
    await page.getByTestId('stop').click()
    await page.getByTestId('lesson-settings-note').waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('lesson-settings-note').textContent()).toMatch(
      /back to what they were before the lesson \(.*Work/
    )
    await page.screenshot({ path: join(SHOTS, 'first-screen-lesson-ended-1280x720.png') })
    await page.getByTestId('start').click()
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    expect(lab.status().settings).toEqual(before)
    await page.getByTestId('stop').click()
    await expect.poll(running, { timeout: 20_000 }).toBe('false')
  })

  it("keeps a lesson step's settings for Restart after its subject dies, and puts them back when that run ends", async () => {
    const before = lab.status().settings
    await page.getByTestId('show-start').click()
    await page.getByTestId(`start-lesson-${OPEN_CLOSED.id}`).click()
    await expect.poll(() => lab.status().subjectPid, { timeout: 20_000 }).toBeTypeOf('number')
    process.kill(lab.status().subjectPid!, 'SIGKILL')
    const restart = page.getByTestId('restart')
    await restart.waitFor({ timeout: 20_000 })
    expect(lab.status().settings.work).toBe('cpu')
    expect(await page.getByTestId('lesson-settings-note').count()).toBe(0)
    await restart.click()
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    expect(lab.status().settings).toMatchObject({ work: 'cpu', delayMs: 20 })
    await page.getByTestId('stop').click()
    await page.getByTestId('lesson-settings-note').waitFor({ timeout: 20_000 })
    await expect.poll(() => lab.status().settings).toEqual(before)
    expect(dash.consoleErrors).toEqual([])
  })
})
