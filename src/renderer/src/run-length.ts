/**
 * How long a run will take, from its settings alone, for the first screen's cards: a request budget served at the
 * Little's-law bound (1000 requests at 50 req/s ≈ 20 s), else its duration. Approximate by design — the bound is
 * the best case, so a real run takes that or a little longer — and said as such ("about 20 s").
 */
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../shared/settings'
import { theoryRps } from '../../shared/theory'
import type { Lesson } from './lessons/lesson'
import { stepSettings } from './lessons/lesson'

/** A run that lasts this long is one a presenter stops when they have seen it, not one they wait out. */
export const OPEN_ENDED_S = 300

export type RunLength =
  /** ends when its request budget is answered, in about this long (the bound's best case) */
  | { kind: 'budget'; seconds: number }
  /** ends after its duration */
  | { kind: 'duration'; seconds: number }
  /** hello world: no bound to divide by; such a run ends within a second or two */
  | { kind: 'quick' }

export function runLength(patch: SettingsPatch, cpuCount?: number): RunLength {
  const s: Settings = { ...DEFAULT_SETTINGS, ...patch }
  if (s.requests === null) return { kind: 'duration', seconds: s.durationS }
  const rps = theoryRps(s, cpuCount)
  if (rps === null) return { kind: 'quick' }
  const seconds = s.requests / rps
  return seconds < s.durationS ? { kind: 'budget', seconds } : { kind: 'duration', seconds: s.durationS }
}

export const isOpenEnded = (length: RunLength): boolean => length.kind === 'duration' && length.seconds >= OPEN_ENDED_S

/** 20 → "20 s", 200 → "3 min 20 s", 600 → "10 min"; rounded to what a person would say */
export function spokenSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`
  const rounded = seconds < 300 ? Math.round(seconds / 10) * 10 : Math.round(seconds / 60) * 60
  const min = Math.floor(rounded / 60)
  const s = rounded % 60
  return s === 0 ? `${min} min` : `${min} min ${s} s`
}

/**
 * "about 20 s", "15 s", "runs until you stop it (at most 10 min)", "a second or two"; `short` (a card's line) says
 * an open-ended run as "up to 10 min"
 */
export function runLengthWords(length: RunLength, form: 'long' | 'short' = 'long'): string {
  switch (length.kind) {
    case 'quick':
      return 'a second or two'
    case 'budget':
      return `about ${spokenSeconds(length.seconds)}`
    case 'duration':
      if (!isOpenEnded(length)) return spokenSeconds(length.seconds)
      return form === 'short'
        ? `up to ${spokenSeconds(length.seconds)}`
        : `runs until you stop it (at most ${spokenSeconds(length.seconds)})`
  }
}

/**
 * A lesson's length: the sum of its runs (a 'change' step changes the run before it, so it adds nothing), and the
 * steps whose run lasts until it is stopped, which no sum can include.
 */
export function lessonLength(lesson: Lesson, cpuCount?: number): { seconds: number; openEndedSteps: number[] } {
  let seconds = 0
  const openEndedSteps: number[] = []
  lesson.steps.forEach((step, i) => {
    if (step.kind !== 'run') return
    const length = runLength(stepSettings(lesson, i), cpuCount)
    if (isOpenEnded(length)) openEndedSteps.push(i + 1)
    else seconds += length.kind === 'quick' ? 1 : length.seconds
  })
  return { seconds, openEndedSteps }
}

/** "6 steps · about 1 min of runs, and step 5 runs until you stop it" */
export function lessonLengthWords(lesson: Lesson, cpuCount?: number): string {
  const { seconds, openEndedSteps } = lessonLength(lesson, cpuCount)
  // every step changes one open-ended run: there is no sum of runs to give
  if (seconds === 0 && openEndedSteps.length === 1 && openEndedSteps[0] === 1)
    return `${lesson.steps.length} steps in one run, which lasts until you stop it`
  const runs = `${lesson.steps.length} steps · about ${spokenSeconds(seconds)} of runs`
  if (openEndedSteps.length === 0) return runs
  const which =
    openEndedSteps.length === 1 ? `step ${openEndedSteps[0]} runs` : `steps ${openEndedSteps.join(', ')} run`
  return `${runs}, and ${which} until you stop it`
}
