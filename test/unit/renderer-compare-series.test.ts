import { describe, expect, it } from 'vitest'
import {
  compareDomain,
  compareRuns,
  compareTicks,
  downsampleToWidth,
  takingTurns
} from '../../src/renderer/src/compare/compare-series'
import { markerSpots } from '../../src/renderer/src/compare/compare-markers'
import { toRow, type Row } from '../../src/renderer/src/frames/frame-window'
import { fixtureFrames, fixtureRun } from '../helpers/run-fixture'
import { makeFrame } from './renderer-fixtures'

const rowsOf = (count: number, at: (i: number) => Partial<Parameters<typeof makeFrame>[1]> = () => ({})): Row[] =>
  Array.from({ length: count }, (_, i) => toRow(makeFrame(i * 100, at(i))))

describe('the comparison’s runs and time axis', () => {
  it('draws runs started hours apart from their own start, on one axis that ends with the longest run', () => {
    const a = fixtureRun({ id: 'a', startedAt: '2026-12-02T00:00:00.000Z' })
    const b = fixtureRun({ id: 'b', startedAt: '2026-12-02T05:30:00.000Z', frames: fixtureFrames(60) })
    const [ra, rb] = compareRuns([a, b])
    expect(ra!.rows[0]!.tS).toBeCloseTo(0.003)
    expect(rb!.rows[0]!.tS).toBeCloseTo(0.003)
    expect(rb!.rows.at(-1)!.tS).toBeCloseTo(5.903)
    expect(compareDomain([ra!, rb!])).toEqual([0, 6])
    // each run's change stays at its own 1 s, not at its wall-clock time
    expect(ra!.marks.map((m) => m.t)).toEqual([1000])
    expect(rb!.marks.map((m) => m.t)).toEqual([1000])
  })

  it('gives each run its own letter, colour and marker', () => {
    const runs = compareRuns(['a', 'b', 'c', 'd'].map((id) => fixtureRun({ id })))
    expect(runs.map((r) => r.letter)).toEqual(['A', 'B', 'C', 'D'])
    expect(new Set(runs.map((r) => r.colour)).size).toBe(4)
    expect(new Set(runs.map((r) => r.marker)).size).toBe(4)
  })

  it('refuses more than four runs', () => {
    expect(() => compareRuns(['a', 'b', 'c', 'd', 'e'].map((id) => fixtureRun({ id })))).toThrow(/2 to 4 runs/)
  })

  it('ticks a 10-minute axis every minute on an 800-px plot, every 2 on a 400-px one', () => {
    expect(compareTicks([0, 600], 800)).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600])
    expect(compareTicks([0, 600], 400)).toEqual([0, 120, 240, 360, 480, 600])
    expect(compareTicks([0, 6], 800)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })
})

describe('a long run reduced to the plot’s width', () => {
  const salience = { high: (r: Row) => r.p99Ms, low: (r: Row) => r.p99Ms, step: (r: Row) => r.theoryRps }

  it('keeps at most two rows a pixel column, and the first and last row', () => {
    const rows = rowsOf(6000)
    const drawn = downsampleToWidth(rows, salience, [0, 600], 500)
    expect(drawn.length).toBeLessThanOrEqual(2 * 500 + 2)
    expect(drawn[0]).toBe(rows[0])
    expect(drawn.at(-1)).toBe(rows.at(-1))
  })

  it('never smooths away a one-frame spike, a dip, or a step of theory', () => {
    const rows = rowsOf(6000, (i) => ({
      latencyMs: { p50: 1, p90: 1, p99: i === 3001 ? 9000 : i === 4001 ? 0.5 : 100, max: 9000 },
      theoryRps: i >= 2500 ? 5 : 50
    }))
    const drawn = downsampleToWidth(rows, salience, [0, 600], 300)
    expect(drawn).toContain(rows[3001])
    expect(drawn).toContain(rows[4001])
    expect(drawn).toContain(rows[2500])
    expect(drawn.length).toBeLessThan(1000)
  })

  it('passes a short run unchanged', () => {
    const rows = rowsOf(300)
    expect(downsampleToWidth(rows, salience, [0, 30], 800)).toEqual(rows)
  })
})

describe('the run markers', () => {
  it('sit every spacing along the line, and not where it has a gap', () => {
    const rows = rowsOf(100, (i) => ({ rps: i >= 40 && i < 60 ? null : 10 }))
    const x = (r: Row): number => r.tS * 100
    const spots = markerSpots(
      rows,
      x,
      (r) => r.rps,
      (v) => v,
      { leftPx: 0, rightPx: 990, spacingPx: 200, phasePx: 100 }
    )
    expect(spots.map(([sx]) => sx)).toEqual([100, 300, 700, 900])
  })
})

describe('the change labels of several runs', () => {
  it('take turns, newest first, so every run gets its newest labelled before any run gets its older ones', () => {
    // the label layout places the last of the list first
    const order = takingTurns([['a1', 'a2', 'a3'], ['b1'], ['c1', 'c2']]).reverse()
    expect(order).toEqual(['a3', 'b1', 'c2', 'a2', 'c1', 'a1'])
  })
})
