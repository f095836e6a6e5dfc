import { memo, type ReactNode } from 'react'
import { keyHint } from '../keys'
import { PRESETS } from '../presets'
import type { SettingsPatch } from '../../../shared/settings'

export const Presets = memo(function Presets({ onApply }: { onApply(patch: SettingsPatch): void }): ReactNode {
  return (
    <section aria-labelledby="presets-h" className="presets">
      <h2 id="presets-h">Presets</h2>
      <ul>
        {PRESETS.map((p) => (
          <li key={p.id}>
            <button type="button" data-testid={`preset-${p.id}`} title={`${p.expect}${keyHint('presets')}`} aria-describedby={`preset-${p.id}-help`} onClick={() => onApply(p.patch)}>
              {p.title}
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
