/**
 * Two to four saved runs compared: the same four charts as the dashboard (requests in flight, throughput beside
 * each run's theory, latency p99, the event loop with each run's stalls), every run on one time axis from its own
 * start, one colour, letter and marker a run; a legend naming each run and when it started; and the summaries side
 * by side with their differences. Mounted by the Runs view: `<CompareView runs={…} onClose={…} />`.
 */
import { useMemo, type ReactNode } from 'react'
import { STALL_THRESHOLD_MS } from '../../../shared/frame'
import { runSummary, type RunFile } from '../../../shared/run-file'
import { describeSettings } from '../../../shared/run-words'
import type { Salience } from '../frames/downsample'
import type { Row } from '../frames/frame-window'
import { stallSpans, type Span } from '../frames/stall-spans'
import { usePalette } from '../hooks/use-theme'
import { DASH, STROKE } from '../palette'
import { formatCount, formatMsTick, latencyScale, linearAxis } from '../scales'
import { CHART_TYPE } from '../charts/chart-layout'
import type { ValueAxisSpec } from '../charts/chart-parts'
import { CompareChart, type CompareLine, type LineKey } from './CompareChart'
import { CompareTable } from './CompareTable'
import { RunSwatch } from './RunSwatch'
import { compareDomain, compareRuns, MAX_COMPARED, startedWords, type CompareRun } from './compare-series'
import './compare.css'

const stallOf = (r: Row): number | null => (r.stalled ? r.stallMs : null)

const REQUESTS: { lines: CompareLine[]; salience: Salience; keys: LineKey[] } = {
  lines: [{ key: 'inFlight', value: (r) => r.inFlight, step: true, width: STROKE.main, markers: true }],
  salience: { high: (r) => r.inFlight, low: (r) => r.inFlight },
  keys: [{ label: 'in flight (active + queued)' }]
}
const THROUGHPUT = {
  lines: [
    { key: 'rps', value: (r) => r.rps, width: STROKE.main, markers: true },
    { key: 'theory', value: (r) => r.theoryRps, step: true, width: STROKE.secondary, dash: DASH.theory }
  ] as CompareLine[],
  salience: { high: (r) => r.rps, low: (r) => r.rps, step: (r) => r.theoryRps } as Salience,
  keys: [{ label: 'measured' }, { label: 'theory (Little’s law)', dash: DASH.theory }] as LineKey[]
}
const LATENCY = {
  lines: [
    { key: 'p99', value: (r) => r.p99Ms, connectNulls: true, width: STROKE.main, markers: true }
  ] as CompareLine[],
  salience: { high: (r) => r.p99Ms, low: (r) => r.p99Ms } as Salience,
  keys: [{ label: 'p99' }] as LineKey[]
}
const LOOP = {
  lines: [
    { key: 'stall', value: stallOf, width: 1.5, fillOpacity: 0.3 },
    { key: 'loopP99', value: (r) => r.loopP99Ms, width: STROKE.main, markers: true }
  ] as CompareLine[],
  salience: {
    high: (r) => Math.max(stallOf(r) ?? 0, r.loopP99Ms),
    low: (r) => (r.stalled ? null : r.loopP99Ms)
  } as Salience,
  keys: [{ label: `blocked (stall > ${STALL_THRESHOLD_MS} ms)`, area: true }, { label: 'delay p99' }] as LineKey[]
}

export function CompareView(props: { runs: readonly RunFile[]; onClose: () => void; presenter?: boolean }): ReactNode {
  const palette = usePalette()
  const type = props.presenter ? CHART_TYPE.presenter : CHART_TYPE.normal
  const fits = props.runs.length >= 2 && props.runs.length <= MAX_COMPARED
  const runs = useMemo(() => (fits ? compareRuns(props.runs) : []), [props.runs, fits])
  const summaries = useMemo(() => props.runs.map(runSummary), [props.runs])
  const domain = useMemo(() => compareDomain(runs), [runs])
  const all = useMemo(() => runs.flatMap((r) => r.rows), [runs])
  const axes = useMemo(() => {
    const ms = (axis: ValueAxisSpec['axis']): ValueAxisSpec => ({ axis, width: 80, format: formatMsTick })
    return {
      requests: { axis: linearAxis(all, (r) => r.inFlight), width: 64, integers: true } as ValueAxisSpec,
      throughput: {
        axis: linearAxis(all, (r) => Math.max(r.rps ?? 0, r.theoryRps ?? 0) * 1.05),
        width: 72,
        format: formatCount
      } as ValueAxisSpec,
      latency: ms(latencyScale(all.map((r) => r.p99Ms))),
      loop: ms(linearAxis(all, (r) => Math.max(stallOf(r) ?? 0, r.loopP99Ms), 10))
    }
  }, [all])
  const spans = useMemo(() => new Map<string, Span[]>(runs.map((r) => [r.id, stallSpans(r.rows)])), [runs])
  const shading = useMemo(
    () =>
      (run: CompareRun): readonly Span[] =>
        spans.get(run.id) ?? [],
    [spans]
  )

  const chart = { runs, domain, palette, type }
  return (
    <section
      className={`compare${props.presenter ? ' compare-presenter' : ''}`}
      data-testid="compare"
      aria-label="Compare runs"
    >
      <header className="compare-head">
        <h2>Compare runs</h2>
        <button type="button" onClick={props.onClose} data-testid="compare-close">
          Close
        </button>
      </header>
      {!fits ? (
        <p className="note">
          Choose 2 to {MAX_COMPARED} runs to compare ({props.runs.length} chosen).
        </p>
      ) : (
        <>
          <ul className="compare-legend" data-testid="compare-legend">
            {runs.map((run, i) => (
              <li key={run.id} data-run={run.id}>
                <RunSwatch run={run} palette={palette} />
                <strong className="compare-letter">{run.letter}</strong>
                <span className="compare-name" title={`${run.name} — ${describeSettings(props.runs[i]!.settings)}`}>
                  {run.name}
                </span>
                <span className="muted">
                  {startedWords(run.startedAt)} · {+run.durationS.toFixed(1)} s
                </span>
              </li>
            ))}
          </ul>
          <div className="compare-charts">
            <CompareChart {...chart} {...REQUESTS} kind="requests" title="Requests in flight" axis={axes.requests} />
            <CompareChart
              {...chart}
              {...THROUGHPUT}
              kind="throughput"
              title="Throughput (req/s)"
              axis={axes.throughput}
            />
            <CompareChart {...chart} {...LATENCY} kind="latency" title="Latency p99" axis={axes.latency} />
            <CompareChart {...chart} {...LOOP} kind="loop" title="Event loop" axis={axes.loop} shading={shading} />
          </div>
          <CompareTable runs={runs} summaries={summaries} palette={palette} />
        </>
      )}
    </section>
  )
}
