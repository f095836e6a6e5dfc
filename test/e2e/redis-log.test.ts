/**
 * The broadcast log on Redis in Chromium, as a presenter sees it: Message log "Redis" chosen in the form with a URL
 * of the user's own server (its password shown as ***); the line under the tiles says what the log holds; Redis
 * stopped mid-run turns it red and brings the coded banner, and Redis back clears the banner while the line keeps the
 * count. Needs redis-server (`.ci/run` installs it).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedisServer, type RedisServer } from '../../src/main/lab/redis-server'
import { openDashboard, showSettings, type Dashboard } from './browser'

const RESULTS = join(import.meta.dirname, '../../test-results')
const dir = mkdtempSync(join(tmpdir(), 'loopscope-e2e-redis-'))
let redis: RedisServer
let dash: Dashboard
let page: Page

beforeAll(async () => {
  redis = await startRedisServer(dir)
  dash = await openDashboard({ lab: { redisDir: join(dir, 'lab') } })
  page = dash.page
  await page.goto(dash.host.url)
  await page.getByTestId('start').waitFor()
})

afterAll(async () => {
  await dash?.close()
  await redis?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const note = () => page.getByTestId('log-note')

describe('the message log on Redis, in the dashboard', () => {
  it('takes Redis and a URL from the form, and shows the password as ***', async () => {
    await showSettings(page)
    await page.getByTestId('choice-store-redis').click()
    // the app stays on screen: the page itself never scrolls (its hidden radios and screen-reader text once made it
    // taller than the window, and choosing a field far down scrolled the app away, leaving a blank window)
    expect(
      await page.evaluate('[window.scrollY, document.documentElement.scrollHeight <= window.innerHeight]')
    ).toEqual([0, true])
    const field = page.getByTestId('input-redis-url')
    await field.fill(redis.url)
    await field.press('Enter')
    await expect.poll(() => dash.lab.status().settings.redisUrl).toBe(redis.url)
    // once the user leaves the field, it shows the URL with its password hidden
    await field.blur()
    await expect.poll(() => field.inputValue()).toBe(`redis://:***@127.0.0.1:${redis.port}`)
    // the database edited with the *** left in place keeps the real password; another server does not get it
    await field.fill(`redis://:***@127.0.0.1:${redis.port}/0`)
    await field.press('Enter')
    await expect.poll(() => dash.lab.status().settings.redisUrl).toBe(`${redis.url}/0`)
    await field.fill(`redis://:***@127.0.0.1:${redis.port + 1}`)
    await field.press('Enter')
    await expect.poll(() => dash.lab.status().settings.redisUrl).toBe(`redis://:***@127.0.0.1:${redis.port + 1}`)
    // back to the server's URL as it is
    await field.fill(redis.url)
    await field.press('Enter')
    await expect.poll(() => dash.lab.status().settings.redisUrl).toBe(redis.url)
  })

  it('says what the log holds, turns red while Redis is away with the coded banner, and clears the banner when it is back', async () => {
    await dash.lab.update({ route: 'hello', concurrency: 1, durationS: 120, subscribers: 50, publishRatePerS: 5 })
    await page.getByTestId('start').click()
    await expect
      .poll(() => note().textContent(), { timeout: 15_000 })
      .toMatch(/^Message log on Redis: (started empty|[\d,]+ messages? kept)/)
    expect(await note().getAttribute('data-down')).toBe('false')

    await redis.stop()
    await expect.poll(() => note().getAttribute('data-down'), { timeout: 15_000 }).toBe('true')
    expect(await note().textContent()).toContain('unreachable')
    await expect
      .poll(() => page.locator('[data-testid="banner"][data-code="LOOPSCOPE_ERR_STORE_LOST"]').count(), {
        timeout: 15_000
      })
      .toBe(1)
    mkdirSync(RESULTS, { recursive: true })
    await page.screenshot({ path: join(RESULTS, 'redis-away.png') })

    redis = await startRedisServer(dir, undefined, { port: redis.port, password: redis.password })
    await expect.poll(() => note().getAttribute('data-down'), { timeout: 20_000 }).toBe('false')
    expect(await note().textContent()).toContain('went away 1× during the run')
    await expect
      .poll(() => page.locator('[data-testid="banner"][data-code="LOOPSCOPE_ERR_STORE_LOST"]').count())
      .toBe(0)
    await page.getByTestId('stop').click()
    await expect.poll(() => dash.lab.status().running, { timeout: 20_000 }).toBe(false)
    expect(dash.consoleErrors).toEqual([])
  })
})
