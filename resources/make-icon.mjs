// Renders resources/icon.svg to resources/icon.png (512×512) with the system's Chromium: `node resources/make-icon.mjs`.
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

const here = new URL('.', import.meta.url)
const svg = readFileSync(new URL('icon.svg', here), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu']
})
const page = await browser.newPage({ viewport: { width: 512, height: 512 } })
await page.setContent(
  `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="512" height="512" ')}</body></html>`
)
await page.screenshot({ path: new URL('icon.png', here).pathname, omitBackground: true })
await browser.close()
console.log('wrote resources/icon.png')
