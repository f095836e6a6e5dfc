/**
 * The first screen: where to begin. The lessons (guided, step by step, with checks) and the presets (one run each),
 * each a card with one sentence on what it shows, how long it takes (computed from its settings), and a button that
 * says whether it starts a run or changes the one on now. The settings form stays one click (or `s`) away.
 */
import { memo, type ReactNode } from 'react'
import '../first-screen.css'
import type { SettingsPatch } from '../../../shared/settings'
import { lessonStepLabel } from '../hooks/use-lesson-runs'
import { stepSettings, type Lesson } from '../lessons/lesson'
import type { Preset } from '../presets'
import { lessonLengthWords, runLength, runLengthWords } from '../run-length'
import { presetActionHelp, presetCardAction, stepAction } from '../run-words'

interface Props {
  lessons: readonly Lesson[]
  presets: readonly Preset[]
  running: boolean
  /** a start or stop in progress, or no connection: nothing can start now */
  disabled: boolean
  /** `label`: the name the run is saved under (the preset's title) */
  onPreset(patch: SettingsPatch, label: string): void
  onLessonStart(lessonId: string, settings: SettingsPatch, label: string): void
  onLessonOpen(lessonId: string): void
}

const cores = (): number | undefined => navigator.hardwareConcurrency || undefined

export const StartScreen = memo(function StartScreen(props: Props): ReactNode {
  const { running, disabled } = props
  return (
    <section className="start" data-testid="start-screen" aria-labelledby="start-h">
      <h2 id="start-h">Where to begin</h2>
      <p className="start-lead">
        A <strong>lesson</strong> walks through an experiment, one short run a step, and checks what you see. A{' '}
        <strong>preset</strong> is one run. Every setting is in <em>Settings</em>.
      </p>
      <h3 className="start-group">Lessons</h3>
      <ul className="cards cards-lessons" aria-label="Lessons">
        {props.lessons.map((lesson) => (
          <li key={lesson.id} className="card" data-testid={`card-lesson-${lesson.id}`}>
            <h4 className="card-title">{lesson.title}</h4>
            <p className="card-text">{lesson.summary}</p>
            <p className="card-length">{lessonLengthWords(lesson, cores())}</p>
            <div className="card-actions">
              <button
                type="button"
                className="primary"
                data-testid={`start-lesson-${lesson.id}`}
                disabled={disabled}
                onClick={() =>
                  props.onLessonStart(lesson.id, stepSettings(lesson, 0), lessonStepLabel(lesson.title, 0))
                }
              >
                {stepAction({ kind: 'run', number: 1 }, { running, thisStepOn: false })}
              </button>
              <button
                type="button"
                data-testid={`open-lesson-${lesson.id}`}
                onClick={() => props.onLessonOpen(lesson.id)}
              >
                Read it first
              </button>
            </div>
          </li>
        ))}
      </ul>
      <h3 className="start-group">Presets</h3>
      <ul className="cards cards-presets" aria-label="Presets">
        {props.presets.map((p) => (
          <li key={p.id} className="card" data-testid={`card-preset-${p.id}`}>
            <h4 className="card-title" id={`card-preset-${p.id}-title`}>
              {p.title}
            </h4>
            <p className="card-text">{p.expect}</p>
            <p className="card-length">{runLengthWords(runLength(p.patch, cores()), 'short')}</p>
            <div className="card-actions">
              <button
                type="button"
                className={running ? '' : 'primary'}
                data-testid={`start-preset-${p.id}`}
                data-action={running ? 'change' : 'start'}
                disabled={disabled}
                title={presetActionHelp(running)}
                aria-describedby={`card-preset-${p.id}-title`}
                onClick={() => props.onPreset(p.patch, p.title)}
              >
                {presetCardAction(p.short, running)}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
})

/** The top bar's way back to the first screen, and from it to the dashboard. */
export function StartToggle(props: {
  view: 'start' | 'dashboard'
  onView(view: 'start' | 'dashboard'): void
}): ReactNode {
  const onStart = props.view === 'start'
  return (
    <button
      type="button"
      className="ghost"
      data-testid="show-start"
      aria-pressed={onStart}
      title={onStart ? 'The tiles and charts of the run.' : 'The lessons and presets: where to begin.'}
      onClick={() => props.onView(onStart ? 'dashboard' : 'start')}
    >
      {onStart ? (
        '▦ Dashboard'
      ) : (
        <>
          ☰ <span className="label-long">Lessons & presets</span>
          <span className="label-short">Start here</span>
        </>
      )}
    </button>
  )
}
