/**
 * The attendee page in Chromium against a real Lab, shared on a port of its own: it follows over WebSocket, or
 * Server-Sent Events, or long polling where the better ones are missing, and says which; it follows the broadcast across
 * Stop and Start on the same port (run 2 counts from #1 again), says plainly that the speaker stopped the server,
 * says so while the loop is blocked, and fits a phone (390×844 and 360 wide, light and dark) with a status of at
 * least 16 px. Screenshots go to test-results/live-*.png.
 */
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Lab } from '../../src/main/lab/lab'
import type { SettingsPatch } from '../../src/shared/settings'
import { freePort } from '../helpers/free-port'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser'

const SHOTS = join(import.meta.dirname, '../../test-results')
const WAIT_MS = 30_000

let browser: Browser
let lab: Lab | null = null
beforeAll(async () => {
  // The page needs no renderer build, only Chromium.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await lab?.close()
  lab = null
})

async function sharedLab(patch: SettingsPatch = {}): Promise<{ lab: Lab; port: number }> {
  const port = await freePort()
  lab = new Lab()
  await lab.start({ share: true, sharePort: port, concurrency: 1, delayMs: 100, durationS: 600, ...patch })
  return { lab, port }
}

const item = (page: Page, id: number, text: string) => page.locator(`#list li[data-id="${id}"]`, { hasText: text })

/** every element wider than its own box (text cut or scrolled), by tag#id.class */
const OVERFLOWING = `[...document.querySelectorAll('body, body *')]
  .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth)
  .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + el.scrollWidth + '>' + el.clientWidth)`

/** whether the message field's placeholder fits inside it, padding aside */
const PLACEHOLDER_FITS = `(() => {
  const el = document.querySelector('#text'), cs = getComputedStyle(el), probe = document.createElement('span')
  probe.style.font = cs.font
  probe.style.whiteSpace = 'pre'
  probe.textContent = el.placeholder
  document.body.append(probe)
  const need = probe.getBoundingClientRect().width
  probe.remove()
  return need <= el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
})()`

