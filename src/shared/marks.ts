/** Words for a settings change, as drawn on the charts: "c 10 → 100", "blocking on". */
import type { Settings, SettingsPatch } from './settings'

const SHORT: Partial<Record<keyof Settings, string>> = {
  concurrency: 'c',
  delayMs: 'delay',
  ratePerS: 'rate',
  publishRatePerS: 'publish rate',
  pollTimeoutMs: 'poll timeout',
  durationS: 'duration',
  timeoutMs: 'timeout'
}

const UNIT: Partial<Record<keyof Settings, string>> = {
  delayMs: ' ms',
  ratePerS: '/s',
  publishRatePerS: '/s',
  pollTimeoutMs: ' ms',
  durationS: ' s',
  timeoutMs: ' ms'
}

export function markLabel(prev: Settings, patch: SettingsPatch): string {
  const parts: string[] = []
  for (const key of Object.keys(patch) as (keyof Settings)[]) {
    const next = patch[key]
    if (typeof next === 'boolean') {
      parts.push(`${key} ${next ? 'on' : 'off'}`)
      continue
    }
    const name = SHORT[key] ?? key
    const unit = UNIT[key] ?? ''
    const from = prev[key] === null ? '∞' : String(prev[key])
    const to = next === null ? '∞' : String(next)
    parts.push(`${name} ${from} → ${to}${unit}`)
  }
  return parts.join(', ')
}
