/** A run's key: a short line in its colour with its marker on it, as its lines are drawn on the charts. */
import type { ReactNode } from 'react'
import type { Palette } from '../palette'
import { markerPath } from './compare-markers'
import type { CompareRun } from './compare-series'

export function RunSwatch({
  run,
  palette
}: {
  run: Pick<CompareRun, 'colour' | 'marker'>
  palette: Palette
}): ReactNode {
  const colour = palette[run.colour]
  return (
    <svg className="run-swatch" width="34" height="16" aria-hidden="true" data-marker={run.marker}>
      <line x1="1" y1="8" x2="33" y2="8" stroke={colour} strokeWidth={3.5} />
      <path d={markerPath(run.marker, 17, 8, 5)} fill={colour} stroke={palette.bg} strokeWidth={1.5} />
    </svg>
  )
}
