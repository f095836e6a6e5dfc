/**
 * Where the settings-change labels go on a chart, so that none overlaps another and none is cut at the plot's edges.
 * Pure: the page passes text widths measured with the labels' own font (canvas `measureText`, MarkLayer.tsx); tests
 * pass a stand-in.
 *
 * The newest change matters most, so it is placed first and the older ones take the room left. Each label tries, in
 * order: its long words ("c 10 → 100") then its short ones ("c 100"); the top row, then the rows under it; written
 * on the right of its line, then on the left (so the newest, near the right edge, is anchored end-wise rather than
 * cut). A label that fits nowhere is left out: its line stays, and the chart's text alternative still names it.
 */

export interface MarkLabelInput {
  key: string
  /** the mark's line, px from the chart's left edge */
  xPx: number
  /** what it can say, longest first */
  texts: readonly string[]
}

export interface PlacedMarkLabel {
  key: string
  text: string
  /** `start`: the text begins right of the line; `end`: it ends left of it (SVG text-anchor) */
  anchor: 'start' | 'end'
  /** where the text is anchored, px */
  xPx: number
  /** 0 is the top row */
  row: number
  /** the text's box, px: [left, right) */
  leftPx: number
  rightPx: number
}

export interface MarkLabelLayout {
  /** the plot area's edges, px: no label reaches past them */
  leftPx: number
  rightPx: number
  /** how many rows labels may stack on */
  rows: number
  /** between a line and its label's text, px */
  padPx: number
  /** between two labels on one row, px */
  gapPx: number
  /** the width of a text, px */
  measure(text: string): number
}

/** The labels that fit, placed, newest first (those that fit nowhere are absent). */
export function layoutMarkLabels(marks: readonly MarkLabelInput[], layout: MarkLabelLayout): PlacedMarkLabel[] {
  const placed: PlacedMarkLabel[] = []
  const free = (row: number, left: number, right: number): boolean =>
    placed.every((p) => p.row !== row || right + layout.gapPx <= p.leftPx || left >= p.rightPx + layout.gapPx)
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i]!
    const spot = findSpot(mark, layout, free)
    if (spot) placed.push(spot)
  }
  return placed
}

function findSpot(
  mark: MarkLabelInput,
  layout: MarkLabelLayout,
  free: (row: number, left: number, right: number) => boolean
): PlacedMarkLabel | null {
  for (const text of mark.texts) {
    const w = layout.measure(text)
    for (let row = 0; row < layout.rows; row++) {
      for (const anchor of ['start', 'end'] as const) {
        const xPx = anchor === 'start' ? mark.xPx + layout.padPx : mark.xPx - layout.padPx
        const leftPx = anchor === 'start' ? xPx : xPx - w
        const rightPx = leftPx + w
        if (leftPx < layout.leftPx || rightPx > layout.rightPx) continue
        if (!free(row, leftPx, rightPx)) continue
        return { key: mark.key, text, anchor, xPx, row, leftPx, rightPx }
      }
    }
  }
  return null
}

/** The words a label tries, longest first, without repeats. */
export function labelTexts(long: string, short: string): string[] {
  return long === short ? [long] : [long, short]
}
