/**
 * The recorder: listens to a Lab's events and, when a run ends (any end: its budget, its time, Stop, a crashed
 * subject — each ends with a summary), hands over the whole run as one document. It keeps the run's frames in
 * memory meanwhile (an hour is 36,000 frames, ~20 MB as objects) without their timeline bars, of which it keeps only
 * those the swimlane shows (keepBars); the Lab itself is not changed by being recorded.
 */
import type { ErrorInfo } from '../../shared/errors'
import type { Frame, Summary } from '../../shared/frame'
import { buildRunFile, type RunFile } from '../../shared/run-file'
import { withoutSecrets } from '../../shared/settings'
import { describeSettings } from '../../shared/run-words'
import { keepBars, type TimelineBar } from '../../shared/timeline'
import type { RunStarted } from '../lab/lab'
import { newRunId } from './store'

export interface RecordableLab {
  on(event: 'started', listener: (s: RunStarted) => void): unknown
  on(event: 'frame', listener: (f: Frame) => void): unknown
  on(event: 'error', listener: (e: ErrorInfo) => void): unknown
  on(event: 'summary', listener: (s: Summary) => void): unknown
  off(event: string, listener: (...args: any[]) => void): unknown
}

export interface RecordOptions {
  appVersion: string
  /** the ended run; what it returns is awaited by nobody here, and a rejection is the caller's to report */
  onRun: (run: RunFile) => void
}

/** Starts recording every run of `lab`; returns the function that stops. */
export function recordRuns(lab: RecordableLab, { appVersion, onRun }: RecordOptions): () => void {
  let current: { started: RunStarted; frames: Frame[]; errors: ErrorInfo[]; bars: readonly TimelineBar[] } | null = null
  const onStarted = (started: RunStarted): void => {
    current = { started, frames: [], errors: [], bars: [] }
  }
  const onFrame = (frame: Frame): void => {
    if (!current) return
    const { timeline, ...rest } = frame
    current.frames.push(rest)
    current.bars = keepBars(current.bars, timeline?.bars ?? [], frame.t)
  }
  const onError = (error: ErrorInfo): void => {
    current?.errors.push(error)
  }
  const onSummary = (summary: Summary): void => {
    const run = current
    current = null
    if (!run) return
    const { started } = run
    const settings = withoutSecrets(started.settings)
    const startedAt = new Date(started.startedAtMs)
    onRun(
      buildRunFile({
        id: newRunId(startedAt),
        name: started.label ?? describeSettings(settings),
        startedAt: startedAt.toISOString(),
        appVersion,
        settings,
        frames: run.frames,
        summary: { ...summary, settings: withoutSecrets(summary.settings) },
        errors: run.errors,
        subjectUrl: started.subjectUrl,
        timelineBars: run.bars
      })
    )
  }
  lab.on('started', onStarted)
  lab.on('frame', onFrame)
  lab.on('error', onError)
  lab.on('summary', onSummary)
  return () => {
    lab.off('started', onStarted)
    lab.off('frame', onFrame)
    lab.off('error', onError)
    lab.off('summary', onSummary)
  }
}
