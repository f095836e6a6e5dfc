/**
 * What is blocking the loop, live, and how often it turns: real Lab runs (subject process, control thread, crowd),
 * read from the frames and the summary as the dashboard shows them.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stackLabel, type BlockedStack } from '../../src/shared/blocked-stack'
import type { Frame } from '../../src/shared/frame'
import { runLab } from '../helpers/run-lab'

const topUserFrame = (f: Frame): string | undefined =>
  f.blockedStack?.frames.find((x) => x.kind === 'user')?.functionName
const topUserOf = (stack: BlockedStack): string | undefined => stack.frames.find((x) => x.kind === 'user')?.functionName
/**
 * Between two blocked requests the stalled loop runs Node's and Fastify's code (reading the next request), and a
 * capture can land there; nearly all land in the blocking function.
 */
const MOSTLY = 0.8

describe('what is blocking the loop', () => {
  it('names cpuBlocking as the top user frame of a busy CPU loop’s stall, with the handler below it', async () => {
    const { frames, summary } = await runLab({
      blocking: true,
      work: 'cpu',
      delayMs: 400,
      concurrency: 3,
      durationS: 3
    })
    const caught = frames.filter((f) => f.blockedStack !== null)
    expect(caught.length).toBeGreaterThan(5)
    for (const f of caught) expect(f.stalled).toBe(true)
    const inIt = caught.filter((f) => topUserFrame(f) === 'cpuBlocking')
    expect(inIt.length).toBeGreaterThanOrEqual(MOSTLY * caught.length)
    expect(inIt[0]!.blockedStack!.frames.map((x) => x.functionName)).toContain('workHandler')
    expect(stackLabel(inIt[0]!.blockedStack!)).toMatch(/^in cpuBlocking \(pool-task\.js:\d+\) ← .*workHandler$/)
    // and the summary puts it first, with most of the run's stalled time
    const [first] = summary.blockedStacks
    expect(topUserOf(first!.stack)).toBe('cpuBlocking')
    expect(first!.stalledMs).toBeGreaterThan(1500)
    // requests read in one turn run back to back, so their blocks can merge into one stall: at least one
    expect(first!.stalls).toBeGreaterThanOrEqual(1)
  })

  it('names waitBlocking as the top user frame of a synchronous sleep’s stall (Atomics.wait serves the pause)', async () => {
    const { frames, summary } = await runLab({
      blocking: true,
      work: 'wait',
      delayMs: 400,
      concurrency: 3,
      durationS: 3
    })
    const caught = frames.filter((f) => f.blockedStack !== null)
    expect(caught.length).toBeGreaterThan(5)
    expect(caught.filter((f) => topUserFrame(f) === 'waitBlocking').length).toBeGreaterThanOrEqual(
      MOSTLY * caught.length
    )
    // the wait itself is V8's builtin, on top of the user's function
    expect(caught.find((f) => topUserFrame(f) === 'waitBlocking')!.blockedStack!.frames[0]!.functionName).toBe(
      'Atomics.wait'
    )
    expect(topUserOf(summary.blockedStacks[0]!.stack)).toBe('waitBlocking')
  })

  it('reports no stack for an evented run, and its loop turns in every frame', async () => {
    const { frames, summary } = await runLab({ blocking: false, delayMs: 50, concurrency: 50, durationS: 3 })
    const caught = frames.filter((f) => f.blockedStack !== null)
    if (summary.loop.maxStallMs <= 100) {
      expect(caught).toEqual([])
      expect(summary.blockedStacks).toEqual([])
    } else {
      // The busy 2-core machine starved the subject for a while (its own longest stall says so): whatever that
      // stall was caught in, it was never the work, which holds nothing.
      const names = [...caught.map((f) => f.blockedStack!), ...summary.blockedStacks.map((s) => s.stack)].flatMap((s) =>
        s.frames.map((x) => x.functionName)
      )
      expect(names).not.toContain('waitBlocking')
      expect(names).not.toContain('cpuBlocking')
    }
    const turning = frames.filter((f) => f.t > 1000 && !f.stalled).map((f) => f.loopTurnsPerS)
    expect(turning.length).toBeGreaterThan(10)
    expect(turning.every((n) => n !== null && n > 0)).toBe(true)
  })

  it('reads 0 loop turns in every frame of a stall, and turns again between stalls', async () => {
    const { frames } = await runLab({ blocking: true, work: 'wait', delayMs: 300, concurrency: 2, durationS: 3 })
    const stalled = frames.filter((f) => f.stalled)
    expect(stalled.length).toBeGreaterThan(10)
    for (const f of stalled) {
      expect(f.loopTurnsPerS).toBe(0)
      expect(f.eventsPerTurn).toBeNull()
    }
    // before the crowd starts, the idle loop still turns for its timers
    expect(frames.some((f) => !f.stalled && (f.loopTurnsPerS ?? 0) > 0)).toBe(true)
  })
})

describe('a loop stuck in a system call', () => {
  let dir: string | null = null
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = null
  })

  it('is said to be in native code, with the system call Linux names, never a made-up stack', async () => {
    dir = mkdtempSync(join(tmpdir(), 'loopscope-fifo-'))
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    const child = spawn(process.execPath, [join(import.meta.dirname, '../fixtures/blocked-in-read.mjs'), fifo], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(0)
    const result = JSON.parse(out.trim())
    expect(result.frames).toEqual([])
    expect(result.native).toMatch(/^system call read/)
    expect(stackLabel(result)).toMatch(/^in native code \(system call read/)
  })
})
