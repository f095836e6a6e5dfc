/**
 * The speaker's keys in Chromium against a real Lab: a run started, changed and stopped with no mouse, checked on
 * what a user sees (the run state, the switch, the panel, the overlay, where focus is) and on the Lab's settings.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Lab } from '../../src/main/lab/lab'
import { SHORTCUTS } from '../../src/renderer/src/keys'
import { openDashboard, showSettings, type Dashboard } from './browser'

let dash: Dashboard
let page: Page
let lab: Lab

/** the data-testid of what has focus, or "body" */
const focused = (): Promise<string> =>
  page.evaluate(
    'document.activeElement === document.body ? "body" : (document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName)'
  ) as Promise<string>
const running = (): Promise<string | null> => page.getByTestId('run-state').getAttribute('data-running')
const blur = (): Promise<unknown> => page.evaluate('document.activeElement?.blur()')

beforeAll(async () => {
  dash = await openDashboard()
  ;({ page, lab } = dash)
})

afterAll(async () => {
  await dash?.close()
})

describe('the dashboard from the keyboard', () => {
  it('loads, with the settings of a light run', async () => {
    await page.goto(dash.host.url)
    await expect.poll(() => page.getByTestId('start').isEnabled(), { timeout: 10_000 }).toBe(true)
    await showSettings(page)
    // a light run: the keys are the subject here, not the load
    for (const [testId, value] of [
      ['delay', '200'],
      ['concurrency', '10']
    ] as const) {
      await page.getByTestId(`input-${testId}`).fill(value)
      await page.getByTestId(`input-${testId}`).press('Enter')
    }
    await expect.poll(() => lab.status().settings.concurrency).toBe(10)
    await blur()
  })

  it('lists every key in an overlay that h opens and Esc closes', async () => {
    await page.keyboard.press('h')
    const overlay = page.getByTestId('shortcuts')
    await overlay.waitFor({ state: 'visible' })
    expect(await overlay.locator('.shortcut').count()).toBe(SHORTCUTS.length)
    expect(await overlay.locator('kbd').allTextContents()).toEqual([
      'Space',
      'Enter',
      'b',
      'p',
      'm',
      'g',
      'r',
      's',
      'f',
      'v',
      'o',
      'h',
      '?',
      'Esc'
    ])
    await page.keyboard.press('Escape')
    await overlay.waitFor({ state: 'detached' })
    await page.keyboard.press('?')
    await overlay.waitFor({ state: 'visible' })
    await page.keyboard.press('?')
    await overlay.waitFor({ state: 'detached' })
  })

  it('starts with Space and leaves focus on Stop, not on the page', async () => {
    await blur()
    await page.keyboard.press(' ')
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    await expect.poll(focused).toBe('stop')
  })

  it('turns blocking on and off with b, as the switch shows', async () => {
    await page.keyboard.press('b')
    await expect.poll(() => lab.status().settings.blocking).toBe(true)
    // the switch follows when the Lab's reply reaches the page, a moment after the Lab has it
    await expect.poll(() => page.getByTestId('toggle-blocking').isChecked()).toBe(true)
    await page.keyboard.press('b')
    await expect.poll(() => lab.status().settings.blocking).toBe(false)
    await expect.poll(() => page.getByTestId('toggle-blocking').isChecked()).toBe(false)
  })

  it('never acts on a key typed into a text field', async () => {
    const text = page.getByTestId('input-broadcast')
    await text.fill('')
    await text.focus()
    await page.keyboard.type('bs p h')
    await page.keyboard.press('Enter')
    expect(await text.inputValue()).toBe('bs p h')
    expect(lab.status().settings.blocking).toBe(false)
    expect(await page.locator('#controls').isVisible()).toBe(true)
    expect(await page.getByTestId('shortcuts').count()).toBe(0)
    expect(await running()).toBe('true')
  })

  it('walks the presets with p, and Enter applies the focused one to the running experiment', async () => {
    await blur()
    await page.keyboard.press('p')
    await expect.poll(focused).toBe('preset-classic')
    await page.keyboard.press('p')
    await expect.poll(focused).toBe('preset-blocking')
    await page.keyboard.press('p')
    await expect.poll(focused).toBe('preset-threads')
    await page.keyboard.press('Enter')
    await expect.poll(() => lab.status().settings.threads).toBe(10)
    expect(await running()).toBe('true')
  })

  it('hides and shows the settings panel with s', async () => {
    await page.keyboard.press('s')
    await expect.poll(() => page.locator('#controls').isVisible()).toBe(false)
    expect(await page.getByTestId('toggle-settings').textContent()).toMatch(/Show settings/)
    await page.keyboard.press('s')
    await expect.poll(() => page.locator('#controls').isVisible()).toBe(true)
  })

  it('enters presenter mode with v, full screen, where b still blocks, and leaves it with v or Esc', async () => {
    const presenter = (): Promise<string | null> => page.getByTestId('app').getAttribute('data-presenter')
    const fullscreen = (): Promise<unknown> => page.evaluate('document.fullscreenElement !== null')
    await blur()
    await page.keyboard.press('v')
    await expect.poll(presenter).toBe('true')
    await expect.poll(fullscreen).toBe(true)
    expect(await page.locator('#controls').isVisible()).toBe(false)
    // the run bar's essentials stay: the run state, and blocking, shown and switched by key
    expect(await running()).toBe('true')
    await page.keyboard.press('b')
    await expect.poll(() => page.getByTestId('presenter-blocking').textContent()).toBe('Blocking on')
    expect(lab.status().settings.blocking).toBe(true)
    await page.keyboard.press('b')
    await expect.poll(() => page.getByTestId('presenter-blocking').textContent()).toBe('Blocking off')
    expect(lab.status().settings.blocking).toBe(false)
    await page.keyboard.press('v')
    await expect.poll(presenter).toBe('false')
    await expect.poll(fullscreen).toBe(false)
    expect(await page.locator('#controls').isVisible()).toBe(true)
    await page.keyboard.press('v')
    await expect.poll(presenter).toBe('true')
    await page.keyboard.press('Escape')
    await expect.poll(presenter).toBe('false')
    await expect.poll(fullscreen).toBe(false)
  })

  it('writes a broadcast with m (Enter sends it) and resets the charts with r', async () => {
    await blur()
    await page.keyboard.press('m')
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('broadcast-text')
    // typing a letter key in the field types it: no shortcut fires while typing
    await page.keyboard.press('End')
    await page.keyboard.type(' b')
    expect(lab.status().settings.blocking).toBe(false)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#broadcast-help').textContent()).toMatch(/Sent\./)
    await blur()
    await expect.poll(async () => Number(await page.getByTestId('kpis').getAttribute('data-marks'))).toBeGreaterThan(0)
    await page.keyboard.press('r')
    await expect.poll(() => page.getByTestId('kpis').getAttribute('data-marks')).toBe('0')
    expect(await running()).toBe('true')
  })

  it('goes full screen with f and back with f', async () => {
    await blur()
    await page.keyboard.press('f')
    await expect.poll(() => page.evaluate('document.fullscreenElement !== null')).toBe(true)
    await page.keyboard.press('f')
    await expect.poll(() => page.evaluate('document.fullscreenElement !== null')).toBe(false)
  })

  it('stops with Enter, leaves focus on Start, and Esc closes the summary', async () => {
    await blur()
    await page.keyboard.press('Enter')
    await page.getByTestId('summary').waitFor({ state: 'visible', timeout: 20_000 })
    expect(await running()).toBe('false')
    await expect.poll(focused).toBe('start')
    await page.keyboard.press('Escape')
    await page.getByTestId('summary').waitFor({ state: 'detached' })
  })

  it('keeps focus on the button that now shows when Start and Stop are clicked', async () => {
    await page.getByTestId('start').click()
    await expect.poll(running, { timeout: 20_000 }).toBe('true')
    await expect.poll(focused).toBe('stop')
    await page.getByTestId('stop').click()
    await page.getByTestId('summary').waitFor({ state: 'visible', timeout: 20_000 })
    await expect.poll(focused).toBe('start')
    expect(dash.consoleErrors).toEqual([])
  })
})
