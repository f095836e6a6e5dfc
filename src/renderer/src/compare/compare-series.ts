/**
 * Saved runs → what the comparison draws: each run's frames as chart rows on one time axis that starts at each
 * run's own start (0 s) and ends with the longest run, a letter, colour and marker per run (so colour is never the
 * only difference), and each run's rows reduced to the plot's width in pixels: per pixel column, the frame where a
 * chart's value is highest and the one where it is lowest, in time order — a 10-minute run (6,000 frames) draws at
 * most two points a pixel, and a stall's peak or a latency spike is still a real frame at its real time.
 * Pure, no React.
 */
import type { Mark } from '../../../shared/frame'
import { runFrames, runSummary, type RunFile } from '../../../shared/run-file'
import type { Salience } from '../frames/downsample'
import { toRow, type Row } from '../frames/frame-window'
import type { Palette } from '../palette'

export const MAX_COMPARED = 4
export const RUN_LETTERS = ['A', 'B', 'C', 'D'] as const
/** Okabe–Ito hues far apart from one another in both themes (orange and sky are too near vermillion and blue) */
export const RUN_COLOURS = ['blue', 'vermillion', 'green', 'purple'] as const satisfies ReadonlyArray<keyof Palette>
export const RUN_MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const
export type MarkerShape = (typeof RUN_MARKERS)[number]

export interface CompareRun {
  id: string
  letter: string
  name: string
  startedAt: string
  colour: (typeof RUN_COLOURS)[number]
  marker: MarkerShape
  /** every frame, tS in seconds since this run's start */
  rows: Row[]
  /** its settings changes, t in ms since this run's start */
  marks: Mark[]
  durationS: number
}

export function compareRuns(runs: readonly RunFile[]): CompareRun[] {
  if (runs.length > MAX_COMPARED) throw new RangeError(`compare takes 2 to ${MAX_COMPARED} runs, not ${runs.length}`)
  return runs.map((run, i) => {
    // a frame's t is already ms since its run started: the runs line up at 0 whatever their wall-clock start
    const rows = runFrames(run).map(toRow)
    return {
      id: run.id,
      letter: RUN_LETTERS[i]!,
      name: run.name,
      startedAt: run.startedAt,
      colour: RUN_COLOURS[i]!,
      marker: RUN_MARKERS[i]!,
      rows,
      marks: runSummary(run).marks,
      durationS: Math.max(run.summary.durationMs / 1000, rows.at(-1)?.tS ?? 0)
    }
  })
}

/** 0 s to the end of the longest run, in whole seconds. */
export function compareDomain(runs: readonly Pick<CompareRun, 'durationS'>[]): [number, number] {
  return [0, Math.max(1, Math.ceil(Math.max(0, ...runs.map((r) => r.durationS))))]
}

/** steps a time axis takes, s: round seconds, then round minutes */
const TICK_STEPS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600]

/** Ticks at a round step that leaves each label at least `minGapPx` of the plot's width. */
export function compareTicks([from, to]: readonly [number, number], plotWidthPx: number, minGapPx = 72): number[] {
  const most = Math.max(1, Math.floor(plotWidthPx / minGapPx))
  const span = to - from
  const step = TICK_STEPS_S.find((s) => span / s <= most) ?? Math.ceil(span / most / 3600) * 3600
  const ticks: number[] = []
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) ticks.push(t)
  return ticks
}

/**
 * At most two rows per pixel column of a plot `widthPx` wide over `domain` (the column's highest and lowest by
 * `s`, and any step of `s.step`), and always the first and last row, so each line reaches its run's ends.
 * Fewer rows than twice the width pass unchanged.
 */
export function downsampleToWidth(
  rows: readonly Row[],
  s: Salience,
  domain: readonly [number, number],
  widthPx: number
): Row[] {
  const n = rows.length
  const columns = Math.max(1, Math.floor(widthPx))
  if (n <= 2 * columns) return rows.slice()
  const columnS = (domain[1] - domain[0]) / columns
  const column = (r: Row): number => Math.floor((r.tS - domain[0]) / columnS)
  const keep = new Set<number>([0, n - 1])
  let i = 0
  while (i < n) {
    const c = column(rows[i]!)
    let hi = -Infinity
    let lo = Infinity
    let hiAt = -1
    let loAt = -1
    const start = i
    for (; i < n && column(rows[i]!) === c; i++) {
      const h = s.high(rows[i]!)
      const l = s.low(rows[i]!)
      if (h !== null && h > hi) {
        hi = h
        hiAt = i
      }
      if (l !== null && l < lo) {
        lo = l
        loAt = i
      }
      if (s.step && i > 0 && s.step(rows[i]!) !== s.step(rows[i - 1]!)) keep.add(i)
    }
    if (hiAt >= 0) keep.add(hiAt)
    if (loAt >= 0) keep.add(loAt)
    // a column with no value at all (a settling gap): keep one row of it, so the gap stays a gap
    if (hiAt < 0 && loAt < 0) keep.add(start)
  }
  return [...keep].sort((a, b) => a - b).map((k) => rows[k]!)
}

/**
 * Every run's change labels in one list for mark-labels.ts, which places the last first: so the last is each run's
 * newest, before it each run's next newest, and so on — no run's labels crowd out all of another's.
 */
export function takingTurns<T>(perRun: ReadonlyArray<readonly T[]>): T[] {
  const turns: T[] = []
  for (let k = 1; perRun.some((list) => list.length >= k); k++)
    for (const list of perRun) if (list.length >= k) turns.push(list[list.length - k]!)
  return turns.reverse()
}

/** "2 Dec 2026, 01:31 UTC": when a run started, in the legend (UTC, as the CLI and report say it). */
export function startedWords(iso: string): string {
  const d = new Date(iso)
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
  return `${date}, ${time} UTC`
}
