import { describe, expect, it } from 'vitest'
import { runCsv } from '../../src/shared/run-csv'
import { reportHtml } from '../../src/shared/report/report-html'
import { reduceIndices } from '../../src/shared/report/svg-chart'
import { fixtureFrames, fixtureRun } from '../helpers/run-fixture'

describe('the CSV export', () => {
  it('has one row per frame and one column per figure, each header with its unit', () => {
    const rows = runCsv(fixtureRun()).trim().split('\n')
    expect(rows).toHaveLength(1 + fixtureFrames().length)
    const header = rows[0]!.split(',')
    expect(header[0]).toBe('t [ms since start]')
    for (const h of header) expect(h).toMatch(/ \[.+\]$/)
    // a note with commas and quotes stays one cell
    const note = rows.find((r) => r.includes('only 9'))!
    // the last column: a note with commas ends the row where a reader finds it
    expect(note.endsWith(',"only 9, because, of ""limits"""')).toBe(true)
  })

  it('writes a missing figure as an empty cell and a yes/no as 1/0', () => {
    const [header, ...rows] = runCsv(fixtureRun())
      .trim()
      .split('\n')
      .map((r) => r.split(','))
    const cell = (row: number, name: string): string => rows[row]![header!.indexOf(name)]!
    expect(cell(0, 'throughput [req/s]')).toBe('') // no rate in the first frames
    expect(cell(5, 'throughput [req/s]')).toBe('45')
    expect(cell(0, 'stalled [0|1]')).toBe('0')
    expect(cell(13, 'stalled [0|1]')).toBe('1')
    expect(cell(13, 'stall [ms]')).toBe('200')
  })

  it('says in words, on every frame of a stall, what the loop was blocked in', () => {
    const rows = runCsv(fixtureRun()).trim().split('\n').slice(1)
    const blocked = rows.filter((r) => r.includes('in waitBlocking (pool-task.js:16) ← (anonymous)'))
    // frames 13 to 19 carry the stack (stored once, then "the same as before")
    expect(blocked).toHaveLength(7)
    expect(rows.indexOf(blocked[0]!)).toBe(13)
  })
})

describe('the HTML report', () => {
  const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
  const hostileReport = (): string => reportHtml(fixtureRun({ name: hostile }))

  it('refers to nothing outside the file and runs no script', () => {
    const html = reportHtml(fixtureRun())
    expect(html).not.toMatch(/\s(src|href|srcset|action|poster)\s*=/i)
    expect(html).not.toMatch(/url\(|@import|<link|<iframe|<object|<embed/i)
    // the one script element is the run's data, which no browser executes
    expect(html.match(/<script/g)).toHaveLength(1)
    expect(html).toContain('<script type="application/json" id="loopscope-run">')
    expect(html).toContain("default-src 'none'")
  })

  it('shows a hostile name as text', () => {
    const html = hostileReport()
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img')
  })

  it('lists what held the loop longest, with its stalled time', () => {
    const table = /<table data-testid="report-blocked-stacks">(.*?)<\/table>/.exec(reportHtml(fixtureRun()))?.[1] ?? ''
    expect(table).toContain('800 ms')
    expect(table).toContain('4 stalls')
    expect(table).toContain('in waitBlocking (pool-task.js:16) ← (anonymous)')
  })

  it('draws the four charts as SVG, the settings change on each', () => {
    const html = hostileReport()
    for (const id of ['requests', 'throughput', 'latency', 'loop', 'long-poll'])
      expect(html).toContain(`data-testid="report-chart-${id}"`)
    expect(html.match(/<svg /g)).toHaveLength(5)
    expect(html.match(/>blocking on</g)).toHaveLength(5)
  })
})

describe('reducing a long run to the chart width', () => {
  it('keeps each column’s lowest and highest point, so a one-frame spike survives', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i === 5_123 ? 999 : 1 + (i % 3)))
    const kept = reduceIndices(values.length, 500, (i) => values[i]!)
    expect(kept.length).toBeLessThanOrEqual(1000)
    expect(kept).toContain(5_123)
    expect([...kept].sort((a, b) => a - b)).toEqual(kept)
  })
})
