/** Says that a lesson's run ended and the settings went back to what they were before the lesson; offers to keep them. */
import type { ReactNode } from 'react'
import type { Settings } from '../../../shared/settings'
import { FIELD_WORDS } from '../field-words'

export function LessonSettingsNote(props: {
  fields: (keyof Settings)[]
  onKeep(): void
  onDismiss(): void
}): ReactNode {
  return (
    <div className="note lesson-note" role="status" data-testid="lesson-settings-note">
      <p>
        The lesson’s run has ended: its settings are back to what they were before the lesson (
        {props.fields.map((k) => FIELD_WORDS[k].label).join(', ')}).
      </p>
      <button type="button" data-testid="keep-lesson-settings" onClick={props.onKeep}>
        Keep the lesson’s settings
      </button>
      <button type="button" className="ghost" aria-label="Dismiss" onClick={props.onDismiss}>
        ✕
      </button>
    </div>
  )
}
