/**
 * The HTML report as its reader sees it: the heading lines, the summary, what held the loop, the errors, the
 * changes and the settings; and the charts it draws from the run's frames (which series, on which axis, the stalls
 * shaded from when the loop stopped answering).
 */
import { describe, expect, it } from 'vitest'
import { runChartSpecs, runChartsSvg, stallSpans } from '../../src/shared/report/run-charts'
import { reportHtml } from '../../src/shared/report/report-html'
import { buildRunFile, parseRunText, type RunFile } from '../../src/shared/run-file'
import { describeSettings } from '../../src/shared/run-words'
import { FIXTURE_STACK, fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'
import { makeFrame } from './renderer-fixtures'

const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('the report’s words', () => {
  it('says what the run was, when, how long and how it ended', () => {
    const html = reportHtml(fixtureRun())
    expect(html).toContain('<title>Loopscope run — blocking at 1 s</title>')
    expect(html).toContain('<h1 data-testid="report-name">blocking at 1 s</h1>')
    expect(html).toContain(
      '<p class="meta">Saved Loopscope run · started 2026-12-02 00:00:00 UTC · 3.0 s · ended by its request budget (every request answered)</p>'
    )
    expect(html).toContain('<p class="meta">wait 200 ms, evented · c 20 · 100 requests</p>')
    expect(html).toContain(
      '<footer>Loopscope 0.1.0 · run 20261202-000000-000-abcd · this file carries the run&#39;s data: import it into Loopscope to open or compare it.</footer>'
    )
  })

  it('is a whole light page, its parts in the order a reader goes through them', () => {
    const html = reportHtml(fixtureRun())
    expect(html.startsWith('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n')).toBe(true)
    expect(html).toContain('\n<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    expect(html).toContain('\n<meta name="color-scheme" content="light">\n')
    expect(html).toMatch(/\n<style>[^<]+<\/style><\/head><body>\n/)
    expect(html.endsWith('</script>\n</body></html>')).toBe(true)
    expect([...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Summary',
      'What held the loop longest',
      'Charts',
      'Changes during the run',
      'Settings at the start'
    ])
    expect(html).toMatch(
      /<div class="figures" data-testid="report-summary"><div><span>Time taken<\/span><b>3.012 s<\/b><\/div><div>/
    )
    expect(html).toMatch(
      /<table data-testid="report-settings"><tr><th scope="row">delayMs<\/th><td>200<\/td><\/tr><tr>/
    )
    expect(html).toContain('<ul><li>1.0 s — blocking on</li></ul>')
  })

  it('leaves out the settings line when the run is named by its settings', () => {
    const run = fixtureRun()
    const named = reportHtml({ ...run, name: describeSettings(run.settings) })
    expect(named.match(/<p class="meta">/g)).toHaveLength(1)
  })

  it('lists the summary’s figures, the changes and the settings at the start', () => {
    const html = reportHtml(fixtureRun())
    expect(textOf(html)).toContain('Requests per second 33.20 req/s')
    expect(html).toContain('<li>1.0 s — blocking on</li>')
    expect(html).toContain('<tr><th scope="row">delayMs</th><td>200</td></tr>')
    expect(html).toContain('<tr><th scope="row">redisUrl</th><td>none (no limit)</td></tr>')
    const unchanged = reportHtml(fixtureRun({ summary: { ...fixtureSummary(), marks: [] } }))
    expect(unchanged).toContain('<p>None: the run kept its settings from start to end.</p>')
    expect(unchanged).not.toContain('<li>')
  })

  it('says a single stall as one, and thousands of ms with a separator', () => {
    const summary = { ...fixtureSummary(), blockedStacks: [{ stack: FIXTURE_STACK, stalledMs: 12_345.6, stalls: 1 }] }
    const table = /<table data-testid="report-blocked-stacks">(.*?)<\/table>/.exec(
      reportHtml(fixtureRun({ summary }))
    )![1]!
    expect(table).toContain('<td class="n">12,346 ms</td><td class="n">1 stall</td>')
    const none = reportHtml(fixtureRun({ summary: { ...fixtureSummary(), blockedStacks: [] } }))
    expect(none).not.toContain('What held the loop longest')
  })

  it('lists the errors said during the run, escaped, and has no such part without any', () => {
    const html = reportHtml(fixtureRun())
    expect(html).not.toContain('Errors during the run')
    const run: RunFile = {
      ...fixtureRun(),
      errors: [{ code: 'LOOPSCOPE_ERR_SUBJECT_EXITED', message: 'the subject exited <code 1>' }]
    }
    expect(reportHtml(run)).toContain(
      '<h2>Errors during the run</h2><ul><li class="error">LOOPSCOPE_ERR_SUBJECT_EXITED: the subject exited &lt;code 1&gt;</li></ul>'
    )
  })
})

describe('the report’s markup', () => {
  /** the body's lines, the run's data left out: each part of the page is one line */
  const bodyLines = (html: string): string[] =>
    html.slice(html.indexOf('<body>\n') + 7, html.indexOf('\n<script')).split('\n')

  it('has nothing loose on the page: each part whole, each list and table its items one after another', () => {
    const run: RunFile = {
      ...fixtureRun({
        summary: {
          ...fixtureSummary(),
          blockedStacks: [
            { stack: FIXTURE_STACK, stalledMs: 900, stalls: 2 },
            { stack: FIXTURE_STACK, stalledMs: 300, stalls: 1 }
          ]
        }
      }),
      errors: [
        { code: 'LOOPSCOPE_ERR_SUBJECT_EXITED', message: 'one' },
        { code: 'LOOPSCOPE_ERR_CROWD_FAILED', message: 'two' }
      ]
    }
    const withChanges: RunFile = {
      ...run,
      changes: [
        { ...run.changes[0]!, t: 1000 },
        { ...run.changes[0]!, t: 2000, label: 'blocking off' }
      ]
    }
    const lines = bodyLines(reportHtml(withChanges))
    for (const line of lines) expect(line).toMatch(/^<.*>$/s)
    expect(lines).toContain('<ul><li>1.0 s — blocking on</li><li>2.0 s — blocking off</li></ul>')
    expect(lines).toContain(
      '<h2>Errors during the run</h2><ul><li class="error">LOOPSCOPE_ERR_SUBJECT_EXITED: one</li><li class="error">LOOPSCOPE_ERR_CROWD_FAILED: two</li></ul>'
    )
    expect(lines.find((l) => l.includes('report-blocked-stacks'))).toMatch(
      /^<h2>What held the loop longest<\/h2><table data-testid="report-blocked-stacks">(<tr>(<td[^>]*>[^<]*<\/td>){3}<\/tr>){2}<\/table>$/
    )
  })

  it('leaves an empty line, and nothing else, for each part a run has none of', () => {
    const bare = fixtureRun({ summary: { ...fixtureSummary(), blockedStacks: [] } })
    const lines = bodyLines(reportHtml({ ...bare, name: describeSettings(bare.settings) }))
    // no settings line (the name says them), nothing held the loop, no errors
    expect(lines.filter((l) => l === '')).toHaveLength(3)
    for (const line of lines.filter((l) => l !== '')) expect(line).toMatch(/^<.*>$/s)
  })
})

describe('the run the report carries', () => {
  it('cannot be closed or turned into markup by anything in the run, and reads back whole', () => {
    const name = 'a </script><script>alert(1)</script> <!-- \u2028 \u2029 end'
    const run = fixtureRun({ name })
    const html = reportHtml(run)
    const data = html.slice(html.indexOf('id="loopscope-run">'))
    expect(data.match(/<\/script>/g)).toHaveLength(1)
    expect(data).not.toContain('<!--')
    expect(data).not.toMatch(/[\u2028\u2029]/)
    expect(data).toContain('\\u003c/script>')
    expect(data).toContain('\\u2028 \\u2029')
    expect(parseRunText(html, 'report.html')).toEqual(run)
  })
})

describe('the report’s charts', () => {
  it('are the dashboard’s four, one more with subscribers, each with its series', () => {
    const specs = runChartSpecs(fixtureRun())
    expect(specs.map((s) => [s.testId, s.title, s.series.map((x) => x.name)])).toEqual([
      ['report-chart-requests', 'Requests in flight', ['active (being served)', 'queued (waiting)']],
      ['report-chart-throughput', 'Throughput (req/s)', ['measured', "theory (Little's law)"]],
      ['report-chart-latency', 'Latency (ms)', ['p50', 'p99', 'max']],
      ['report-chart-loop', 'Event loop', ['blocked (stall)', 'delay p99', 'utilization %']],
      ['report-chart-long-poll', 'Long polling: held connections', ['held connections']]
    ])
    expect(runChartSpecs(fixtureRun()).map((s) => [s.leftUnit, s.rightUnit])).toEqual([
      ['requests', undefined],
      ['req/s', undefined],
      ['ms', undefined],
      ['ms', '%'],
      ['connections', undefined]
    ])
    // each chart marks the change at its second
    expect(runChartSpecs(fixtureRun())[0]!.marks).toEqual([{ tS: 1, label: 'blocking on' }])
    expect(runChartsSvg(fixtureRun())).toHaveLength(5)
    const withoutPush = runChartSpecs(fixtureRun({ frames: fixtureFrames().map((f) => ({ ...f, push: null })) }))
    expect(withoutPush.map((s) => s.testId)).not.toContain('report-chart-long-poll')
  })

  it('stack queued on active, step the theory, draw the stall only while stalled and utilization in %', () => {
    const run = fixtureRun()
    const [requests, throughput, , loop] = runChartSpecs(run)
    expect(requests!.series[1]!.base).toBe(run.frames.active)
    expect(requests!.salience(5)).toBe(run.frames.inFlight[5])
    expect(throughput!.series[1]).toMatchObject({ step: true, values: run.frames.theoryRps })
    expect(throughput!.salience(1)).toBe(0) // no rate yet
    const stall = loop!.series[0]!.values
    expect(stall.slice(11, 21)).toEqual([null, 100, 200, 300, 400, 500, 600, 700, 800, null])
    expect(loop!.series[2]).toMatchObject({ axis: 'right' })
    expect(loop!.series[2]!.values[0]).toBeCloseTo(run.frames.loopUtilization[0]! * 100, 9)
    // a stalled frame's salience is its stall, so a narrow report keeps the stall's peak
    expect(loop!.salience(19)).toBe(800)
    expect(loop!.spans).toEqual([[1.103, 1.903]])
  })

  it('add the backend’s chart when the run had one: at the backend, and waiting for a connection stacked on it', () => {
    // a switch to upstream during the run: the first frame has no backend
    const frames = fixtureFrames(4).map((f, i) =>
      i === 0
        ? makeFrame(f.t)
        : makeFrame(f.t, {
            upstream: { up: true, backendInFlight: 10, waitingForConnection: i * 5, answerMs: null, failed: 0 }
          })
    )
    const specs = runChartSpecs(buildRunFile({ ...recording(), frames }))
    const backend = specs.find((s) => s.testId === 'report-chart-backend')!
    expect(backend.title).toBe('Backend: in flight and waiting')
    expect(backend.series.map((s) => s.name)).toEqual(['at the backend', 'waiting for a connection'])
    expect(backend.leftUnit).toBe('requests')
    expect(backend.series[1]!.base).toEqual([null, 10, 10, 10])
    expect(backend.salience(3)).toBe(25)
  })
})

describe('a stall’s shading', () => {
  it('begins when the loop stopped answering, no earlier than the run, and ends at the last stalled frame', () => {
    const tS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    const stallMs = [0, 300, 400, 0, 0, 250, 0]
    const stalled = [false, true, true, false, false, true, false]
    expect(stallSpans(tS, stallMs, stalled)).toEqual([
      [0, 0.2],
      [0.25, 0.5]
    ])
  })

  it('joins frames of one stall, and keeps two stalls apart when the loop answered between them', () => {
    expect(stallSpans([0, 1, 1.1], [0, 300, 50], [false, true, true])).toEqual([[0.7, 1.1]])
    const [a, b] = stallSpans([0, 1, 1.4], [0, 300, 200], [false, true, true])
    expect(a).toEqual([0.7, 1])
    expect(b![0]).toBeCloseTo(1.2, 9)
    expect(b![1]).toBe(1.4)
    expect(stallSpans([0, 1], [5, 5], [false, false])).toEqual([])
    // a stall beginning 0.15 s after the last one's frame is the same stall seen late
    expect(stallSpans([0, 1, 1.25], [0, 300, 100], [false, true, true])).toEqual([[0.7, 1.25]])
  })
})

function recording(): Parameters<typeof buildRunFile>[0] {
  const run = fixtureRun()
  return {
    id: run.id,
    name: run.name,
    startedAt: run.startedAt,
    appVersion: run.appVersion,
    settings: run.settings,
    frames: fixtureFrames(),
    summary: fixtureSummary(),
    errors: [],
    subjectUrl: run.subjectUrl
  }
}
