/**
 * What the loop was blocked in, on the event-loop chart: over each shaded stall that kept a stack, a transparent
 * target that, hovered or focused from the keyboard (each is a button, so Tab reaches it), shows the stack — user
 * code first, then the framework's and Node's frames. The stack is the host's (frame.blockedStack), kept by the
 * span (stall-spans.ts); nothing here derives it.
 */
import { memo, useMemo, useRef, useState, type ReactNode } from 'react'
import { stackLabel, stackLines } from '../../../shared/blocked-stack'
import type { Span } from '../frames/stall-spans'
import { formatMs } from '../scales'
import { CHART_MARGIN, type Gridlines } from './chart-layout'
import { scaleOf } from './plot-geometry'
import { useSize } from './use-size'

/** a short stall is still a target a pointer can find */
const MIN_TARGET_PX = 14
/** the tip shows this many frames; the rest are the framework's, and the tip stays inside a small chart */
const TIP_LINES = 6
const TIP_WIDTH_PX = 420

export const StallStackLayer = memo(function StallStackLayer(props: {
  spans: readonly Span[]
  x: readonly [number, number]
  grid: Gridlines
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null)
  const size = useSize(ref)
  const [active, setActive] = useState<number | null>(null)
  const { spans, x, grid } = props
  const targets = useMemo(() => {
    if (!size) return []
    const left = grid.left
    const right = size.w - grid.right
    if (right <= left) return []
    const xs = scaleOf({ domain: x }, left, right)
    return spans.flatMap((s, i) => {
      if (!s.stack) return []
      const x1 = Math.max(left, xs(s.x1S))
      const x2 = Math.min(right, xs(s.x2S))
      if (x2 < left || x1 > right) return []
      const widthPx = Math.max(MIN_TARGET_PX, x2 - x1)
      return [
        {
          i,
          leftPx: Math.min(x1, right - widthPx),
          widthPx,
          stack: s.stack,
          stalledMs: (s.x2S - s.x1S) * 1000,
          atS: s.x1S
        }
      ]
    })
  }, [size, spans, x, grid])
  const shown = targets.find((t) => t.i === active) ?? null
  const tipLeftPx = shown && size ? Math.max(0, Math.min(shown.leftPx, size.w - TIP_WIDTH_PX)) : 0
  return (
    <div ref={ref} className="stall-stacks" data-testid="stall-stacks" data-targets={targets.length}>
      {targets.map((t) => (
        <button
          key={t.i}
          type="button"
          className="stall-target"
          data-testid="stall-target"
          style={{ left: t.leftPx, width: t.widthPx, top: CHART_MARGIN.top, bottom: grid.bottom }}
          aria-label={`Blocked ${formatMs(t.stalledMs)} from ${Math.round(t.atS)} s, ${stackLabel(t.stack)}`}
          onMouseEnter={() => setActive(t.i)}
          onMouseLeave={() => setActive((a) => (a === t.i ? null : a))}
          onFocus={() => setActive(t.i)}
          onBlur={() => setActive((a) => (a === t.i ? null : a))}
        />
      ))}
      {shown && (
        <div
          className="stall-tip"
          role="tooltip"
          data-testid="stall-tip"
          style={{ left: tipLeftPx, top: CHART_MARGIN.top + 4, maxWidth: TIP_WIDTH_PX }}
        >
          <strong>
            Blocked {formatMs(shown.stalledMs)} {stackLabel(shown.stack)}
          </strong>
          {shown.stack.native === null && (
            <ol>
              {stackLines(shown.stack)
                .slice(0, TIP_LINES)
                .map((line, n) => (
                  <li key={n}>{line}</li>
                ))}
            </ol>
          )}
        </div>
      )}
    </div>
  )
})
