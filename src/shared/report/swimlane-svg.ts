/**
 * A saved run's swimlane as static SVG: the bars the run file keeps (the last few seconds of its timeline), laid
 * out by timeline-layout.ts exactly as the dashboard's chart lays them out, with a legend of the four phases.
 */
import type { RunFile } from '../run-file'
import { phaseLabels, TIMELINE_PHASES, TIMELINE_WINDOW_MS, type TimelinePhase } from '../timeline'
import { laneHeightPx, swimlaneLanes, swimlaneWindow } from '../timeline-layout'
import { esc } from './escape'
import { INK } from './svg-chart'

/** the dashboard's light colours for the phases (renderer's SwimlaneChart phaseColors with LIGHT) */
const PHASE_COLOR: Record<TimelinePhase, string> = {
  'waiting to be read': '#E69F00',
  'waiting for a thread': '#CC79A7',
  working: '#0072B2',
  writing: '#009E73'
}
const PAD = { left: 16, right: 16, top: 56, bottom: 30 }
const r1 = (x: number): number => Math.round(x * 10) / 10

/** The swimlane of the run's end, or null when the run kept no timeline (an older file, or none was recorded). */
export function swimlaneSvg(run: RunFile, width = 920, height = 300): string | null {
  const bars = run.timeline?.bars
  if (!bars?.length) return null
  const nowMs = run.frames.t.at(-1) ?? 0
  const lanes = swimlaneLanes(bars, nowMs)
  const plotW = width - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const h = laneHeightPx(lanes.length, plotH)
  const gap = h >= 4 ? 1 : 0
  const { fromMs, toMs } = swimlaneWindow(nowMs)
  const title = `Each request's timeline: the last ${TIMELINE_WINDOW_MS / 1000} s, ${lanes.length} requests by work start`
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
      `aria-label="${esc(title)}" data-testid="report-chart-timeline" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<text x="${PAD.left}" y="18" font-size="15" font-weight="600" fill="${INK.fg}">${esc("Each request's timeline (the run's last seconds)")}</text>`
  ]
  let lx = PAD.left
  let ly = 30
  const labels = phaseLabels(bars)
  for (const phase of TIMELINE_PHASES) {
    const label = labels[phase]
    const w = 36 + label.length * 7
    // work in several places makes a long label: the legend goes on to a second line rather than past the edge
    if (lx > PAD.left && lx + w - 16 > width - PAD.right) [lx, ly] = [PAD.left, ly + 13]
    parts.push(
      `<rect x="${lx}" y="${ly}" width="16" height="10" fill="${PHASE_COLOR[phase]}"/><text x="${lx + 20}" y="${ly + 9}" fill="${INK.fg}">${esc(label)}</text>`
    )
    lx += w
  }
  for (let s = Math.ceil(fromMs / 1000); s <= toMs / 1000; s++) {
    const x = r1(PAD.left + ((s * 1000 - fromMs) / TIMELINE_WINDOW_MS) * plotW)
    parts.push(`<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${INK.grid}"/>`)
    parts.push(`<text x="${x}" y="${PAD.top + plotH + 17}" text-anchor="middle" fill="${INK.muted}">${s} s</text>`)
  }
  lanes.forEach((lane, i) => {
    const y = r1(PAD.top + i * h)
    const rects = lane.spans.map(
      (s) =>
        `<rect x="${r1(PAD.left + s.x * plotW)}" y="${y}" width="${r1(Math.max(1, s.w * plotW))}" height="${r1(Math.max(1, h - gap))}" fill="${PHASE_COLOR[s.phase]}"/>`
    )
    parts.push(`<g data-bar="">${rects.join('')}</g>`)
  })
  parts.push('</svg>')
  return parts.join('')
}
