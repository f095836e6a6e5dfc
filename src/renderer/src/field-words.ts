/**
 * Each setting as the form names it, and a refused value in those words: "Delay must be a whole number of
 * milliseconds from 0 to 60,000 (you typed -5)". The host's refusal names the schema's field (`delayMs`), which is
 * right for the API and the CLI and wrong on a form; the form knows which field it sent and what was typed, so it
 * says it again with the label the user sees. The range comes from the schema's LIMITS, so it cannot drift.
 */
import { LIMITS, type Settings } from '../../shared/settings'

type NumericField = keyof typeof LIMITS & keyof Settings

/** the label the form shows, what a value counts (for a numeric field), and whether its digits go ungrouped (a port) */
export const FIELD_WORDS: Record<keyof Settings, { label: string; counts?: string; plainDigits?: true }> = {
  delayMs: { label: 'Delay', counts: 'milliseconds' },
  blocking: { label: 'Block the event loop' },
  work: { label: 'Work' },
  threads: { label: 'Threads' },
  pollTimeoutMs: { label: 'Poll timeout', counts: 'milliseconds' },
  logSize: { label: 'Messages kept', counts: 'messages' },
  share: { label: 'Share on the network' },
  sharePort: { label: 'Share port', plainDigits: true },
  mode: { label: 'Loop' },
  route: { label: 'Route' },
  concurrency: { label: 'Concurrency' },
  ratePerS: { label: 'Arrival rate', counts: 'requests a second' },
  connections: { label: 'Connections' },
  requests: { label: 'Stop after requests' },
  durationS: { label: 'Stop after', counts: 'seconds' },
  timeoutMs: { label: 'Request timeout', counts: 'milliseconds' },
  subscribers: { label: 'Subscribers' },
  publishRatePerS: { label: 'Publish rate', counts: 'messages a second' }
}

const grouped = (v: number): string => v.toLocaleString('en-US')

function isNumeric(field: keyof Settings): field is NumericField {
  return field in LIMITS
}

/** What was sent, as the user would have typed it; never "null" or "NaN". */
function typed(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? `you typed ${value}` : 'that is not a number'
  if (value === null || value === undefined || value === '') return 'the field is empty'
  return `you chose ${JSON.stringify(value)}`
}

/** The refusal of `value` for `field`, in the form's words. */
export function refusalInWords(field: keyof Settings, value: unknown): string {
  const { label, counts, plainDigits } = FIELD_WORDS[field]
  if (!isNumeric(field)) return `${label} cannot be set to that (${typed(value)})`
  const { min, max } = LIMITS[field]
  const n = plainDigits ? String : grouped
  const whole = `a whole number${counts ? ` of ${counts}` : ''} from ${n(min)} to ${n(max)}`
  const accepts = field === 'requests' ? `empty (no limit) or ${whole}` : whole
  return `${label} must be ${accepts} (${typed(value)})`
}

/** Whether a typed text is a value the field accepts, so that its refusal can go as soon as it is. */
export function acceptsTyped(field: keyof Settings, text: string): boolean {
  if (!isNumeric(field)) return false
  if (text.trim() === '') return field === 'requests'
  if (!/^-?[0-9]+$/.test(text.trim())) return false
  const v = Number(text)
  return v >= LIMITS[field].min && v <= LIMITS[field].max
}
