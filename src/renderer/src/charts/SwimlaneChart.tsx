/**
 * Each request's timeline as a swimlane: one bar per answered request over the last few seconds, the earliest work
 * start at the top, coloured by phase (waiting to be read, waiting for a thread or a connection, working, writing). The evented 2-s
 * experiment draws blocks of parallel bars, blocking a staircase, ten threads a staircase of tens.
 *
 * Plain SVG, no Recharts and no animation: at most TIMELINE_MAX_BARS lanes, laid out by shared/timeline-layout.ts
 * (the HTML report draws the same layout), drawn as one path per phase whose subpaths are the lanes' spans in lane
 * order (the working path's k-th subpath is the work of the k-th lane that has any). Measured in bench/renderer.ts.
 * The bars come from the host (frames' timeline, kept by keepBars): nothing is derived here.
 */
import { memo, useMemo, useRef, type ReactNode } from 'react'
import {
  phaseLabels,
  TIMELINE_PHASES,
  TIMELINE_WINDOW_MS,
  type TimelineBar,
  type TimelinePhase
} from '../../../shared/timeline'
import { laneHeightPx, swimlaneLanes, swimlaneWindow } from '../../../shared/timeline-layout'
import type { Palette } from '../palette'
import { ChartLegend } from './chart-parts'
import type { ChartType } from './chart-layout'
import { useSize } from './use-size'

const PAD = { left: 14, right: 18, top: 6 }

export function phaseColors(p: Palette): Record<TimelinePhase, string> {
  return { 'waiting to be read': p.orange, 'waiting for a thread': p.purple, working: p.blue, writing: p.green }
}

const Lanes = memo(function Lanes(props: {
  bars: readonly TimelineBar[]
  toMs: number
  palette: Palette
  type: ChartType
}): ReactNode {
  const ref = useRef<SVGSVGElement>(null)
  const size = useSize(ref)
  const { bars, toMs, type } = props
  const colors = phaseColors(props.palette)
  let body: ReactNode = null
  if (size) {
    const left = PAD.left
    const right = size.w - PAD.right
    const top = PAD.top
    const bottom = size.h - type.xAxisPx
    const width = right - left
    if (width > 0 && bottom > top) {
      const lanes = swimlaneLanes(bars, toMs)
      const h = laneHeightPx(lanes.length, bottom - top)
      // a thin lane keeps a hair of gap only when there is room for it
      const gap = h >= 4 ? 1 : 0
      // one path per phase, one rectangle (subpath) per lane in lane order: four DOM nodes however many bars (900
      // rects, one element each, cost ~4 ms a frame in the renderer bench)
      const paths = { 'waiting to be read': '', 'waiting for a thread': '', working: '', writing: '' } as Record<
        TimelinePhase,
        string
      >
      const hPx = Math.max(1, h - gap).toFixed(1)
      lanes.forEach((lane, i) => {
        const y = (top + i * h).toFixed(1)
        for (const s of lane.spans) {
          const w = Math.max(1, s.w * width)
          paths[s.phase] += `M${(left + s.x * width).toFixed(1)} ${y}h${w.toFixed(1)}v${hPx}h${(-w).toFixed(1)}z`
        }
      })
      const shown = swimlaneWindow(toMs)
      const fromS = shown.fromMs / 1000
      const ticks: number[] = []
      for (let s = Math.ceil(fromS); s <= shown.toMs / 1000; s++) ticks.push(s)
      const xOf = (s: number): number => left + ((s - fromS) / (TIMELINE_WINDOW_MS / 1000)) * width
      body = (
        <>
          {ticks.map((s) => (
            <g key={s}>
              <line x1={xOf(s)} x2={xOf(s)} y1={top} y2={bottom} stroke={props.palette.grid} strokeWidth={1} />
              <text
                x={xOf(s)}
                y={bottom + type.tickPx + 4}
                fontSize={type.tickPx}
                fill={props.palette.muted}
                textAnchor="middle"
              >
                {`${s}s`}
              </text>
            </g>
          ))}
          {TIMELINE_PHASES.map((phase) => (
            <path
              key={phase}
              data-testid={`swimlane-${phase.replaceAll(' ', '-')}`}
              d={paths[phase]}
              fill={colors[phase]}
            />
          ))}
        </>
      )
    }
  }
  return (
    <svg ref={ref} className="swimlane-plot" aria-hidden="true">
      {body}
    </svg>
  )
})

export const SwimlaneChart = memo(function SwimlaneChart(props: {
  bars: readonly TimelineBar[]
  /** the newest frame's time, ms since the run started: the window's right edge */
  toMs: number
  /** requests the newest frame's bars were sampled from (null: a saved run, which did not keep the count) */
  answered: number | null
  sampled: number
  palette: Palette
  type: ChartType
}): ReactNode {
  const { bars, palette: p } = props
  const colors = useMemo(() => phaseColors(p), [p])
  const labels = phaseLabels(bars)
  const waiting = labels['waiting for a thread']
  const working = labels.working
  const legend = useMemo(
    () =>
      TIMELINE_PHASES.map((phase) => ({
        label: phase === 'working' ? working : phase === 'waiting for a thread' ? waiting : phase,
        color: colors[phase],
        area: true
      })),
    [colors, waiting, working]
  )
  const windowS = TIMELINE_WINDOW_MS / 1000
  const sample =
    props.answered !== null && props.answered > props.sampled
      ? `, a sample: ${props.sampled} of the ${props.answered} answered in the last frame`
      : ''
  return (
    <figure className="chart chart-swimlane" data-testid="chart-timeline" data-bars={bars.length}>
      <figcaption>
        <h3>Each request's timeline</h3>
        <ChartLegend items={legend} />
        <p
          className="chart-note"
          data-testid="note-timeline"
          title="From the subject's diagnostics_channel (request read, answer written), the handler's marks (its start, its work's start and end) and the send time the crowd puts in each request. A request shows once answered."
        >
          <span className="chart-note-long">{`One bar per request answered in the last ${windowS} s, in the order their work started${sample}.`}</span>
          <span className="chart-note-short">{`Answered in the last ${windowS} s, by work start.`}</span>
        </p>
      </figcaption>
      <div
        className="chart-body"
        role="img"
        aria-label={`Each request's timeline, the last ${windowS} seconds: ${bars.length} requests`}
      >
        <Lanes bars={bars} toMs={props.toMs} palette={p} type={props.type} />
      </div>
    </figure>
  )
})
