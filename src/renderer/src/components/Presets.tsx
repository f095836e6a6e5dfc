import { memo, type ReactNode } from 'react'
import { keyHint } from '../keys'
import { PRESETS } from '../presets'
import { presetAction, presetActionHelp } from '../run-words'
import type { SettingsPatch } from '../../../shared/settings'

/** The presets in the side panel; each button says whether it starts a run or changes the running one. */
export const Presets = memo(function Presets({
  running,
  onApply
}: {
  running: boolean
  onApply(patch: SettingsPatch, label: string): void
}): ReactNode {
  return (
    <section aria-labelledby="presets-h" className="presets">
      <h2 id="presets-h">Presets</h2>
      <ul>
        {PRESETS.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              data-testid={`preset-${p.id}`}
              data-action={running ? 'change' : 'start'}
              title={`${presetActionHelp(running)} ${p.expect}${keyHint('presets')}`}
              aria-describedby={`preset-${p.id}-help`}
              onClick={() => onApply(p.patch, p.title)}
            >
              {presetAction(p.title, running)}
            </button>
            <p className="field-help" id={`preset-${p.id}-help`}>
              {p.expect}
            </p>
          </li>
        ))}
      </ul>
    </section>
  )
})
