/**
 * Where a chart's plot area sits inside its body: Recharts lays it out from these margins and the axis widths each
 * chart gives, and the HTML gridlines, the live series (LivePlot) and the settings-change marks (MarkLayer) are
 * placed by the same numbers.
 */
import { useMemo } from 'react'
import { scaleOf, type AxisSpec } from './plot-geometry'

export const CHART_MARGIN = { top: 12, right: 16, bottom: 4, left: 4 }

/**
 * The charts' type sizes: the dashboard's, and presenter mode's (read from the back of a room: every tick, legend
 * and label at least 18 px). Axis widths are given per chart for the dashboard's tick size and grow with the type.
 */
export interface ChartType {
  tickPx: number
  markPx: number
  /** the x axis's height, px */
  xAxisPx: number
  /** y-axis widths × this */
  axisScale: number
}

export const CHART_TYPE = {
  normal: { tickPx: 16, markPx: 16, xAxisPx: 28, axisScale: 1 },
  presenter: { tickPx: 20, markPx: 20, xAxisPx: 34, axisScale: 1.25 }
} as const satisfies Record<string, ChartType>

export interface Gridlines {
  /** 0 (bottom of the plot) … 1 (top), one per y tick */
  fracs: readonly number[]
  /** px from the chart's left and right edges to the plot area (margins + axis widths) */
  left: number
  right: number
  /** px from the chart's bottom edge to the plot area (margin + x axis) */
  bottom: number
}

/** The HTML gridlines for a chart's y axis, and its plot area's insets; they change only when the ticks do. */
export function useGridlines(
  axis: AxisSpec & { ticks?: readonly number[] },
  leftAxisPx: number,
  rightAxisPx: number,
  xAxisPx: number
): Gridlines {
  return useMemo(() => {
    const at = scaleOf(axis, 0, 1)
    return {
      fracs: (axis.ticks ?? []).map(at),
      left: CHART_MARGIN.left + leftAxisPx,
      right: CHART_MARGIN.right + rightAxisPx,
      bottom: CHART_MARGIN.bottom + xAxisPx
    }
  }, [axis, leftAxisPx, rightAxisPx, xAxisPx])
}
