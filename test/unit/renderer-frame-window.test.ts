import { describe, expect, it } from 'vitest'
import { EMPTY_WINDOW, MAX_ROWS, pushFrame, toRow, type FrameWindow } from '../../src/renderer/src/frames/frame-window'
import { stallSpans } from '../../src/renderer/src/frames/stall-spans'
import { STALL_THRESHOLD_MS, type Frame, type Mark } from '../../src/shared/frame'
import { makeFrame } from './renderer-fixtures'

function feed(n: number, from = 0, make: (t: number) => Partial<Frame> = () => ({})): FrameWindow {
  let w = EMPTY_WINDOW
  for (let i = 0; i < n; i++) w = pushFrame(w, makeFrame((from + i) * 100, make((from + i) * 100)))
  return w
}

/** a stall as the host reports it: its length, and its verdict against the shared threshold */
const stall = (stallMs: number): Partial<Frame> => ({ stallMs, stalled: stallMs > STALL_THRESHOLD_MS })

describe('the frame window', () => {
  it('keeps at most 600 rows (60 s at 10 Hz), the newest ones', () => {
    const w = feed(MAX_ROWS + 250)
    expect(w.rows).toHaveLength(MAX_ROWS)
    expect(w.rows.at(-1)!.tS).toBeCloseTo((MAX_ROWS + 249) / 10)
    expect(w.drawn).toBe(MAX_ROWS + 250)
  })

  it('starts afresh when frames restart from zero (a new run)', () => {
    let w = feed(50)
    w = pushFrame(w, makeFrame(0))
    expect(w.rows).toHaveLength(1)
    expect(w.drawn).toBe(1)
  })

  it('keeps each mark once whether frames repeat them or not, and drops marks older than the window', () => {
    const mark: Mark = { t: 1000, label: 'blocking on', patch: { blocking: true } }
    let w = feed(20, 0, (t) => ({ marks: t >= 1000 ? [mark] : [] }))
    expect(w.marks).toEqual([mark])
    const before = w.marks
    w = pushFrame(w, makeFrame(2100, { marks: [mark] }))
    expect(w.marks).toBe(before)
    w = pushFrame(w, makeFrame(62_000))
    expect(w.marks).toEqual([])
  })

  it('names every field of a row with its unit, and copies the host’s figures unchanged', () => {
    const row = toRow(makeFrame(1500, { rps: null, loopUtilization: 0.25, ...stall(480) }))
    expect(row).toMatchObject({
      tS: 1.5,
      rps: null,
      theoryRps: 50,
      p50Ms: 2000,
      p99Ms: 2010,
      maxMs: 2020,
      loopP99Ms: 1,
      utilizationPct: 25,
      stallMs: 480,
      stalled: true
    })
    expect(Object.keys(row).sort()).toEqual(
      [
        'active',
        'blockedStack',
        'bytesInPerDelivery',
        'cpuPerDeliveryUs',
        'deliveryP99Ms',
        'eventsPerTurn',
        'held',
        'inFlight',
        'loopP99Ms',
        'processes',
        'loopTurnsPerS',
        'maxMs',
        'p50Ms',
        'p99Ms',
        'queued',
        'requestsPerS',
        'rps',
        'stallMs',
        'stalled',
        'subscribers',
        'tS',
        'theoryRps',
        'utilizationPct'
      ].sort()
    )
  })

  it('shades a stall from when the loop stopped answering to the last stalled frame', () => {
    const w = feed(30, 0, (t) => stall(t >= 1000 && t <= 1500 ? t - 900 : 2))
    const spans = stallSpans(w.rows)
    expect(spans).toHaveLength(1)
    expect(spans[0]!.x1S).toBeCloseTo(0.9)
    expect(spans[0]!.x2S).toBeCloseTo(1.5)
  })

  it('keeps on each stall span the last stack its frames carried', () => {
    const stack = {
      frames: [{ functionName: 'waitBlocking', file: 'pool-task.js', line: 16, column: 3, kind: 'user' as const }],
      native: null
    }
    const w = feed(30, 0, (t) => ({
      ...stall(t >= 1000 && t <= 1500 ? t - 900 : 2),
      blockedStack: t >= 1200 && t <= 1500 ? stack : null
    }))
    expect(stallSpans(w.rows).map((s) => s.stack)).toEqual([stack])
  })

  it('shades nothing in a healthy run, however its stall saws between heartbeats', () => {
    const w = feed(100, 0, (t) => stall((t / 10) % 11))
    expect(stallSpans(w.rows)).toEqual([])
  })

  it('takes the host’s verdict, not its own threshold: a frame the host calls stalled is shaded', () => {
    const w = feed(10, 0, (t) => (t === 500 ? { stallMs: 40, stalled: true } : {}))
    expect(stallSpans(w.rows)).toHaveLength(1)
  })
})
