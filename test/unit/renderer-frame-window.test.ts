import { describe, expect, it } from 'vitest'
import { EMPTY_WINDOW, MAX_ROWS, pushFrame, stallSpans, type FrameWindow } from '../../src/renderer/src/hooks/frame-window'
import type { Frame, Mark } from '../../src/shared/frame'

function frame(t: number, extra: Partial<Frame> = {}): Frame {
  return {
    t, inFlight: 10, active: 10, queued: 0, rps: 5, errorsPerS: 0, latencyMs: { p50: 2000, p90: 2001, p99: 2010, max: 2020 },
    loopDelayP99Ms: 1, loopUtilization: 0.01, stallMs: 3, theoryRps: 5, rssBytes: 1e8, completed: 0, errors: 0, marks: [], longPoll: null,
    ...extra
  }
}

function feed(n: number, from = 0, make: (t: number) => Partial<Frame> = () => ({})): FrameWindow {
  let w = EMPTY_WINDOW
  for (let i = 0; i < n; i++) w = pushFrame(w, frame((from + i) * 100, make((from + i) * 100)))
  return w
}

describe('the frame window', () => {
  it('keeps at most 600 rows (60 s at 10 Hz), the newest ones', () => {
    const w = feed(MAX_ROWS + 250)
    expect(w.rows).toHaveLength(MAX_ROWS)
    expect(w.rows.at(-1)!.t).toBeCloseTo((MAX_ROWS + 249) / 10)
    expect(w.drawn).toBe(MAX_ROWS + 250)
  })

  it('starts afresh when frames restart from zero (a new run)', () => {
    let w = feed(50)
    w = pushFrame(w, frame(0))
    expect(w.rows).toHaveLength(1)
    expect(w.drawn).toBe(1)
  })

  it('keeps each mark once whether frames repeat them or not, and drops marks older than the window', () => {
    const mark: Mark = { t: 1000, label: 'blocking on', patch: { blocking: true } }
    let w = feed(20, 0, (t) => ({ marks: t >= 1000 ? [mark] : [] }))
    expect(w.marks).toEqual([mark])
    const before = w.marks
    w = pushFrame(w, frame(2100, { marks: [mark] }))
    expect(w.marks).toBe(before)
    w = pushFrame(w, frame(62_000))
    expect(w.marks).toEqual([])
  })

  it('tracks the largest stall and queue seen since it was cleared', () => {
    const w = feed(30, 0, (t) => ({ stallMs: t === 1500 ? 480 : 2, queued: t === 2000 ? 97 : 0 }))
    expect(w.maxStallMs).toBe(480)
    expect(w.maxQueued).toBe(97)
  })

  it('shades a stall from when the loop stopped answering to the last stalled frame', () => {
    const w = feed(30, 0, (t) => ({ stallMs: t >= 1000 && t <= 1500 ? t - 900 : 2 }))
    const spans = stallSpans(w.rows)
    expect(spans).toHaveLength(1)
    expect(spans[0]!.x1).toBeCloseTo(0.9)
    expect(spans[0]!.x2).toBeCloseTo(1.5)
  })
})
