/**
 * No hidden state: which settings differ from the defaults (those the form does not show included), and one button
 * that puts them back — for the next run when idle; while a run is on, for that run, except the settings that apply
 * only when a run starts, and it says so.
 */
import { useState, type ReactNode } from 'react'
import type { LabStatus, Reply } from '../../../shared/contract'
import {
  DEFAULT_SETTINGS,
  diffSettings,
  START_ONLY_KEYS,
  type Settings,
  type SettingsPatch
} from '../../../shared/settings'
import { FIELD_WORDS } from '../field-words'

const labels = (keys: readonly (keyof Settings)[]): string => keys.map((k) => FIELD_WORDS[k].label).join(', ')

export function ResetDefaults(props: {
  settings: Settings
  running: boolean
  onReset(patch: SettingsPatch): Promise<Reply<LabStatus>>
}): ReactNode {
  const [said, setSaid] = useState<string | null>(null)
  const changed = Object.keys(diffSettings(props.settings, DEFAULT_SETTINGS)) as (keyof Settings)[]
  const live = props.running ? changed.filter((k) => !(START_ONLY_KEYS as readonly string[]).includes(k)) : changed
  const left = changed.filter((k) => !live.includes(k))
  const reset = async (): Promise<void> => {
    const patch = Object.fromEntries(live.map((k) => [k, DEFAULT_SETTINGS[k]])) as SettingsPatch
    const reply = await props.onReset(patch)
    if (!reply.ok) return
    const words = props.running
      ? 'The defaults now apply to this run.'
      : 'Back to the defaults: the next run uses them.'
    setSaid(
      left.length > 0 ? `${words} ${labels(left)} applies when a run starts, so it stays as it is until then.` : words
    )
  }
  return (
    <section className="reset-defaults" aria-label="Defaults" data-testid="defaults">
      <p className="field-help" data-testid="defaults-state" role="status">
        {changed.length === 0
          ? (said ?? 'Every setting has its default value.')
          : `${changed.length === 1 ? '1 setting differs' : `${changed.length} settings differ`} from the defaults (●): ${labels(changed)}.`}
      </p>
      {changed.length > 0 && (
        <button
          type="button"
          data-testid="reset-defaults"
          disabled={live.length === 0}
          title={
            props.running
              ? 'Apply the default of every setting that can change during a run to this run.'
              : 'Put every setting back to its default for the next run.'
          }
          onClick={() => void reset()}
        >
          {props.running ? '↺ Reset this run to the defaults' : '↺ Reset to defaults'}
        </button>
      )}
      {changed.length > 0 && said && <p className="field-help">{said}</p>}
    </section>
  )
}
