/**
 * The HTML report's swimlane, read back from its SVG: one lane per request by work start, each phase where and as
 * wide as it lasted, the seconds of the window, the legend, and nothing for a run that kept no timeline. The plot is
 * 600 × 200 px inside its padding (16 left and right, 56 top, 30 bottom) over the window's 6 s: 10 ms a pixel.
 */
import { describe, expect, it } from 'vitest'
import { swimlaneSvg } from '../../src/shared/report/swimlane-svg'
import { INK } from '../../src/shared/report/svg-chart'
import type { TimelineBar } from '../../src/shared/timeline'
import { fixtureFrames, fixtureRun } from '../helpers/run-fixture'

const W = 632
const H = 286

function bar(sentAt: number, workStartAt: number, workMs: number): TimelineBar {
  return {
    sentAt,
    readAt: sentAt + 10,
    handlerAt: sentAt + 20,
    workStartAt,
    workEndAt: workStartAt + workMs,
    where: 'loop',
    writtenAt: workStartAt + workMs + 5
  }
}

const svgOf = (bars: TimelineBar[]): string => swimlaneSvg(fixtureRun({ timelineBars: bars }), W, H)!
const lanes = (svg: string): string[][] =>
  [...svg.matchAll(/<g data-bar="">(.*?)<\/g>/g)].map((m) => [...m[1]!.matchAll(/<rect ([^>]*)\/>/g)].map((r) => r[1]!))

