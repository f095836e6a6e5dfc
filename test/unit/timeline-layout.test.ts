/**
 * Where the swimlane draws each request (the dashboard's chart and the HTML report share the layout): one lane per
 * request in the order its work started — a blocked loop's staircase — each phase a span of the window's width.
 */
import { describe, expect, it } from 'vitest'
import { barPhases, keepBars, phaseLabels, TIMELINE_WINDOW_MS, type TimelineBar } from '../../src/shared/timeline'
import { laneHeightPx, swimlaneLanes, swimlaneWindow } from '../../src/shared/timeline-layout'

/** sent at `sent`, read 10 ms later, the handler 10 ms after that, work from `work` for `ms`, written 5 ms after */
function bar(sent: number | null, work: number, ms: number, readAt = (sent ?? work - 20) + 10): TimelineBar {
  return {
    sentAt: sent,
    readAt,
    handlerAt: readAt + 10,
    workStartAt: work,
    workEndAt: work + ms,
    where: 'loop',
    writtenAt: work + ms + 5
  }
}

describe("the legend's words for the phases", () => {
  const at = (where: TimelineBar['where']): TimelineBar => ({ ...bar(100, 200, 50), where })

  it('names where the work was and what the wait before it was for, from the bars shown', () => {
    expect(phaseLabels([])).toEqual({
      'waiting to be read': 'waiting to be read',
      'waiting for a thread': 'waiting for a thread',
      working: 'working',
      writing: 'writing'
    })
    // hello world's bars say nowhere: they name nothing
    expect(phaseLabels([at('loop'), at(null)])).toMatchObject({
      'waiting for a thread': 'waiting for a thread',
      working: 'working (on the loop)'
    })
    expect(phaseLabels([at('libuv pool'), at('gpu')]).working).toBe("working (on libuv's pool, on gpu)")
    // both kinds of wait, the thread first whichever came first
    for (const bars of [
      [at('thread'), at('backend')],
      [at('backend'), at('thread')]
    ])
      expect(phaseLabels(bars)['waiting for a thread']).toBe('waiting for a thread or a connection')
  })
})

describe("a request's phases", () => {
  it('run from the send to the write, in order, each from where the last ended', () => {
    expect(barPhases(bar(100, 500, 200))).toEqual([
      { phase: 'waiting to be read', fromMs: 100, toMs: 120 },
      { phase: 'waiting for a thread', fromMs: 120, toMs: 500 },
      { phase: 'working', fromMs: 500, toMs: 700 },
      { phase: 'writing', fromMs: 700, toMs: 705 }
    ])
  })

  it('start at the read without a send time, and leave out the empty ones', () => {
    const hello: TimelineBar = {
      sentAt: null,
      readAt: 50,
      handlerAt: 50,
      workStartAt: 50,
      workEndAt: 50,
      where: null,
      writtenAt: 51
    }
    expect(barPhases(hello)).toEqual([{ phase: 'writing', fromMs: 50, toMs: 51 }])
  })
})

describe('the swimlane window', () => {
  it('is the last 6 s, and the first 6 s until the run is that long', () => {
    expect(swimlaneWindow(10_000)).toEqual({ fromMs: 4000, toMs: 10_000 })
    expect(swimlaneWindow(6000)).toEqual({ fromMs: 0, toMs: 6000 })
    expect(swimlaneWindow(1500)).toEqual({ fromMs: 0, toMs: 6000 })
    expect(swimlaneWindow(1500, 1000)).toEqual({ fromMs: 500, toMs: 1500 })
  })
})

