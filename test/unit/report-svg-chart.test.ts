/**
 * The HTML report's charts, read back from the SVG the way a reader reads them off the page: where a line is at
 * each time, the axes' numbers, the gap where a figure is missing, a stacked area's top, the stall's shading and a
 * settings change's marker. The chart is 400 × 200 px inside its padding, so positions are easy to write out.
 */
import { describe, expect, it } from 'vitest'
import { chartSvg, niceMax, reduceIndices, type ChartSpec } from '../../src/shared/report/svg-chart'

// padding 64 left, 52 right, 34 top, 40 bottom: the plot is x 64..464, y 34..234
const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  title: 'Throughput',
  testId: 'report-chart-throughput',
  tS: [0, 1, 2, 3, 4],
  series: [{ name: 'measured', color: '#0072B2', kind: 'line', values: [10, 20, null, 40, 50] }],
  leftUnit: 'req/s',
  marks: [],
  salience: () => 0,
  width: 516,
  height: 274,
  ...over
})

const pathOf = (svg: string, name: string): string | undefined =>
  new RegExp(`<path data-series="${name}" d="([^"]*)"`).exec(svg)?.[1]
/** the texts drawn at x, top to bottom as they come */
const textsAt = (svg: string, x: number): string[] =>
  [...svg.matchAll(new RegExp(`<text x="${x}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]!)

describe('a report chart', () => {
  it('draws a line through each point, with a gap where the figure is missing', () => {
    // the axis goes to 100 (50 and 5% of headroom, rounded up to 1, 2 or 5 × 10ⁿ)
    expect(pathOf(chartSvg(spec()), 'measured')).toBe('M64,214L164,194M364,154L464,134')
  })

  it('holds a stepped line until the next value', () => {
    const svg = chartSvg(
      spec({ series: [{ name: 'theory', color: '#000', kind: 'line', step: true, values: [50, 50, 25, 25, 25] }] })
    )
    expect(pathOf(svg, 'theory')).toBe('M64,134H164V134H264V184H364V184H464V184')
  })

  it('numbers the left axis in the unit, and the right one 0–100 % when a series is on it', () => {
    const svg = chartSvg(
      spec({
        rightUnit: '%',
        series: [
          { name: 'measured', color: '#0072B2', kind: 'line', values: [10, 20, null, 40, 150] },
          { name: 'busy', color: '#D55E00', kind: 'line', axis: 'right', values: [0, 50, 100, 100, 100] }
        ]
      })
    )
    expect(textsAt(svg, 58)).toEqual(['0', '50', '100', '150', '200'])
    expect(textsAt(svg, 470)).toEqual(['0%', '25%', '50%', '75%', '100%'])
    expect(pathOf(svg, 'measured')).toBe('M64,224L164,214M364,194L464,84')
    // the right axis: 100 % at the top, whatever the left axis goes to
    expect(pathOf(svg, 'busy')).toBe('M64,234L164,134L264,34L364,34L464,34')
    expect(svg).toContain('>req/s</text>')
    expect(textsAt(chartSvg(spec()), 470)).toEqual([])
  })

  it('numbers the time axis in round steps of seconds', () => {
    const svg = chartSvg(spec())
    const seconds = [...svg.matchAll(/<text x="([\d.]+)" y="251"[^>]*>([^<]*)<\/text>/g)].map((m) => [+m[1]!, m[2]])
    expect(seconds).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4].map((t) => [64 + t * 100, `${t} s`]))
  })

  it('stacks an area on its base, one closed shape per stretch of figures', () => {
    const svg = chartSvg(
      spec({
        series: [
          { name: 'active', color: '#0072B2', kind: 'area', values: [20, 20, 20, 20, 20] },
          { name: 'queued', color: '#E69F00', kind: 'area', values: [30, 30, null, 30, 30], base: [20, 20, 20, 20, 20] }
        ]
      })
    )
    // 50 on top of the chart's 100: queued's top is at 50, its bottom at active's 20
    expect(pathOf(svg, 'queued')).toBe('M64,134L164,134L164,194L64,194ZM364,134L464,134L464,194L364,194Z')
    expect(pathOf(svg, 'active')).toBe(
      'M64,194L164,194L264,194L364,194L464,194L464,234L364,234L264,234L164,234L64,234Z'
    )
  })

  it('shades a stall from its start to its end, and draws a settings change where it happened, labelled', () => {
    const svg = chartSvg(spec({ spans: [[1, 3]], marks: [{ tS: 2, label: 'blocking on' }] }))
    expect(svg).toMatch(/<rect x="164" y="34" width="200" height="200" fill="#D55E00" fill-opacity="0.12"\/>/)
    expect(svg).toMatch(/<line x1="264" x2="264" y1="34" y2="234"[^>]*stroke-dasharray="6 4"\/>/)
    expect(svg).toMatch(/<text x="264" y="46" dx="4"[^>]*>blocking on<\/text>/)
    // a stall too short to see still gets a pixel
    expect(chartSvg(spec({ spans: [[1, 1]] }))).toMatch(/<rect x="164" y="34" width="1" height="200"/)
  })

  it('names every series in the legend, and escapes every text it is given', () => {
    const svg = chartSvg(
      spec({
        title: 'a <b> & "c"',
        marks: [{ tS: 1, label: '<script>' }],
        series: [
          { name: 'measured', color: '#0072B2', kind: 'line', values: [1, 1, 1, 1, 1] },
          { name: 'theory', color: '#000', kind: 'line', dash: '5 4', values: [2, 2, 2, 2, 2] }
        ]
      })
    )
    expect(svg).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>')
    expect(svg).toContain('>&lt;script&gt;</text>')
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('>measured</text>')
    expect(svg).toContain('>theory</text>')
    expect(svg).toMatch(/stroke="#000" stroke-width="3" stroke-dasharray="5 4"\/><text[^>]*>theory</)
    // right-aligned above the plot, in the series' order, each entry as wide as its name
    const legend = [...svg.matchAll(/<line x1="([\d.]+)" x2="[\d.]+" y1="14"[^>]*\/><text x="([\d.]+)"[^>]*>(\w+)</g)]
    expect(legend.map((m) => [m[3], +m[1]!, +m[2]!])).toEqual([
      ['theory', 385, 405],
      ['measured', 291, 311]
    ])
  })

  it('draws nothing for a series with no figure at all', () => {
    const svg = chartSvg(
      spec({ series: [{ name: 'none', color: '#000', kind: 'line', values: [null, null, null, null, null] }] })
    )
    expect(pathOf(svg, 'none')).toBeUndefined()
    expect(textsAt(svg, 58)).toEqual(['0', '0.25', '0.5', '0.75', '1'])
  })
})

describe("a report chart's frame", () => {
  it('is one svg element with its title, grid, ticks, unit label and plot frame where they belong', () => {
    const svg = chartSvg(spec())
    expect(
      svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 516 274" width="516" height="274"')
    ).toBe(true)
    expect(svg.endsWith('</svg>')).toBe(true)
    expect(svg.match(/<svg /g)).toHaveLength(1)
    expect(svg).toContain('<text x="64" y="18" font-size="15" font-weight="600" fill="#111418">Throughput</text>')
    // the grid across the plot at each quarter of the axis
    expect(svg).toContain('<line x1="64" x2="464" y1="134" y2="134" stroke="#d6dbe1" stroke-width="1"/>')
    // a tick under the plot at each time step
    expect(svg).toContain('<line x1="164" x2="164" y1="234" y2="238" stroke="#4a5563"/>')
    expect(svg).toContain('<text x="12" y="26" fill="#4a5563">req/s</text>')
    expect(svg).toContain('<rect x="64" y="34" width="400" height="200" fill="none" stroke="#d6dbe1"/>')
  })

  it('has no text outside its text elements', () => {
    const svg = chartSvg(
      spec({
        marks: [{ tS: 1, label: 'c 10' }],
        spans: [[1, 2]],
        series: [
          { name: 'none', color: '#000', kind: 'line', values: [null, null, null, null, null] },
          { name: 'area', color: '#000', kind: 'area', values: [null, null, null, null, null] },
          { name: 'measured', color: '#0072B2', kind: 'line', values: [1, 2, 3, 4, 5] }
        ]
      })
    )
    const stray = [...svg.matchAll(/<(\/?)(\w+)[^>]*>([^<]+)/g)].filter(
      (m) => m[1] === '/' || !/^(text|title)$/.test(m[2]!)
    )
    expect(stray.map((m) => m[0])).toEqual([])
    // a series with no figure draws no path, line or area
    expect(svg).not.toContain('data-series="none"')
    expect(svg).not.toContain('data-series="area"')
  })

  it('draws a line 2.5 px wide, an area 1 px, unless told, and dashes a dashed line', () => {
    const svg = chartSvg(
      spec({
        series: [
          { name: 'a', color: '#000', kind: 'line', values: [1, 1, 1, 1, 1] },
          { name: 'b', color: '#000', kind: 'line', width: 3, dash: '10 6', values: [1, 1, 1, 1, 1] },
          { name: 'c', color: '#000', kind: 'area', values: [1, 1, 1, 1, 1] },
          { name: 'd', color: '#000', kind: 'area', width: 2, values: [1, 1, 1, 1, 1] }
        ]
      })
    )
    const attrs = (name: string): string => new RegExp(`<path data-series="${name}" d="[^"]*" ([^>]*)/>`).exec(svg)![1]!
    expect(attrs('a')).toBe('fill="none" stroke="#000" stroke-width="2.5" stroke-linejoin="round"')
    expect(attrs('b')).toBe(
      'fill="none" stroke="#000" stroke-width="3" stroke-linejoin="round" stroke-dasharray="10 6"'
    )
    expect(attrs('c')).toBe('fill="#000" fill-opacity="0.55" stroke="#000" stroke-width="1"')
    expect(attrs('d')).toBe('fill="#000" fill-opacity="0.55" stroke="#000" stroke-width="2"')
    // the legend's swatch is 16 px wide
    expect(svg).toMatch(/<line x1="([\d.]+)" x2="([\d.]+)" y1="14"/)
    for (const m of svg.matchAll(/<line x1="([\d.]+)" x2="([\d.]+)" y1="14"/g)) expect(+m[2]! - +m[1]!).toBe(16)
    // a solid line's swatch has no dash, the dashed one's its dash
    const swatches = [...svg.matchAll(/<line x1="[\d.]+" x2="[\d.]+" y1="14" y2="14" ([^>]*)>/g)].map((m) => m[1])
    expect(swatches).toContain('stroke="#000" stroke-width="3"/')
    expect(swatches).toContain('stroke="#000" stroke-width="3" stroke-dasharray="10 6"/')
  })

  it("sets the left axis by the left series alone: a right series' larger figures do not squash it", () => {
    const svg = chartSvg(
      spec({
        rightUnit: '%',
        series: [
          { name: 'delay', color: '#0072B2', kind: 'line', values: [10, 20, 30, 40, 40] },
          { name: 'busy', color: '#D55E00', kind: 'line', axis: 'right', values: [100, 100, 100, 100, 100] }
        ]
      })
    )
    // 40 and 5% of headroom: an axis to 50, not to the right series' 100
    expect(textsAt(svg, 58)).toEqual(['0', '12.5', '25', '37.5', '50'])
  })

  it('ends a series shorter than the time axis where its figures end', () => {
    const svg = chartSvg(spec({ series: [{ name: 'q', color: '#000', kind: 'area', values: [10, 10] }] }))
    expect(pathOf(svg, 'q')).toBe('M64,134L164,134L164,234L64,234Z')
  })

  it('starts an area after a leading gap without an empty shape', () => {
    const svg = chartSvg(
      spec({ series: [{ name: 'q', color: '#000', kind: 'area', values: [null, 10, 10, null, null] }] })
    )
    // 10 on an axis to 20: half way up
    expect(pathOf(svg, 'q')).toBe('M164,134L264,134L264,234L164,234Z')
  })
})