describe("the report's swimlane", () => {
  it('draws one lane a request, in the order the work started, each phase at its time and length', () => {
    // sent together at 600 ms; the second's work ran first (a blocked loop's staircase, read bottom-up in time)
    const svg = svgOf([bar(600, 1220, 600), bar(600, 620, 600)])
    const [first, second] = lanes(svg)
    expect(first).toEqual([
      'x="76" y="56" width="2" height="17" fill="#E69F00"', // waiting to be read: 20 ms = 2 px
      'x="78" y="56" width="60" height="17" fill="#0072B2"', // working 620–1220
      'x="138" y="56" width="1" height="17" fill="#009E73"' // writing: 5 ms, drawn 1 px wide
    ])
    expect(second).toEqual([
      'x="76" y="74" width="2" height="17" fill="#E69F00"',
      'x="78" y="74" width="60" height="17" fill="#CC79A7"', // waiting for a thread (the loop) 620–1220
      'x="138" y="74" width="60" height="17" fill="#0072B2"',
      'x="198" y="74" width="1" height="17" fill="#009E73"'
    ])
  })

  it('marks each second of the window, says what it shows, and names the four phases', () => {
    const svg = svgOf([bar(100, 120, 50)])
    const seconds = [...svg.matchAll(/<text x="([\d.]+)" y="273"[^>]*>([^<]*)<\/text>/g)].map((m) => [+m[1]!, m[2]])
    expect(seconds).toEqual([0, 1, 2, 3, 4, 5, 6].map((s) => [16 + s * 100, `${s} s`]))
    expect(svg).toContain('<title>Each request&#39;s timeline: the last 6 s, 1 requests by work start</title>')
    const legend = [...svg.matchAll(/<rect x="(\d+)" y="30"[^>]*fill="([^"]+)"\/><text x="(\d+)"[^>]*>([^<]*)</g)]
    expect(legend.map((m) => [+m[1]!, m[2], +m[3]!, m[4]])).toEqual([
      [16, '#E69F00', 36, 'waiting to be read'],
      [178, '#CC79A7', 198, 'waiting for a thread'],
      [354, '#0072B2', 374, 'working (on the loop)'],
      [537, '#009E73', 557, 'writing']
    ])
  })

  it("names the wait before a call to the backend as the wait for a connection, in the dashboard's words", () => {
    const atBackend = { ...bar(100, 900, 500), where: 'backend' }
    const legendOf = (svg: string): string[] =>
      [...svg.matchAll(/<rect x="\d+" y="\d+"[^>]*\/><text [^>]*>([^<]*)</g)].map((m) => m[1]!)
    expect(legendOf(svgOf([atBackend]))).toEqual([
      'waiting to be read',
      'waiting for a connection',
      'working (at the backend)',
      'writing'
    ])
    // a run that switched from threads to the backend shows both kinds of wait under the one colour
    expect(legendOf(svgOf([atBackend, { ...bar(100, 300, 100), where: 'thread' }]))).toEqual([
      'waiting to be read',
      'waiting for a thread or a connection',
      'working (on a thread, at the backend)',
      'writing'
    ])
  })

  it('thins the lanes to fit many requests, never below a pixel, without gaps once they are thin', () => {
    // a saved run keeps its last 300 bars: 200 px over 300 lanes
    const many = Array.from({ length: 300 }, (_, i) => bar(100 + i, 200 + i, 100))
    const drawn = lanes(svgOf(many))
    expect(drawn).toHaveLength(300)
    expect(drawn[1]![0]).toMatch(/ y="56.7" width="[\d.]+" height="1" /)
    const ten = lanes(svgOf(Array.from({ length: 25 }, (_, i) => bar(100, 200 + i * 10, 10))))
    // 200 px over 25 lanes: 8 px each, a pixel of gap
    expect(ten[2]![0]).toMatch(/ y="72" width="[\d.]+" height="7" /)
  })

  it("shows a run longer than the window from its last frame: the seconds where they fall in the run's last 6 s", () => {
    // 100 frames, the last at 9,903 ms: the window is 3,903–9,903 ms, its first whole second 4 s, 97 ms (9.7 px) in
    const svg = swimlaneSvg(fixtureRun({ frames: fixtureFrames(100), timelineBars: [bar(8000, 8100, 500)] }), W, H)!
    const seconds = [...svg.matchAll(/<text x="([\d.]+)" y="273"[^>]*>([^<]*)<\/text>/g)].map((m) => [+m[1]!, m[2]])
    expect(seconds).toEqual([4, 5, 6, 7, 8, 9].map((s) => [Math.round((25.7 + (s - 4) * 100) * 10) / 10, `${s} s`]))
    // a grid line down the whole plot at each second
    const grid = [...svg.matchAll(/<line ([^>]*)\/>/g)].map((m) => m[1])
    expect(grid[0]).toBe(`x1="25.7" x2="25.7" y1="56" y2="256" stroke="${INK.grid}"`)
    expect(grid).toHaveLength(6)
    // the bar sent at 8 s: 4,097 ms into the window
    expect(lanes(svg)[0]![0]).toMatch(/^x="425.7" /)
  })

  it('keeps a pixel of gap between lanes of 4 px or more, and none between thinner ones', () => {
    const heights = (n: number): string[] =>
      lanes(svgOf(Array.from({ length: n }, (_, i) => bar(100, 200 + i, 10)))).map(
        (l) => l[0]!.match(/height="([\d.]+)"/)![1]!
      )
    // 200 px over 50 lanes: 4 px each, 3 drawn; over 100: 2 px each, drawn whole
    expect(new Set(heights(50))).toEqual(new Set(['3']))
    expect(new Set(heights(100))).toEqual(new Set(['2']))
  })

  it('is one whole SVG: its opening tag, the heading, each lane one group of rectangles, nothing loose between', () => {
    const svg = svgOf([bar(100, 120, 50), bar(100, 170, 50)])
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 632 286" width="632" height="286" role="img" aria-label="Each request&#39;s timeline: the last 6 s, 2 requests by work start" data-testid="report-chart-timeline" font-family="system-ui, sans-serif" font-size="12">/
    )
    expect(svg.endsWith('</svg>')).toBe(true)
    expect(svg).toContain(
      `<text x="16" y="18" font-size="15" font-weight="600" fill="${INK.fg}">Each request&#39;s timeline (the run&#39;s last seconds)</text>`
    )
    expect(svg.match(/<g data-bar="">(?:<rect [^>]*\/>)+<\/g>/g)).toHaveLength(2)
    // text only inside <text> and <title>: no stray characters between the elements
    expect(svg.replace(/<(text|title)\b[^>]*>[^<]*<\/\1>/g, '')).toMatch(/^(?:<[^>]+>)+$/)
  })

  it('puts the legend on a second line rather than past the edge when the work was in many places', () => {
    const places = ['loop', 'thread', 'backend', 'libuv pool'].map((where) => ({ ...bar(100, 300, 100), where }))
    const svg = swimlaneSvg(fixtureRun({ timelineBars: places }), 920, 300)!
    const legend = [...svg.matchAll(/<rect x="(\d+)" y="(\d+)" width="16"[^>]*\/><text [^>]*>([^<]*)</g)].map((m) => [
      +m[1]!,
      +m[2]!,
      m[3]
    ])
    expect(legend.map(([, , label]) => label)).toEqual([
      'waiting to be read',
      'waiting for a thread or a connection',
      'working (on the loop, on a thread, at the backend, on libuv&#39;s pool)',
      'writing'
    ])
    // each swatch and its words inside the 920 px, the last going on to a second line
    for (const [x, , label] of legend)
      expect((x as number) + 20 + (label as string).length * 7).toBeLessThanOrEqual(920)
    expect(legend.map(([, y]) => y)).toEqual([30, 30, 43, 43])
  })

  it('is not drawn for a run that kept no timeline', () => {
    expect(swimlaneSvg(fixtureRun(), W, H)).toBeNull()
    expect(swimlaneSvg(fixtureRun({ timelineBars: [] }), W, H)).toBeNull()
  })
})
