/**
 * A lesson: a walk through an experiment, step by step. Each step has settings (it runs them, or changes the running
 * experiment to them), a few lines to read, and checks — what the reader should see, with the figure measured on
 * this machine beside it. Pure: the panel (LessonPanel.tsx) draws what `checkStep` says.
 *
 * A check only judges the run that has the step's settings: the run on now (live checks read its latest frame) or
 * the run whose summary is shown (summary checks). After the reader changes a setting by hand, the step's checks say
 * so instead of judging a different experiment.
 */
import type { Mark, Summary } from '../../../shared/frame'
import type { Row } from '../frames/frame-window'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import { formatCount, formatMs } from '../scales'

export interface Quote {
  text: string
  /** who, where, when */
  source: string
}

interface CheckBase {
  id: string
  /** what the reader should see, in words */
  label: string
  pass: (v: number) => boolean
  format: (v: number) => string
}

/**
 * 'summary': judged once the step's run has ended, on its summary; 'live': judged while the step's run runs, on its
 * last `seconds` of frames (1 unless said; oldest first), so a gauge that dips between two samples, or a figure
 * that a single message decides, does not flicker. `value` is null while there is no figure yet (no completion,
 * nothing delivered).
 */
export type Check =
  | (CheckBase & { on: 'summary'; value: (s: Summary) => number | null })
  | (CheckBase & { on: 'live'; seconds?: number; value: (recent: readonly Row[]) => number | null })

/** frames a second */
const ROWS_PER_S = 10

/** The largest of a figure over rows, or null if none has it. */
export function most(recent: readonly Row[], pick: (r: Row) => number | null): number | null {
  let best: number | null = null
  for (const r of recent) {
    const v = pick(r)
    if (v !== null && (best === null || v > best)) best = v
  }
  return best
}

/** The newest value of a figure, or null if no row has it. */
export function newest(recent: readonly Row[], pick: (r: Row) => number | null): number | null {
  for (let i = recent.length - 1; i >= 0; i--) {
    const v = pick(recent[i]!)
    if (v !== null) return v
  }
  return null
}

export interface Step {
  id: string
  title: string
  paragraphs: string[]
  quote?: Quote
  /** 'run': a new run with these settings; 'change': applied to the running previous step's run */
  kind: 'run' | 'change'
  settings: SettingsPatch
  checks: Check[]
}

export interface Lesson {
  id: string
  title: string
  /** one sentence on what it shows, for its card on the first screen */
  summary: string
  intro: string
  steps: Step[]
}

export type CheckState = { state: 'passed' | 'failed'; value: string } | { state: 'waiting'; why: string }

/** Every setting the step names has the step's value. */
export function hasSettings(settings: Settings, patch: SettingsPatch): boolean {
  return (Object.keys(patch) as (keyof Settings)[]).every((k) => settings[k] === patch[k])
}

/** The settings a step runs with: a 'change' step's are the previous step's with its change on top. */
export function stepSettings(lesson: Lesson, index: number): SettingsPatch {
  const step = lesson.steps[index]!
  return step.kind === 'change' && index > 0 ? { ...stepSettings(lesson, index - 1), ...step.settings } : step.settings
}

export interface RunView {
  running: boolean
  /** the settings of the run on now (or of the next run) */
  settings: Settings | null
  /** the window's rows; live checks read the last few seconds of them */
  rows: readonly Row[]
  /** the settings changes in the window: a live check reads only frames since the last one */
  marks: readonly Mark[]
  summary: Summary | null
}

/**
 * Why a summary cannot be judged for a step, or null when it can: it must be a run that had the step's settings
 * from start to end (a run changed on the way had other settings for part of it) and ran to its end (a run stopped
 * early measured less than the step asks for).
 */
function unjudgeable(summary: Summary, wanted: SettingsPatch): string | null {
  if (!hasSettings(summary.settings, wanted)) return 'the last run had other settings'
  if (summary.marks.some(changesExperiment)) return 'settings changed during the run: run it again'
  if (summary.reason === 'stopped' || summary.reason === 'error') return 'the run did not reach its end: run it again'
  return null
}

/** A mark that changed the experiment: a hold, its release and a restart are what a step asks the reader to do. */
const changesExperiment = (m: Mark): boolean => Object.keys(m.patch).some((k) => k !== 'hold')

/** What each of a step's checks says now. */
export function checkStep(lesson: Lesson, index: number, run: RunView): CheckState[] {
  const step = lesson.steps[index]!
  const wanted = stepSettings(lesson, index)
  const live =
    run.running && run.settings !== null && hasSettings(run.settings, wanted) && run.rows.length > 0 ? run.rows : null
  const notLive = run.running ? 'the run on now has other settings' : 'run this step'
  return step.checks.map((check): CheckState => {
    if (check.on === 'summary') {
      if (run.running) return { state: 'waiting', why: live ? 'when the run ends' : notLive }
      if (!run.summary) return { state: 'waiting', why: 'run this step' }
      const why = unjudgeable(run.summary, wanted)
      if (why) return { state: 'waiting', why }
      const v = check.value(run.summary)
      if (v === null) return { state: 'waiting', why: 'nothing measured' }
      return { state: check.pass(v) ? 'passed' : 'failed', value: check.format(v) }
    }
    if (!live) return { state: 'waiting', why: notLive }
    // only frames whose figures are all from the step's settings: a frame's rolling figures cover the second
    // before it, so from a second after the last change (or the start)
    const since = run.marks.length > 0 ? run.marks[run.marks.length - 1]!.t / 1000 + 1 : -Infinity
    const want = (check.seconds ?? 1) * ROWS_PER_S
    const recent = live.slice(-want).filter((r) => r.tS >= since)
    if (recent.length < want) return { state: 'waiting', why: 'measuring…' }
    const v = check.value(recent)
    if (v === null) return { state: 'waiting', why: 'measuring…' }
    return { state: check.pass(v) ? 'passed' : 'failed', value: check.format(v) }
  })
}

/** "50 req/s" */
export const reqPerS = (v: number): string => `${formatCount(v)} req/s`

/** The ended run's throughput within [lo, hi] req/s: the check most steps make, against the bound in `label`. */
export function rpsCheck(label: string, lo: number, hi: number): Check {
  return { id: 'rps', on: 'summary', label, value: (s) => s.rps, pass: (v) => v >= lo && v <= hi, format: reqPerS }
}

/**
 * Under a blocked loop, a message waits for the block in progress (and often the next): the worst delivery of the
 * last 5 s, so one message that came between two blocks does not flicker the check. Shared by the lessons that
 * block the loop under held subscribers.
 */
export const BLOCKED_DELIVERY: Check = {
  id: 'delivery',
  on: 'live',
  seconds: 5,
  label: 'the slowest message of the last 5 s took 150 ms or more',
  value: (rows) => most(rows, (r) => r.deliveryP99Ms),
  pass: (v) => v >= 150,
  format: (v) => formatMs(v)
}
