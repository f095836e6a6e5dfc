/**
 * A saved run as one HTML file that opens offline in any browser: the settings, the summary, and the charts as
 * static SVG, with no external asset and no script (its Content-Security-Policy allows none). Everything taken from
 * the run is escaped; the run itself rides along as a JSON data block (never run by a browser) so the report can be
 * imported back into Loopscope. Pure: a string in, a string out.
 */
import { stackLabel } from '../blocked-stack'
import { REPORT_CONTENT_SECURITY_POLICY } from '../csp'
import { runSummary, REPORT_DATA_ID, runToJson, type RunFile } from '../run-file'
import { describeSettings, END_REASON_WORDS } from '../run-words'
import { formatFigure, summaryFigures } from '../summary-figures'
import { esc, jsonForHtml } from './escape'
import { runChartsSvg } from './run-charts'

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #111418; background: #fff; margin: 24px auto; max-width: 980px; padding: 0 16px; line-height: 1.4 }
h1 { font-size: 24px; margin: 0 0 4px } h2 { font-size: 18px; margin: 28px 0 8px }
.meta { color: #4a5563; margin: 0 0 8px }
table { border-collapse: collapse; font-variant-numeric: tabular-nums }
td, th { padding: 3px 12px 3px 0; text-align: left; vertical-align: top } td.n { text-align: right }
.figures { columns: 2; column-gap: 32px } .figures div { break-inside: avoid; display: flex; justify-content: space-between; border-bottom: 1px solid #e6e9ed; padding: 2px 0 }
.chart { margin: 12px 0 } svg { max-width: 100%; height: auto }
.error { color: #b3261e } footer { color: #4a5563; margin-top: 32px; font-size: 13px }
`

function settingsTable(settings: Record<string, unknown>): string {
  const rows = Object.entries(settings).map(
    ([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v === null ? 'none (no limit)' : String(v))}</td></tr>`
  )
  return `<table data-testid="report-settings">${rows.join('')}</table>`
}

export function reportHtml(run: RunFile): string {
  const summary = runSummary(run)
  const started = new Date(run.startedAt)
  const when = `${started.toISOString().slice(0, 19).replace('T', ' ')} UTC`
  const figures = summaryFigures(summary)
    .map((f) => `<div><span>${esc(f.label)}</span><b>${esc(formatFigure(f))}</b></div>`)
    .join('')
  const changes = run.changes.length
    ? `<ul>${run.changes.map((m) => `<li>${esc(`${(m.t / 1000).toFixed(1)} s`)} — ${esc(m.label)}</li>`).join('')}</ul>`
    : '<p>None: the run kept its settings from start to end.</p>'
  const held = summary.blockedStacks.length
    ? `<h2>What held the loop longest</h2><table data-testid="report-blocked-stacks">${summary.blockedStacks
        .map(
          (b) =>
            `<tr><td class="n">${esc(`${Math.round(b.stalledMs).toLocaleString('en-US')} ms`)}</td><td class="n">${esc(b.stalls === 1 ? '1 stall' : `${b.stalls} stalls`)}</td><td>${esc(stackLabel(b.stack))}</td></tr>`
        )
        .join('')}</table>`
    : ''
  const errors = run.errors.length
    ? `<h2>Errors during the run</h2><ul>${run.errors.map((e) => `<li class="error">${esc(e.code)}: ${esc(e.message)}</li>`).join('')}</ul>`
    : ''
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // the charts' ink is for a light page: no browser should darken it
    '<meta name="color-scheme" content="light">',
    `<title>${esc(`Loopscope run — ${run.name}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1 data-testid="report-name">${esc(run.name)}</h1>`,
    `<p class="meta">${esc(`Saved Loopscope run · started ${when} · ${(summary.durationMs / 1000).toFixed(1)} s · ended by ${END_REASON_WORDS[run.endReason]}`)}</p>`,
    // the settings in words, unless they are the name already
    run.name === describeSettings(run.settings) ? '' : `<p class="meta">${esc(describeSettings(run.settings))}</p>`,
    '<h2>Summary</h2>',
    `<div class="figures" data-testid="report-summary">${figures}</div>`,
    held,
    errors,
    '<h2>Charts</h2>',
    ...runChartsSvg(run).map((svg) => `<div class="chart">${svg}</div>`),
    '<h2>Changes during the run</h2>',
    changes,
    '<h2>Settings at the start</h2>',
    settingsTable(run.settings),
    `<footer>${esc(`Loopscope ${run.appVersion} · run ${run.id} · this file carries the run's data: import it into Loopscope to open or compare it.`)}</footer>`,
    `<script type="application/json" id="${REPORT_DATA_ID}">${jsonForHtml(runToJson(run))}</script>`,
    '</body></html>'
  ].join('\n')
}