describe("an axis's top", () => {
  it('is 1, 2 or 5 × 10ⁿ at or above the largest figure, and 1 with nothing to show', () => {
    expect([0.03, 1, 1.01, 3, 7, 50, 52.5, 2001].map(niceMax)).toEqual([0.05, 1, 2, 5, 10, 50, 100, 5000])
    expect([0, -3, NaN].map(niceMax)).toEqual([1, 1, 1])
  })

  it('says a large figure in thousands', () => {
    const svg = chartSvg(spec({ series: [{ name: 'rps', color: '#000', kind: 'line', values: [0, 0, 0, 0, 19_000] }] }))
    expect(textsAt(svg, 58)).toEqual(['0', '5000', '10k', '15k', '20k'])
  })
})

describe('reducing a run to the pixel columns', () => {
  it("keeps each column's lowest and highest point in time order, the first of equals, one for a flat column", () => {
    const v = [5, 1, 9, 3, 9, 2, 2, 2, 2, 2]
    expect(reduceIndices(v.length, 2, (i) => v[i]!)).toEqual([1, 2, 5])
    expect(reduceIndices(4, 2, () => 0)).toEqual([0, 1, 2, 3])
    // a column ends before the next one's first point, however salient that is
    const spike = [0, 0, 0, 0, 0, 9, 0, 0, 0, 0]
    expect(reduceIndices(spike.length, 2, (i) => spike[i]!)).toEqual([0, 5, 6])
  })
})
