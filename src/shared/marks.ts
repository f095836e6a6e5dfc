/**
 * Words for a settings change, as drawn on the charts: "c 10 → 100", "blocking on", and the same said shorter
 * ("c 100") for a chart with no room for the long one.
 */
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

/** values said as a chart label should say them: "transport long polling → SSE" */
const VALUE_WORDS: Record<string, string> = { 'long-poll': 'long polling', sse: 'SSE', websocket: 'WebSocket' }

const valueText = (v: unknown): string => (v === null ? '∞' : (VALUE_WORDS[String(v)] ?? String(v)))

/** One changed setting in words: with the value it had (`from`), or only the new one. */
function part(key: keyof Settings, next: unknown, from: unknown | undefined): string {
  // the hold is an action, said as one: where traffic stopped and where it went again
  if (key === 'hold') return next ? 'hold' : 'release'
  if (typeof next === 'boolean') return `${key} ${next ? 'on' : 'off'}`
  const was = from === undefined ? '' : `${valueText(from)} → `
  return `${SHORT[key] ?? key} ${was}${valueText(next)}${UNIT[key] ?? ''}`
}

export function markLabel(prev: Settings, patch: SettingsPatch): string {
  return (Object.keys(patch) as (keyof Settings)[]).map((key) => part(key, patch[key], prev[key])).join(', ')
}

/** The same change with only the new values: "c 100", "delay 500 ms, blocking on". */
export function markShortLabel(patch: SettingsPatch): string {
  return (Object.keys(patch) as (keyof Settings)[]).map((key) => part(key, patch[key], undefined)).join(', ')
}
