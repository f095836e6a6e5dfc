/**
 * The renderer's cost, measured in Chromium on the real code path: synthetic frames (shaped like a run of the
 * classic experiment, with stalls and settings marks) go from a stand-in Lab through the browser-mode host, the
 * WebSocket, the LabClient, the frames store and React into the Recharts charts.
 *
 * - apply time: per frame, performance.now() from the frame's arrival in the page to a macrotask after its store
 *   update (so React's render, commit and effects are inside, the charts' included: they render in the same commit
 *   as the KPI tiles); median and p95. Goal: median ≤ 8 ms.
 * - JS heap (CDP Performance.getMetrics JSHeapUsedSize, after a forced GC) after 1 minute of frames and after 5;
 *   the window holds 600 rows, so the two should match within noise.
 *
 * Default: 10 Hz for 5 minutes, as in a run. LOOPSCOPE_BENCH_FAST=1: the same 3000 frames applied back to back in
 * the page (each awaited), skipping the transport — minutes of frames in seconds.
 *
 *   npx tsx bench/renderer.ts            (needs `npx electron-vite build` and Chromium at /usr/bin/chromium)
 */
import { EventEmitter } from 'node:events'
import { availableParallelism, loadavg } from 'node:os'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type CDPSession, type Page } from 'playwright-core'
import type { LabLike } from '../src/main/control'
import { startWebHost } from '../src/main/web/host'
import type { LabStatus } from '../src/shared/contract'
import { STALL_THRESHOLD_MS, type Frame, type Mark, type RateWindow } from '../src/shared/frame'
import type { BlockedStack } from '../src/shared/blocked-stack'
import { DEFAULT_SETTINGS } from '../src/shared/settings'
import { TIMELINE_REPORT_MAX_BARS, type TimelineDelta } from '../src/shared/timeline'
import { CHROMIUM_ARGS, CHROMIUM_PATH, RENDERER_DIR } from '../test/e2e/browser'

// the browser tests' Chromium, its flags and the built renderer: the bench measures what they drive
const CHROMIUM = CHROMIUM_PATH
const FRAMES_PER_MIN = 600
const TOTAL_FRAMES = 5 * FRAMES_PER_MIN
const GOAL_MEDIAN_MS = 8

const WINDOW_MS = 5000
const SETTLE_MS = 4000

/** The rate window 2-s-delay frames carry: settling for 4 s after each change (every 30 s), then growing to 5 s. */
function syntheticWindow(t: number): RateWindow {
  const sinceMs = t % 30_000
  if (sinceMs < SETTLE_MS) return { windowMs: WINDOW_MS, spanMs: sinceMs, state: 'settling' }
  if (sinceMs < WINDOW_MS) return { windowMs: WINDOW_MS, spanMs: sinceMs, state: 'since-change' }
  return { windowMs: WINDOW_MS, spanMs: WINDOW_MS, state: 'full' }
}

/** LOOPSCOPE_BENCH_TIMELINE=0: frames without a timeline (the swimlane's cost is the difference). */
const WITH_TIMELINE = process.env.LOOPSCOPE_BENCH_TIMELINE !== '0'

/**
 * The timeline's worst sustained case: a full report's sample (100 bars) in every frame, so the swimlane always
 * holds its bound (TIMELINE_MAX_BARS lanes) and lays them all out again each frame. Bars shaped like the 2-s
 * experiment's: sent 2 s before, a short wait to be read, working, written now.
 */
function syntheticTimeline(t: number): TimelineDelta {
  const bars = Array.from({ length: TIMELINE_REPORT_MAX_BARS }, (_, k) => {
    const at = t - 100 + k
    return {
      sentAt: at - 2010,
      readAt: at - 2008,
      handlerAt: at - 2008,
      workStartAt: at - 2008,
      workEndAt: at - 1,
      where: 'loop',
      writtenAt: at
    }
  })
  return { bars, answered: 1000 }
}

const BENCH_STACK: BlockedStack = {
  frames: [
    { functionName: 'waitBlocking', file: 'pool-task.js', line: 16, column: 3, kind: 'user' },
    { functionName: 'workHandler', file: 'routes.ts', line: 15, column: 5, kind: 'user' }
  ],
  native: null
}

