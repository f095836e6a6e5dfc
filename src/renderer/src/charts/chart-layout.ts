/**
 * Where a chart's plot area sits inside its body: Recharts lays it out from these margins and the axis widths each
 * chart gives, and the HTML gridlines and the live series (LivePlot) are placed by the same numbers.
 */
import { useMemo } from 'react'
import { scaleOf, type AxisSpec } from './plot-geometry'

export const CHART_MARGIN = { top: 12, right: 16, bottom: 4, left: 4 }
/** x-axis height, px */
export const X_AXIS_PX = 28

export interface Gridlines {
  /** 0 (bottom of the plot) … 1 (top), one per y tick */
  fracs: readonly number[]
  /** px from the chart's left and right edges to the plot area (margins + axis widths) */
  left: number
  right: number
}

/** The HTML gridlines for a chart's y axis, and its plot area's side insets; they change only when the ticks do. */
export function useGridlines(axis: AxisSpec & { ticks?: readonly number[] }, leftAxisPx: number, rightAxisPx = 0): Gridlines {
  return useMemo(() => {
    const at = scaleOf(axis, 0, 1)
    return {
      fracs: (axis.ticks ?? []).map(at),
      left: CHART_MARGIN.left + leftAxisPx,
      right: CHART_MARGIN.right + rightAxisPx
    }
  }, [axis, leftAxisPx, rightAxisPx])
}
