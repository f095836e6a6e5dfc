/**
 * A saved run's charts as static SVG, the same four the dashboard draws (one more with subscribers, one more with a
 * backend: at it and waiting for a connection of the pool, stacked): requests in flight
 * (active and queued, stacked), throughput vs theory (dashed), latency p50/p99/max, and the event loop (delay p99,
 * the stall shaded where the host called the loop stalled, utilization on a 0–100 % axis). Colours are the
 * dashboard's light Okabe–Ito set (src/renderer/src/palette.ts), repeated here because shared code cannot import the
 * renderer's.
 */
import type { RunFile } from '../run-file'
import { chartSvg, type ChartSpec } from './svg-chart'
import { swimlaneSvg } from './swimlane-svg'

const C = {
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  sky: '#56B4E9'
}
const DASH = { theory: '10 6', max: '2 5' }

/** Stretches of stalled frames, [from, to] s, each from when the loop stopped answering (now − stall). */
export function stallSpans(
  tS: readonly number[],
  stallMs: readonly number[],
  stalled: readonly boolean[]
): [number, number][] {
  const spans: [number, number][] = []
  let open: [number, number] | null = null
  for (let i = 0; i < tS.length; i++) {
    if (!stalled[i]) {
      open = null
      continue
    }
    const from = Math.max(tS[i]! - stallMs[i]! / 1000, tS[0]!)
    if (open && from <= open[1] + 0.15) open[1] = tS[i]!
    else spans.push((open = [from, tS[i]!]))
  }
  return spans
}

export function runChartSpecs(run: RunFile): ChartSpec[] {
  const c = run.frames
  const tS = c.t.map((t) => t / 1000)
  const marks = run.changes.map((m) => ({ tS: m.t / 1000, label: m.label }))
  const specs: ChartSpec[] = [
    {
      title: 'Requests in flight',
      testId: 'report-chart-requests',
      tS,
      leftUnit: 'requests',
      marks,
      salience: (i) => c.inFlight[i]!,
      series: [
        { name: 'active (being served)', kind: 'area', color: C.blue, values: c.active },
        { name: 'queued (waiting)', kind: 'area', color: C.vermillion, values: c.queued, base: c.active }
      ]
    },
    {
      title: 'Throughput (req/s)',
      testId: 'report-chart-throughput',
      tS,
      leftUnit: 'req/s',
      marks,
      salience: (i) => c.rps[i] ?? 0,
      series: [
        { name: 'measured', kind: 'line', color: C.blue, values: c.rps, width: 3 },
        {
          name: "theory (Little's law)",
          kind: 'line',
          color: C.orange,
          values: c.theoryRps,
          dash: DASH.theory,
          step: true,
          width: 3
        }
      ]
    },
    {
      title: 'Latency (ms)',
      testId: 'report-chart-latency',
      tS,
      leftUnit: 'ms',
      marks,
      salience: (i) => c.latencyMaxMs[i] ?? 0,
      series: [
        { name: 'p50', kind: 'line', color: C.green, values: c.latencyP50Ms, width: 3 },
        { name: 'p99', kind: 'line', color: C.orange, values: c.latencyP99Ms, width: 3 },
        { name: 'max', kind: 'line', color: C.purple, values: c.latencyMaxMs, dash: DASH.max }
      ]
    },
    {
      title: 'Event loop',
      testId: 'report-chart-loop',
      tS,
      leftUnit: 'ms',
      rightUnit: '%',
      marks,
      salience: (i) => Math.max(c.stalled[i] ? c.stallMs[i]! : 0, c.loopDelayP99Ms[i]!),
      spans: stallSpans(tS, c.stallMs, c.stalled),
      spanColor: C.vermillion,
      series: [
        {
          name: 'blocked (stall)',
          kind: 'area',
          color: C.vermillion,
          values: c.stallMs.map((s, i) => (c.stalled[i] ? s : null))
        },
        { name: 'delay p99', kind: 'line', color: C.blue, values: c.loopDelayP99Ms, width: 3 },
        {
          name: 'utilization %',
          kind: 'line',
          color: C.green,
          values: c.loopUtilization.map((u) => u * 100),
          axis: 'right'
        }
      ]
    }
  ]
  if (c.lpHeld.some((h) => h !== null)) {
    specs.push({
      title: 'Long polling: held connections',
      testId: 'report-chart-long-poll',
      tS,
      leftUnit: 'connections',
      marks,
      salience: (i) => c.lpHeld[i] ?? 0,
      series: [{ name: 'held connections', kind: 'area', color: C.sky, values: c.lpHeld }]
    })
  }
  if (c.upstreamInFlight.some((n) => n !== null)) {
    specs.push({
      title: 'Backend: in flight and waiting',
      testId: 'report-chart-backend',
      tS,
      leftUnit: 'requests',
      marks,
      salience: (i) => (c.upstreamInFlight[i] ?? 0) + (c.upstreamWaiting[i] ?? 0),
      series: [
        { name: 'at the backend', kind: 'area', color: C.sky, values: c.upstreamInFlight },
        {
          name: 'waiting for a connection',
          kind: 'area',
          color: C.vermillion,
          values: c.upstreamWaiting,
          base: c.upstreamInFlight
        }
      ]
    })
  }
  return specs
}

/** The time charts, then each request's timeline at the run's end when the run kept one. */
export function runChartsSvg(run: RunFile): string[] {
  const swimlane = swimlaneSvg(run)
  return [...runChartSpecs(run).map(chartSvg), ...(swimlane ? [swimlane] : [])]
}