/**
 * A frame of a plausible run at time index i (100 ms apart): load, a stall every 20 s, a settings mark every 30 s
 * (after which the rates settle: null, as the host sends them), the run's maxima so far, and each request's timeline.
 */
export function syntheticFrame(i: number): Frame {
  const t = i * 100
  const s = t / 1000
  const stallPhase = s % 20
  const stallMs = stallPhase > 15 && stallPhase < 17 ? (stallPhase - 15) * 1000 : 2 + (i % 7)
  const stalled = stallMs > STALL_THRESHOLD_MS
  const queued = stalled ? 60 + (i % 40) : i % 5
  const wave = Math.sin(i / 30)
  const marks: Mark[] =
    i > 0 && i % 300 === 0
      ? [{ t, label: i % 600 === 0 ? 'blocking off' : 'blocking on', patch: { blocking: i % 600 !== 0 } }]
      : []
  const window = syntheticWindow(t)
  const settling = window.state === 'settling'
  return {
    t,
    inFlight: 100,
    active: 100 - queued,
    queued,
    window,
    rps: settling ? null : 48 + 3 * wave,
    errorsPerS: settling ? null : 0,
    latencyMs: { p50: 2005 + 10 * wave, p90: 2012, p99: 2020 + stallMs, max: 2030 + stallMs },
    loopDelayP99Ms: 1.2 + Math.abs(wave),
    loopUtilization: 0.02 + 0.01 * Math.abs(wave),
    stallMs,
    stalled,
    blockedStack: stalled ? BENCH_STACK : null,
    loopTurnsPerS: stalled ? 0 : 900 + 100 * wave,
    eventsPerTurn: stalled ? null : 1.1,
    theoryRps: 50,
    rssBytes: 80e6,
    completed: Math.round(s * 50),
    errors: 0,
    maxInFlight: 100,
    // the largest queue and stall so far: the first stall (15–17 s) reaches ~2 s with up to 99 queued
    maxQueued: s < 15 ? 4 : 99,
    maxStallMs: s < 15 ? 8 : Math.max(8, Math.min(s - 15, 2) * 1000),
    marks,
    push: null,
    timeline: WITH_TIMELINE ? syntheticTimeline(t) : null
  }
}

class SyntheticLab extends EventEmitter implements LabLike {
  status(): LabStatus {
    return {
      running: true,
      settings: DEFAULT_SETTINGS,
      subjectUrl: 'http://127.0.0.1:0',
      subjectPid: null,
      sharedUrls: []
    }
  }
  async start(): Promise<LabStatus> {
    return this.status()
  }
  async update(): Promise<LabStatus> {
    return this.status()
  }
  async stop(): Promise<null> {
    return null
  }
  async broadcast(): Promise<null> {
    return null
  }
  async restartApp(): Promise<LabStatus> {
    return this.status()
  }
}

interface Probe {
  applyMs: number[]
  drawn(): number
}

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value / 1024 / 1024
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((m) => m.name === 'TaskDuration')!.value
}

const drawn = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as { __loopscopeProbe: Probe }).__loopscopeProbe.drawn())