describe('the attendee page (/live) on a shared port', () => {
  it("keeps following across Stop and Start on the same port, and takes run 2's #1 as new", async () => {
    const { lab, port } = await sharedLab()
    expect(new URL(lab.status().subjectUrl!).port).toBe(String(port))
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`http://127.0.0.1:${port}/live`)
    await lab.broadcast('a message in run one')
    await item(page, 1, 'a message in run one').waitFor({ timeout: WAIT_MS })
    await expect
      .poll(() => page.locator('#what').textContent(), { timeout: WAIT_MS })
      .toMatch(/held connection|connection the speaker/)
    await expect
      .poll(() => item(page, 1, 'run one').locator('.delay').textContent())
      .toMatch(/^delivered \d+\u00a0ms after it was sent$/)

    await lab.stop()
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
      .toMatch(/stopped the server — reconnecting…|Cannot reach/)
    expect(await page.locator('#status').textContent()).not.toMatch(/Failed to fetch/)

    await lab.start({})
    expect(new URL(lab.status().subjectUrl!).port).toBe(String(port))
    await lab.broadcast('a message in run two')
    // id 1 again: seen as the new run's, not dropped as a duplicate of run one's #1
    await item(page, 1, 'a message in run two').waitFor({ timeout: WAIT_MS })
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
      .toBe('Connected · waiting for the next message')
    expect(await item(page, 1, 'a message in run one').count()).toBe(1)
    expect(await page.locator('#list li.note', { hasText: 'new run' }).count()).toBe(1)
    await page.screenshot({ path: join(SHOTS, 'live-new-run-390x844.png') })
    await page.close()
  })

  it('says plainly that the speaker stopped the server, not "Failed to fetch"', async () => {
    const { lab, port } = await sharedLab()
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`http://127.0.0.1:${port}/live`)
    await lab.broadcast('hello')
    await item(page, 1, 'hello').waitFor({ timeout: WAIT_MS })
    await lab.stop()
    // the held request is answered as the subject closes, saying it is stopping
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
      .toBe('The speaker stopped the server — reconnecting…')
    await page.screenshot({ path: join(SHOTS, 'live-stopped-390x844.png') })
    await page.close()
  })

  it('says the server has not answered while its loop is blocked, and shows late messages as late', async () => {
    // The crowd asks for hello world (never blocking); one request of our own to /work holds the loop for 5 s, in
    // which a 1-s wait goes unanswered (its timer cannot fire) and a publish waits for the rest of the block.
    const { lab, port } = await sharedLab({ route: 'hello', blocking: true, delayMs: 5_000, pollTimeoutMs: 1_000 })
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`http://127.0.0.1:${port}/live`)
    await lab.broadcast('before the block')
    await item(page, 1, 'before the block').waitFor({ timeout: WAIT_MS })
    const stalled = new Promise<void>((resolve) => lab.on('frame', (f) => f.stallMs > 500 && resolve()))
    const block = fetch(`http://127.0.0.1:${port}/work`).catch(() => null)
    await stalled
    await lab.broadcast('during the block')
    await page
      .locator('#stuck')
      .filter({ hasText: /^The server has not answered for \d+\u00a0s — its event loop may be blocked\.$/ })
      .waitFor({ timeout: WAIT_MS })
    await page.screenshot({ path: join(SHOTS, 'live-blocked-390x844.png') })
    const late = item(page, 2, 'during the block').locator('.delay')
    await late.waitFor({ timeout: WAIT_MS })
    expect(Number(await late.getAttribute('data-delay-ms'))).toBeGreaterThan(1_000)
    expect(await late.getAttribute('class')).toContain('slow')
    // once the loop is free again, the line goes
    await page.locator('#stuck').waitFor({ state: 'hidden', timeout: WAIT_MS })
    await block
    await page.close()
  })

  it('follows over WebSocket first, and says so', async () => {
    const { lab, port } = await sharedLab()
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await page.goto(`http://127.0.0.1:${port}/live`)
    // the CSP's connect-src 'self' lets Chromium open ws:// to the same host: no fallback happened
    await expect.poll(() => page.locator('#via').getAttribute('data-transport'), { timeout: WAIT_MS }).toBe('websocket')
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
      .toBe('Connected · waiting for the next message')
    expect(await page.locator('#via').textContent()).toBe(
      'Receiving over WebSocket (if it cannot, Server-Sent Events, then long polling).'
    )
    await lab.broadcast('over a socket')
    await item(page, 1, 'over a socket').waitFor({ timeout: WAIT_MS })
    await expect
      .poll(() => item(page, 1, 'over a socket').locator('.delay').textContent())
      .toMatch(/^delivered \d+\u00a0ms after it was sent$/)
    expect(lab.status().subjectUrl).toBeTruthy()
    await page.close()
  })

  // A browser (or a proxy) without the better transport: the page falls back and still follows, with delays.
  for (const [missing, transport, words] of [
    [['WebSocket'], 'sse', 'Server-Sent Events (if it cannot, long polling).'],
    [['WebSocket', 'EventSource'], 'long-poll', 'long polling.']
  ] as const) {
    it(`falls back to ${transport} without ${missing.join(' and ')}, says so, and follows`, async () => {
      const { lab, port } = await sharedLab()
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
      await page.addInitScript(`for (const name of ${JSON.stringify(missing)}) delete window[name]`)
      await page.goto(`http://127.0.0.1:${port}/live`)
      await expect.poll(() => page.locator('#via').getAttribute('data-transport'), { timeout: WAIT_MS }).toBe(transport)
      expect(await page.locator('#via').textContent()).toBe(`Receiving over ${words}`)
      // A first wait is answered only by a message: once the page is held (or streaming), the broadcast comes.
      let subscribed = false
      // (the frame's block is `longPoll` here and `push` once push-crowd's frames land: read whichever it has)
      const heldIn = (f: object): number => {
        const parts = f as { longPoll?: { held: number } | null; push?: { held: number } | null }
        return (parts.push ?? parts.longPoll)?.held ?? 0
      }
      lab.on('frame', (f) => void (subscribed ||= heldIn(f) > 0 || transport === 'sse'))
      await expect.poll(() => subscribed, { timeout: WAIT_MS }).toBe(true)
      if (transport === 'sse')
        await expect
          .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
          .toBe('Connected · waiting for the next message')
      await lab.broadcast(`over ${transport}`)
      await item(page, 1, `over ${transport}`).waitFor({ timeout: WAIT_MS })
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS })
        .toBe('Connected · waiting for the next message')
      await expect
        .poll(() => item(page, 1, transport).locator('.delay').textContent())
        .toMatch(/^delivered \d+\u00a0ms after it was sent$/)
      await expect
        .poll(() => page.locator('#what').textContent(), { timeout: WAIT_MS })
        .toMatch(/held connection|connection the speaker/)
      await page.screenshot({ path: join(SHOTS, `live-${transport}-390x844.png`) })
      await page.close()
    })
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, height] of [
      [390, 844],
      [360, 740]
    ] as const) {
      it(`fits ${width}×${height} (${colorScheme}): nothing wider than its box, status at least 16 px`, async () => {
        if (lab === null) await sharedLab()
        const port = Number(new URL(lab!.status().subjectUrl!).port)
        const page = await browser.newPage({ viewport: { width, height }, colorScheme })
        await page.goto(`http://127.0.0.1:${port}/live`)
        await lab!.broadcast(`${'x'.repeat(120)} a long word first, then ordinary words to wrap`)
        await lab!.broadcast('Hello from the speaker 👋')
        await page.locator('#list li[data-id]').nth(1).waitFor({ timeout: WAIT_MS })
        await expect
          .poll(() => page.locator('#what').textContent(), { timeout: WAIT_MS })
          .toMatch(/held connection|connection the speaker/)
        await page.screenshot({ path: join(SHOTS, `live-${width}x${height}-${colorScheme}.png`) })
        expect(await page.evaluate(OVERFLOWING)).toEqual([])
        const px = (sel: string): Promise<number> =>
          page.evaluate(`parseFloat(getComputedStyle(document.querySelector('${sel}')).fontSize)`)
        expect(await px('#status')).toBeGreaterThanOrEqual(16)
        expect(await px('#what')).toBeGreaterThanOrEqual(16)
        // the placeholder fits its field
        const fits = await page.evaluate(PLACEHOLDER_FITS)
        expect(fits).toBe(true)
        await page.close()
      })
    }
  }
})
