/**
 * What every chart shares: the rolling time axis, the settings-change markers, the legend with line styles, and
 * projector-sized type. Helpers return Recharts elements (not components) so each chart's children stay plain.
 */
import type { ReactElement, ReactNode } from 'react'
import { CartesianGrid, ReferenceLine, XAxis } from 'recharts'
import type { Mark } from '../../../shared/frame'
import { DASH, type Palette } from '../palette'
import { WINDOW_S } from '../hooks/frame-window'

export const TICK_PX = 16
export const CHART_MARGIN = { top: 12, right: 16, bottom: 4, left: 4 }

export interface ChartProps<Extra = unknown> {
  rows: readonly import('../hooks/frame-window').Row[]
  marks: readonly Mark[]
  palette: Palette
  /** [from, to] seconds since the run started */
  domain: readonly [number, number]
  extra?: Extra
}

/** The last 60 s, in whole seconds; before the first minute, 0–60. */
export function timeDomain(lastT: number | undefined): [number, number] {
  const to = Math.max(WINDOW_S, Math.ceil(lastT ?? 0))
  return [to - WINDOW_S, to]
}

export function timeTicks([from, to]: readonly [number, number]): number[] {
  const ticks: number[] = []
  for (let t = Math.ceil(from / 10) * 10; t <= to; t += 10) ticks.push(t)
  return ticks
}

export function grid(p: Palette): ReactElement {
  return <CartesianGrid stroke={p.grid} strokeDasharray="3 3" vertical={false} />
}

export function timeAxis(p: Palette, domain: readonly [number, number]): ReactElement {
  return (
    <XAxis
      dataKey="t"
      type="number"
      domain={[domain[0], domain[1]]}
      ticks={timeTicks(domain)}
      allowDataOverflow
      tick={{ fontSize: TICK_PX, fill: p.muted }}
      stroke={p.muted}
      tickFormatter={(s: number) => `${s}s`}
      height={28}
    />
  )
}

/** One labelled vertical line per settings change inside the window; labels staggered so neighbours stay legible. */
export function markLines(marks: readonly Mark[], p: Palette, yAxisId?: string): ReactElement[] {
  return marks.map((m, i) => (
    <ReferenceLine
      key={`${m.t}|${m.label}`}
      x={m.t / 1000}
      yAxisId={yAxisId}
      stroke={p.mark}
      strokeWidth={2}
      strokeDasharray={DASH.mark}
      ifOverflow="discard"
      label={{ value: m.label, position: 'insideTopLeft', fill: p.fg, fontSize: 15, fontWeight: 600, dy: (i % 3) * 18 }}
    />
  ))
}

export interface LegendItem {
  label: string
  color: string
  dash?: string
  area?: boolean
}

export function ChartFrame(props: { title: string; testId: string; legend: LegendItem[]; children: ReactNode; attrs?: Record<string, string> }): ReactNode {
  return (
    <figure className="chart" data-testid={`chart-${props.testId}`} {...props.attrs}>
      <figcaption>
        <h3>{props.title}</h3>
        <ul className="legend">
          {props.legend.map((item) => (
            <li key={item.label}>
              <svg width="34" height="14" aria-hidden="true">
                {item.area ? (
                  <rect x="1" y="2" width="32" height="10" fill={item.color} fillOpacity={0.45} stroke={item.color} strokeWidth={2} />
                ) : (
                  <line x1="1" y1="7" x2="33" y2="7" stroke={item.color} strokeWidth={4} strokeDasharray={item.dash} />
                )}
              </svg>
              {item.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="chart-body">{props.children}</div>
    </figure>
  )
}
