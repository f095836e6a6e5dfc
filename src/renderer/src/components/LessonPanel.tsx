/**
 * A lesson in the side panel: its steps, the current step's text and quote, a button that runs the step (or changes
 * the running experiment to it), and the step's checks with the figures this machine measured.
 */
import type { ReactNode } from 'react'
import type { Mark, Summary } from '../../../shared/frame'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import type { Row } from '../frames/frame-window'
import { checkStep, hasSettings, stepSettings, type CheckState, type Lesson } from '../lessons/lesson'
import { lessonStepLabel } from '../hooks/use-lesson-runs'
import { stepAction } from '../run-words'

export interface LessonRun {
  running: boolean
  busy: boolean
  settings: Settings | null
  rows: readonly Row[]
  marks: readonly Mark[]
  summary: Summary | null
}

export interface LessonActions {
  /** stops the run on now, if any, then starts one with these settings, saved under `label` */
  run(settings: SettingsPatch, label: string): Promise<void>
  /** changes the running experiment (with none on, starts one saved under `label`) */
  change(patch: SettingsPatch, label: string): Promise<void>
}

const MARK: Record<CheckState['state'], string> = { passed: '✓', failed: '✗', waiting: '…' }

function CheckLine({ label, state }: { label: string; state: CheckState }): ReactNode {
  return (
    <li className={`check check-${state.state}`} data-state={state.state}>
      <span className="check-mark" aria-hidden="true">
        {MARK[state.state]}
      </span>
      <span className="check-label">{label}</span>
      <span className="check-value">{state.state === 'waiting' ? state.why : state.value}</span>
      <span className="visually-hidden">
        {state.state === 'waiting' ? '' : state.state === 'passed' ? ' — seen' : ' — not seen'}
      </span>
    </li>
  )
}

/** which lesson is open, and its step (0-based) */
export interface LessonPlace {
  lesson: string
  step: number
}

export function LessonPanel(props: {
  lessons: readonly Lesson[]
  at: LessonPlace
  onGo(at: LessonPlace): void
  run: LessonRun
  actions: LessonActions
}): ReactNode {
  const { lessons, run, actions, onGo } = props
  const lesson = lessons.find((l) => l.id === props.at.lesson) ?? lessons[0]!
  const index = Math.min(props.at.step, lesson.steps.length - 1)
  const setIndex = (step: number): void => onGo({ lesson: lesson.id, step })
  const step = lesson.steps[index]!
  const checks = checkStep(lesson, index, run)
  // a 'change' step changes the previous step's run: it needs that run on
  const previousOn =
    index > 0 && run.running && run.settings !== null && hasSettings(run.settings, stepSettings(lesson, index - 1))
  const thisOn = run.running && run.settings !== null && hasSettings(run.settings, stepSettings(lesson, index))
  const canRun = !run.busy && (step.kind === 'run' || previousOn)
  const label = stepAction({ kind: step.kind, number: index + 1 }, { running: run.running, thisStepOn: thisOn })
  return (
    <section className="lesson" aria-labelledby="lesson-h" data-testid="lesson" data-step={step.id}>
      {lessons.length > 1 && (
        <label className="lesson-choice">
          <span className="field-label">Lesson</span>
          <select
            data-testid="lesson-choice"
            value={lesson.id}
            onChange={(e) => onGo({ lesson: e.target.value, step: 0 })}
          >
            {lessons.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </label>
      )}
      <h2 id="lesson-h">{lesson.title}</h2>
      {index === 0 && <p className="lesson-intro">{lesson.intro}</p>}
      <ol className="lesson-steps" aria-label="Steps">
        {lesson.steps.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={i === index ? 'current' : ''}
              aria-current={i === index ? 'step' : undefined}
              aria-label={`Step ${s.title}`}
              title={s.title}
              onClick={() => setIndex(i)}
            >
              {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <h3 className="lesson-step-title">{step.title}</h3>
      <button
        type="button"
        className="primary lesson-run"
        data-testid="lesson-run"
        disabled={!canRun}
        data-action={step.kind === 'change' ? 'change' : run.running ? 'restart' : 'start'}
        title={
          step.kind === 'change'
            ? 'Change the running run to this step’s settings.'
            : 'Stop any run, then start one with this step’s settings.'
        }
        onClick={() => {
          const runLabel = lessonStepLabel(lesson.title, index)
          void (step.kind === 'change'
            ? actions.change(step.settings, runLabel)
            : actions.run(stepSettings(lesson, index), runLabel))
        }}
      >
        {label}
      </button>
      {step.kind === 'change' && !previousOn && !thisOn && (
        <p className="field-help">This step changes the previous step’s run while it runs: run step {index} first.</p>
      )}
      <h4 className="lesson-checks-h">What you should see</h4>
      <p className="visually-hidden" aria-live="polite">
        {checks.filter((c) => c.state === 'passed').length} of {checks.length} checks seen
      </p>
      <ul className="lesson-checks" data-testid="lesson-checks">
        {step.checks.map((c, i) => (
          <CheckLine key={c.id} label={c.label} state={checks[i]!} />
        ))}
      </ul>
      {step.paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      {step.quote && (
        <figure className="lesson-quote">
          <blockquote>{step.quote.text}</blockquote>
          <figcaption>— {step.quote.source}</figcaption>
        </figure>
      )}
      <div className="lesson-nav">
        <button type="button" disabled={index === 0} onClick={() => setIndex(index - 1)}>
          ← Back
        </button>
        <button
          type="button"
          data-testid="lesson-next"
          disabled={index === lesson.steps.length - 1}
          onClick={() => setIndex(index + 1)}
        >
          Next →
        </button>
      </div>
    </section>
  )
}