async function waitDrawn(page: Page, n: number): Promise<void> {
  while ((await drawn(page)) < n) await page.waitForTimeout(50)
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function benchRenderer(): Promise<{ lines: string[] }> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new Error('renderer bench: out/renderer is missing; run "npx electron-vite build" first')
  if (!existsSync(CHROMIUM)) throw new Error(`renderer bench: Chromium is not installed at ${CHROMIUM}`)
  const fast = process.env.LOOPSCOPE_BENCH_FAST === '1'
  const lab = new SyntheticLab()
  const host = await startWebHost({ lab, port: 0, rendererDir: RENDERER_DIR })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    await page.goto(`${host.url}?probe=1`)
    await page.waitForFunction(() => '__loopscopeProbe' in globalThis)
    await page.getByTestId('kpis').waitFor()

    let heap1 = 0
    let heap3 = 0
    let heap5 = 0
    let taskMsPerFrame = 0
    if (fast) {
      const feed = async (from: number, to: number): Promise<void> => {
        for (let i = from; i < to; i += 100) {
          const frames = Array.from({ length: Math.min(100, to - i) }, (_, k) => syntheticFrame(i + k))
          await page.evaluate(async (batch) => {
            const probe = (globalThis as unknown as { __loopscopeProbe: { apply(f: unknown): Promise<number> } })
              .__loopscopeProbe
            for (const f of batch) await probe.apply(f)
          }, frames)
        }
      }
      await feed(0, FRAMES_PER_MIN)
      heap1 = await heapMb(cdp)
      const task0 = await taskSeconds(cdp)
      await feed(FRAMES_PER_MIN, 3 * FRAMES_PER_MIN)
      heap3 = await heapMb(cdp)
      await feed(3 * FRAMES_PER_MIN, TOTAL_FRAMES)
      taskMsPerFrame = (((await taskSeconds(cdp)) - task0) * 1000) / (TOTAL_FRAMES - FRAMES_PER_MIN)
      heap5 = await heapMb(cdp)
    } else {
      let i = 0
      const timer = setInterval(() => lab.emit('frame', syntheticFrame(i++)), 100)
      try {
        await waitDrawn(page, FRAMES_PER_MIN)
        heap1 = await heapMb(cdp)
        const task0 = await taskSeconds(cdp)
        const at0 = await drawn(page)
        await waitDrawn(page, 3 * FRAMES_PER_MIN)
        heap3 = await heapMb(cdp)
        await waitDrawn(page, TOTAL_FRAMES)
        const frames = (await drawn(page)) - at0
        taskMsPerFrame = (((await taskSeconds(cdp)) - task0) * 1000) / frames
        heap5 = await heapMb(cdp)
      } finally {
        clearInterval(timer)
      }
    }
    // what the charts hold at the end: the window keeps 600 rows, each chart draws a reduced set of them (downsample.ts)
    const points = await page
      .locator('[data-points]')
      .evaluateAll((els) =>
        els.map((el) => Number((el as unknown as { getAttribute(name: string): string }).getAttribute('data-points')))
      )
    const samples = await page.evaluate(() =>
      (globalThis as unknown as { __loopscopeProbe: Probe }).__loopscopeProbe.applyMs.slice()
    )
    const sorted = samples.slice().sort((a, b) => a - b)
    const median = percentile(sorted, 50)
    const p95 = percentile(sorted, 95)
    const growth = heap5 - heap1
    return {
      lines: [
        `renderer: ${fast ? 'LOOPSCOPE_BENCH_FAST=1: 3000 frames applied back to back in the page (no transport)' : '3000 frames at 10 Hz (5 min) through the WebSocket host'}; Chromium ${browser.version()}, 1600×1000, ${points.length} charts drawing ${points.join('/')} points of a 600-row window`,
        `renderer: each request's timeline ${WITH_TIMELINE ? `on: ${TIMELINE_REPORT_MAX_BARS} new bars a frame, the swimlane at its bound` : 'off (LOOPSCOPE_BENCH_TIMELINE=0)'}`,
        `renderer: apply one frame (arrival → store → React commit → effects): median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms over ${samples.length} frames (goal: median ≤ ${GOAL_MEDIAN_MS} ms: ${median <= GOAL_MEDIAN_MS ? 'met' : 'NOT met'})`,
        `renderer: main-thread task time ${taskMsPerFrame.toFixed(2)} ms per frame (CDP TaskDuration; includes style, layout, paint${fast ? ' and the feeding loop' : ''})`,
        `renderer: JS heap after GC: ${heap1.toFixed(1)} MB after 1 min of frames, ${heap3.toFixed(1)} MB after 3, ${heap5.toFixed(1)} MB after 5 (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB from 1 to 5 min, ${((growth / heap1) * 100).toFixed(1)}%)`,
        `renderer: load average during the run: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} on ${availableParallelism()} cores`
      ]
    }
  } finally {
    await browser.close()
    await host.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchRenderer().then(
    ({ lines }) => console.log(lines.join('\n')),
    (err) => {
      console.error(err instanceof Error ? err.message : err)
      process.exitCode = 1
    }
  )
}
