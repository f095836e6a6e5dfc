/**
 * The settings-change marks of a chart, on top of everything else: a dashed line per change inside the window, and
 * its label where mark-labels.ts finds room for it (long or short words, stacked on rows, never overlapping, never
 * past the plot's edges). Drawn here rather than as Recharts reference lines because the layout needs the plot's
 * width in px, which this layer measures; it re-renders when the marks, the time axis (once a second) or the size
 * change, never on a frame alone.
 */
import { memo, useMemo, useRef, type ReactNode } from 'react'
import type { Mark } from '../../../shared/frame'
import { markShortLabel } from '../../../shared/marks'
import { DASH, type Palette } from '../palette'
import { CHART_MARGIN, type ChartType, type Gridlines } from './chart-layout'
import { labelTexts, layoutMarkLabels, type MarkLabelInput } from './mark-labels'
import { scaleOf } from './plot-geometry'
import { useSize } from './use-size'

const MARK_WEIGHT = 600
/** labels stack on at most this many rows, and over at most the top half of the plot, so the series stay readable */
const MAX_ROWS = 3
/** the halo round a label's letters, in the panel's colour, so it reads over a line or a band */
const HALO_PX = 4

/** Text widths with the labels' own font, from one shared canvas; cached, since the same labels come back each second. */
const widths = new Map<string, number>()
let context: CanvasRenderingContext2D | null = null
function measurer(font: string): (text: string) => number {
  return (text) => {
    const key = `${font}|${text}`
    let w = widths.get(key)
    if (w === undefined) {
      context ??= document.createElement('canvas').getContext('2d')
      if (context) context.font = font
      // no canvas (it never happens in a browser): a generous estimate, 0.62 em a character
      w = context ? context.measureText(text).width : text.length * 0.62 * Number.parseFloat(font.split(' ')[1] ?? '16')
      if (widths.size > 2000) widths.clear()
      widths.set(key, w)
    }
    return w
  }
}

export const MarkLayer = memo(function MarkLayer(props: {
  marks: readonly Mark[]
  x: readonly [number, number]
  grid: Gridlines
  palette: Palette
  type: ChartType
}): ReactNode {
  const ref = useRef<SVGSVGElement>(null)
  const size = useSize(ref)
  const { marks, x, grid, palette: p, type } = props
  const rowPx = Math.round(type.markPx * 1.25)
  const drawn = useMemo(() => {
    if (!size || !ref.current) return null
    const left = grid.left
    const right = size.w - grid.right
    const top = CHART_MARGIN.top
    const bottom = size.h - grid.bottom
    if (right <= left || bottom <= top) return null
    const xs = scaleOf({ domain: x }, left, right)
    const inside = marks.filter((m) => m.t / 1000 >= x[0] && m.t / 1000 <= x[1])
    const input: MarkLabelInput[] = inside.map((m) => ({
      key: `${m.t}|${m.label}`,
      xPx: xs(m.t / 1000),
      texts: labelTexts(m.label, markShortLabel(m.patch))
    }))
    const family = getComputedStyle(ref.current).fontFamily
    const rows = Math.max(1, Math.min(MAX_ROWS, Math.floor((bottom - top) / 2 / rowPx)))
    const labels = layoutMarkLabels(input, {
      leftPx: left,
      rightPx: right,
      rows,
      padPx: 6,
      gapPx: 10,
      measure: measurer(`${MARK_WEIGHT} ${type.markPx}px ${family}`)
    })
    return { input, labels, top, bottom }
  }, [size, marks, x, grid, type, rowPx])
  return (
    <svg ref={ref} className="mark-layer" aria-hidden="true" data-marks-drawn={drawn?.input.length ?? 0}>
      {drawn?.input.map((m) => (
        <line
          key={m.key}
          data-mark-line=""
          x1={m.xPx}
          x2={m.xPx}
          y1={drawn.top}
          y2={drawn.bottom}
          stroke={p.mark}
          strokeWidth={2}
          strokeDasharray={DASH.mark}
        />
      ))}
      {drawn?.labels.map((l) => (
        <text
          key={l.key}
          data-mark-label={l.text}
          x={l.xPx}
          y={drawn.top + 2 + l.row * rowPx}
          textAnchor={l.anchor}
          dominantBaseline="hanging"
          fontSize={type.markPx}
          fontWeight={MARK_WEIGHT}
          fill={p.fg}
          stroke={p.bg}
          strokeWidth={HALO_PX}
          strokeLinejoin="round"
          paintOrder="stroke"
        >
          {l.text}
        </text>
      ))}
    </svg>
  )
})
