/**
 * The comparison's cost, in Chromium: two 10-minute runs (6,000 frames each, tiled from a short real run as
 * bench/runs.ts does) are in the page as their JSON texts; the clock runs from there to the comparison drawn —
 * parse and check both (parseRunText), decode the frames, reduce each run to the plots' width, render CompareView
 * (four charts, legend, table) and the next paint. Goal: ≤ 500 ms. Figures, never assertions.
 *
 * The page is CompareView alone, built with the renderer's own Vite and React plugin from a virtual entry (the app
 * reaches it through the Runs view, which needs a lab and saved runs; here only the comparison is timed).
 *
 *   npx tsx bench/run.ts compare            (needs Chromium at /usr/bin/chromium)
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { chromium, type Page } from 'playwright-core'
import { build, type Plugin } from 'vite'
import { runToJson, type RunFile } from '../src/shared/run-file'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/browser'
import { shortRealRun, tile } from './runs'

const GOAL_MS = 500
const fast = process.env.LOOPSCOPE_BENCH_FAST === '1'
const RENDERER_SRC = resolve(import.meta.dirname, '../src/renderer/src')
const ENTRY = 'virtual:compare-page'

/** The page's script: CompareView mounted on demand, timed from the runs' texts to the first paint after it. */
const entrySource = `
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { flushSync } from 'react-dom'
import { parseRunText } from ${JSON.stringify(resolve(RENDERER_SRC, '../../shared/run-file.ts'))}
import { CompareView } from ${JSON.stringify(join(RENDERER_SRC, 'compare/CompareView.tsx'))}
import ${JSON.stringify(join(RENDERER_SRC, 'styles.css'))}
let root = null
const drawn = (n) => {
  const charts = [...document.querySelectorAll('[data-testid^="compare-chart-"]')]
  const paths = document.querySelectorAll('[data-testid="compare-series"]').length
  return document.querySelector('[data-testid="compare-table"]') && paths >= n && charts.length === 4 && charts.every((c) => Number(c.getAttribute('data-points')) > 0)
}
window.showCompare = (texts, presenter) =>
  new Promise((done) => {
    const t0 = performance.now()
    const runs = texts.map((text, i) => parseRunText(text, 'run ' + (i + 1)))
    const parsedMs = performance.now() - t0
    root?.unmount()
    root = createRoot(document.getElementById('root'))
    flushSync(() => root.render(createElement(CompareView, { runs, onClose: () => {}, presenter })))
    // 6 series a run (in flight; measured, theory; p99; stall, delay): wait until every one has its path, then a paint
    const wait = () => (drawn(texts.length * 6) ? requestAnimationFrame(() => setTimeout(() => done({ totalMs: performance.now() - t0, parsedMs }))) : requestAnimationFrame(wait))
    wait()
  })
`

function virtualEntry(): Plugin {
  return {
    name: 'loopscope:compare-page',
    resolveId: (id) => (id === ENTRY ? `\0${ENTRY}` : null),
    load: (id) => (id === `\0${ENTRY}` ? entrySource : null)
  }
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' }

/** Builds the page into a temporary folder and serves it on 127.0.0.1 (module scripts do not load from file://). */
export async function serveComparePage(): Promise<{ url: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'loopscope-compare-page-'))
  await build({
    configFile: false,
    root: resolve(RENDERER_SRC, '..'),
    logLevel: 'warn',
    plugins: [react(), virtualEntry()],
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: process.env.LOOPSCOPE_BENCH_MINIFY !== '0',
      chunkSizeWarningLimit: 2048,
      rollupOptions: { input: ENTRY, output: { entryFileNames: 'page.js', assetFileNames: '[name][extname]' } }
    }
  })
  const css = (await readdir(dir)).filter((f) => f.endsWith('.css'))
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Compare</title>${css.map((f) => `<link rel="stylesheet" href="/${f}">`).join('')}</head><body style="padding: 12px 16px"><div id="root"></div><script type="module" src="/page.js"></script></body></html>`
  await writeFile(join(dir, 'index.html'), html)
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0]!
    readFile(join(dir, name.replace(/\.\.+/g, '')))
      .then((body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body)
      )
      .catch(() => res.writeHead(404).end())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise((r) => server.close(r))
      await rm(dir, { recursive: true, force: true })
    }
  }
}

export interface CompareTiming {
  /** from the texts to the paint, ms */
  totalMs: number
  /** of which parsing and checking the texts (parseRunText) */
  parsedMs: number
}

/** Shows the comparison of `runs` in the page; resolves with the time from the texts to the paint. */
export async function showCompare(page: Page, runs: readonly RunFile[], presenter = false): Promise<CompareTiming> {
  await page.evaluate((texts) => ((globalThis as unknown as { texts: string[] }).texts = texts), runs.map(runToJson))
  return page.evaluate(
    (p) =>
      (globalThis as unknown as { showCompare(t: string[], p: boolean): Promise<CompareTiming> }).showCompare(
        (globalThis as unknown as { texts: string[] }).texts,
        p
      ),
    presenter
  )
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export async function benchCompare(): Promise<string[]> {
  const real = await shortRealRun()
  const a = { ...tile(real, 6_000), id: 'bench-a', name: 'A: 10 minutes' }
  const b = { ...tile(real, 6_000), id: 'bench-b', name: 'B: 10 minutes' }
  const mib = (run: RunFile): string => (Buffer.byteLength(runToJson(run)) / 1024 / 1024).toFixed(1)
  const page = await serveComparePage()
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  try {
    const tab = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await tab.goto(page.url)
    const timings: CompareTiming[] = []
    for (let i = 0; i < (fast ? 3 : 7); i++) timings.push(await showCompare(tab, [a, b]))
    const times = timings.map((t) => t.totalMs)
    const points = await tab.$$eval('[data-testid^="compare-chart-"]', (charts) =>
      charts.map((c) => Number(c.getAttribute('data-points')))
    )
    return [
      `  two 10-min runs (6,000 frames each, JSON ${mib(a)} + ${mib(b)} MiB), 1920×1080: points drawn per chart ${points.join(', ')}`,
      `  texts → comparison drawn (parse, check, decode, reduce, render, paint): first ${times[0]!.toFixed(0)} ms, ` +
        `median of ${times.length} ${median(times).toFixed(0)} ms, ${(median(times) / GOAL_MS).toFixed(2)}× the goal of ${GOAL_MS} ms ` +
        `(of which parsing and checking both texts: median ${median(timings.map((t) => t.parsedMs)).toFixed(0)} ms)`
    ]
  } finally {
    await browser.close()
    await page.close()
  }
}