describe("the swimlane's lanes", () => {
  it('go in the order the work started — a staircase for a blocked loop — whatever order the answers came in', () => {
    // three sent together, worked one after another
    const bars = [bar(0, 2200, 200), bar(0, 2000, 200), bar(0, 2400, 200)]
    const lanes = swimlaneLanes(bars, 3000, 3000)
    expect(lanes.map((l) => l.bar.workStartAt)).toEqual([2000, 2200, 2400])
    expect(lanes.map((l) => l.spans.find((s) => s.phase === 'working')!.x)).toEqual([2000 / 3000, 2200 / 3000, 0.8])
  })

  it('break a tie of work start by the send, then by the answer', () => {
    const a = bar(300, 1000, 100)
    const b = bar(100, 1000, 100)
    const c = { ...bar(100, 1000, 100), writtenAt: 1200 }
    const lanes = swimlaneLanes([a, c, b], 2000, 2000)
    expect(lanes.map((l) => l.bar)).toEqual([b, c, a])
    // no send time: the read stands for it
    const unsent = bar(null, 1000, 100, 50)
    expect(swimlaneLanes([a, unsent], 2000, 2000)[0]!.bar).toBe(unsent)
  })

  it('place each phase as a share of the width, the lane from its send', () => {
    const [lane] = swimlaneLanes([bar(1000, 1500, 1000)], 4000, 4000)
    expect(lane!.x).toBe(0.25)
    const want = [
      ['waiting to be read', 1000, 20],
      ['waiting for a thread', 1020, 480],
      ['working', 1500, 1000],
      ['writing', 2500, 5]
    ] as const
    expect(lane!.spans.map((s) => s.phase)).toEqual(want.map(([phase]) => phase))
    lane!.spans.forEach((s, i) => {
      expect(s.x).toBeCloseTo(want[i]![1] / 4000, 9)
      expect(s.w).toBeCloseTo(want[i]![2] / 4000, 9)
    })
  })

  it('cut a bar that began before the window at its left edge, and drop its phases wholly before it', () => {
    // window 5000..9000: sent at 1000, waited to 4000, worked 4000..6000
    const [lane] = swimlaneLanes([bar(1000, 4000, 2000)], 9000, 4000)
    expect(lane!.x).toBe(0)
    expect(lane!.spans.map((s) => s.phase)).toEqual(['working', 'writing'])
    expect(lane!.spans[0]).toEqual({ phase: 'working', x: 0, w: 0.25 })
  })

  it('never draw past the right edge', () => {
    const [lane] = swimlaneLanes([bar(500, 900, 5000)], 1000, 1000)
    const working = lane!.spans.find((s) => s.phase === 'working')!
    expect(working.x + working.w).toBe(1)
    expect(lane!.spans.map((s) => s.phase)).not.toContain('writing')
  })

  it('leave the bars given as they were', () => {
    const bars = [bar(0, 200, 10), bar(0, 100, 10)]
    swimlaneLanes(bars, 1000)
    expect(bars.map((b) => b.workStartAt)).toEqual([200, 100])
  })
})

describe("a lane's height", () => {
  it('shares the plot out, but at most 18 px, and is 0 with no lanes', () => {
    expect(laneHeightPx(0, 300)).toBe(0)
    expect(laneHeightPx(3, 300)).toBe(18)
    expect(laneHeightPx(100, 300)).toBe(3)
    expect(laneHeightPx(10, 300, 40)).toBe(30)
  })
})

describe("the swimlane's bars at the window's edge", () => {
  it('keeps a bar answered exactly at the window’s start, and drops every bar once all are older', () => {
    const at = (writtenAt: number): TimelineBar => ({ ...bar(0, 0, 0), writtenAt })
    const kept = [at(1000), at(2000)]
    expect(keepBars(kept, [], 1000 + TIMELINE_WINDOW_MS)).toBe(kept)
    expect(keepBars(kept, [], 1001 + TIMELINE_WINDOW_MS).map((b) => b.writtenAt)).toEqual([2000])
    expect(keepBars(kept, [], 10_000 + TIMELINE_WINDOW_MS)).toEqual([])
    expect(keepBars(kept, [at(1500)], 1000 + TIMELINE_WINDOW_MS).map((b) => b.writtenAt)).toEqual([1000, 1500, 2000])
  })
})
