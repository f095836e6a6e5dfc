import { describe, expect, it } from 'vitest'
import {
  labelTexts,
  layoutMarkLabels,
  type MarkLabelInput,
  type MarkLabelLayout,
  type PlacedMarkLabel
} from '../../src/renderer/src/charts/mark-labels'
import { markLabel, markShortLabel } from '../../src/shared/marks'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'

/** a stand-in for the page's measured widths: 10 px a character */
const LAYOUT: MarkLabelLayout = { leftPx: 80, rightPx: 600, rows: 3, padPx: 4, gapPx: 8, measure: (t) => t.length * 10 }

const mark = (key: string, xPx: number, ...texts: string[]): MarkLabelInput => ({ key, xPx, texts })

function overlapping(placed: readonly PlacedMarkLabel[]): string[] {
  const out: string[] = []
  for (const a of placed) {
    for (const b of placed) {
      if (a.key < b.key && a.row === b.row && a.leftPx < b.rightPx && b.leftPx < a.rightPx)
        out.push(`${a.key}/${b.key}`)
    }
  }
  return out
}

describe('the settings-change labels on a chart', () => {
  it('writes a lone label in its long words on the top row, right of its line', () => {
    expect(layoutMarkLabels([mark('a', 200, 'c 10 → 100', 'c 100')], LAYOUT)).toEqual([
      { key: 'a', text: 'c 10 → 100', anchor: 'start', xPx: 204, row: 0, leftPx: 204, rightPx: 304 }
    ])
  })

  it('anchors the newest label end-wise at the right edge instead of cutting it', () => {
    const [newest] = layoutMarkLabels([mark('a', 590, 'blocking on')], LAYOUT)
    expect(newest).toMatchObject({ anchor: 'end', xPx: 586, rightPx: 586 })
    expect(newest!.rightPx).toBeLessThanOrEqual(LAYOUT.rightPx)
  })

  it('stacks labels that would overlap on rows under each other, the newest on top', () => {
    // a's label fits neither right of its line (b's is there) nor left of it (the plot's edge)
    const placed = layoutMarkLabels([mark('a', 100, 'c 10 → 100'), mark('b', 150, 'c 100 → 20')], LAYOUT)
    expect(placed.map((p) => [p.key, p.row, p.anchor])).toEqual([
      ['b', 0, 'start'],
      ['a', 1, 'start']
    ])
    expect(overlapping(placed)).toEqual([])
  })

  it('shortens a label when its long words fit on no row', () => {
    const crowded = { ...LAYOUT, rows: 1 }
    const placed = layoutMarkLabels(
      [mark('a', 140, 'c 10 → 100', 'c 100'), mark('b', 200, 'c 100 → 20', 'c 20')],
      crowded
    )
    expect(placed.find((p) => p.key === 'b')).toMatchObject({ text: 'c 100 → 20', row: 0 })
    expect(placed.find((p) => p.key === 'a')).toMatchObject({ text: 'c 100', row: 0 })
    expect(overlapping(placed)).toEqual([])
  })

  it('writes a label left of its line when the right is taken, and leaves out one that fits nowhere', () => {
    const marks = [
      mark('a', 300, 'c 1 → 2'),
      mark('b', 301, 'c 2 → 3'),
      mark('c', 302, 'c 3 → 4'),
      mark('d', 303, 'c 4 → 5')
    ]
    const placed = layoutMarkLabels(marks, { ...LAYOUT, rows: 1 })
    expect(placed.map((p) => [p.key, p.anchor])).toEqual([
      ['d', 'start'],
      ['c', 'end']
    ])
    expect(overlapping(placed)).toEqual([])
  })

  it('keeps ten changes a few pixels apart inside the plot and apart from each other', () => {
    const marks = Array.from({ length: 10 }, (_, i) =>
      mark(`m${i}`, 300 + i * 25, `delay ${i} → ${i + 1} ms`, `delay ${i + 1} ms`)
    )
    const placed = layoutMarkLabels(marks, LAYOUT)
    expect(placed.length).toBeGreaterThan(3)
    expect(overlapping(placed)).toEqual([])
    for (const p of placed) {
      expect(p.leftPx).toBeGreaterThanOrEqual(LAYOUT.leftPx)
      expect(p.rightPx).toBeLessThanOrEqual(LAYOUT.rightPx)
    }
    expect(placed[0]).toMatchObject({ key: 'm9', row: 0 })
  })

  it('says a change in long and short words, the short with the new values only', () => {
    const prev = { ...DEFAULT_SETTINGS, concurrency: 10, delayMs: 2000 }
    expect(markLabel(prev, { concurrency: 100 })).toBe('c 10 → 100')
    expect(markShortLabel({ concurrency: 100 })).toBe('c 100')
    expect(markShortLabel({ delayMs: 500, blocking: true })).toBe('delay 500 ms, blocking on')
    expect(labelTexts('blocking on', markShortLabel({ blocking: true }))).toEqual(['blocking on'])
  })
})
