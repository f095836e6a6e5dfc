/**
 * The layer of a chart that changes ten times a second: its series (lines and filled bands) and shaded spans, drawn
 * as plain SVG paths from plot-geometry.ts on the plot area Recharts lays out around it (the same margins and axis
 * widths, so the paths sit exactly between the axes Recharts draws on top).
 */
import { memo, useId, useRef, type ReactNode } from 'react'
import type { Row } from '../frames/frame-window'
import type { Span } from '../frames/stall-spans'
import { areaPath, linePath, scaleOf, type AxisSpec } from './plot-geometry'
import { CHART_MARGIN, type Gridlines } from './chart-layout'
import { useSize } from './use-size'

interface Common {
  /** names the path for tests and for reading the DOM (data-series) */
  name: string
  axis: AxisSpec
  color: string
  step?: boolean
  connectNulls?: boolean
}

export type Series =
  | (Common & { kind: 'line'; value: (r: Row) => number | null; width: number; dash?: string })
  | (Common & {
      kind: 'area'
      top: (r: Row) => number | null
      base?: (r: Row) => number
      width: number
      fillOpacity: number
    })

export interface Shading {
  spans: readonly Span[]
  color: string
  opacity: number
}

const ZERO = (): number => 0
/** how far a stroke may reach beyond the plot's top and bottom edges (a line at the axis's top value stays whole) */
const BLEED_PX = 4

export const LivePlot = memo(function LivePlot(props: {
  rows: readonly Row[]
  x: readonly [number, number]
  grid: Gridlines
  series: readonly Series[]
  shading?: Shading
}): ReactNode {
  const ref = useRef<SVGSVGElement>(null)
  const size = useSize(ref)
  const clipId = `plot${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  const { rows, grid } = props
  let body: ReactNode = null
  if (size) {
    const left = grid.left
    const right = size.w - grid.right
    const top = CHART_MARGIN.top
    const bottom = size.h - grid.bottom
    if (right > left && bottom > top) {
      const xs = scaleOf({ domain: props.x }, left, right)
      const x = (r: Row): number => xs(r.tS)
      body = (
        <>
          <defs>
            <clipPath id={clipId}>
              <rect x={left} y={top - BLEED_PX} width={right - left} height={bottom - top + 2 * BLEED_PX} />
            </clipPath>
          </defs>
          <g clipPath={`url(#${clipId})`}>
            {props.shading?.spans.map((s) => (
              <rect
                key={s.x1S}
                data-shade=""
                x={xs(s.x1S)}
                y={top}
                width={Math.max(1, xs(s.x2S) - xs(s.x1S))}
                height={bottom - top}
                fill={props.shading!.color}
                fillOpacity={props.shading!.opacity}
              />
            ))}
            {props.series.map((s) => {
              const y = scaleOf(s.axis, bottom, top)
              const shape = { step: s.step, connectNulls: s.connectNulls }
              return s.kind === 'line' ? (
                <path
                  key={s.name}
                  data-series={s.name}
                  d={linePath(rows, x, s.value, y, shape)}
                  fill="none"
                  stroke={s.color}
                  strokeWidth={s.width}
                  strokeDasharray={s.dash}
                  strokeLinejoin="round"
                />
              ) : (
                <g key={s.name} data-series={s.name}>
                  <path
                    d={areaPath(rows, x, s.top, s.base ?? ZERO, y, shape)}
                    fill={s.color}
                    fillOpacity={s.fillOpacity}
                  />
                  <path
                    d={linePath(rows, x, s.top, y, shape)}
                    fill="none"
                    stroke={s.color}
                    strokeWidth={s.width}
                    strokeLinejoin="round"
                  />
                </g>
              )
            })}
          </g>
        </>
      )
    }
  }
  return (
    <svg ref={ref} className="live-plot" aria-hidden="true" data-plot="">
      {body}
    </svg>
  )
})
