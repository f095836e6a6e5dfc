/**
 * Each setting as the form names it, and a refused value in those words: "Delay must be a whole number of
 * milliseconds from 0 to 60,000 (you typed -5)". The host's refusal names the schema's field (`delayMs`), which is
 * right for the API and the CLI and wrong on a form; the form knows which field it sent and what was typed, so it
 * says it again with the label the user sees. The range comes from the schema's LIMITS, so it cannot drift.
 */
import { DEFAULT_SETTINGS, hidePassword, LIMITS, REDIS_INSTALL_HINT, type Settings } from '../../shared/settings'

type NumericField = keyof typeof LIMITS & keyof Settings

interface Words {
  label: string
  /** what a value counts (for a numeric field), in a sentence */
  counts?: string
  /** the same, as the form's unit beside a figure */
  unit?: string
  /** a choice's options, as the form names them */
  choices?: Record<string, string>
  /** digits shown ungrouped (a port) */
  plainDigits?: true
  /** what null means, where it is not "no limit" */
  nullWords?: string
}

/** the label the form shows, what a value counts, and how its choices read */
export const FIELD_WORDS: Record<keyof Settings, Words> = {
  delayMs: { label: 'Delay', counts: 'milliseconds', unit: 'ms' },
  blocking: { label: 'Block the event loop' },
  work: { label: 'Work', choices: { wait: 'Wait', cpu: 'CPU', upstream: 'Backend', libuv: 'libuv' } },
  threads: { label: 'Threads' },
  upstreamConnections: { label: 'Backend connections', counts: 'connections', unit: 'conn' },
  upstreamJitterMs: { label: 'Backend jitter', counts: 'milliseconds', unit: 'ms' },
  uvThreadpoolSize: { label: 'libuv pool threads' },
  pollTimeoutMs: { label: 'Poll timeout', counts: 'milliseconds', unit: 'ms' },
  logSize: { label: 'Messages kept', counts: 'messages', unit: 'messages' },
  share: { label: 'Share on the network' },
  sharePort: { label: 'Share port', plainDigits: true },
  processes: { label: 'Processes', counts: 'processes', unit: 'proc' },
  store: { label: 'Message log', choices: { memory: 'Memory', redis: 'Redis' } },
  redisUrl: { label: 'Redis URL', nullWords: "the lab's own" },
  mode: { label: 'Loop', choices: { closed: 'Closed (c users)', open: 'Open (rate)' } },
  route: { label: 'Route', choices: { work: 'Work', hello: 'Hello' } },
  concurrency: { label: 'Concurrency' },
  ratePerS: { label: 'Arrival rate', counts: 'requests a second', unit: 'req/s' },
  connections: { label: 'Connections' },
  requests: { label: 'Stop after requests' },
  durationS: { label: 'Stop after', counts: 'seconds', unit: 's' },
  timeoutMs: { label: 'Request timeout', counts: 'milliseconds', unit: 'ms' },
  subscribers: { label: 'Subscribers' },
  publishRatePerS: { label: 'Publish rate', counts: 'messages a second', unit: 'msg/s' },
  transport: { label: 'Transport', choices: { 'long-poll': 'Long poll', sse: 'SSE', websocket: 'WebSocket' } },
  frontDoor: { label: 'Front door' },
  hold: { label: 'Hold traffic' },
  holdMaxS: { label: 'Release a hold after', counts: 'seconds', unit: 's' }
}

/** A choice field's options, in the form's words. */
export function choicesOf<K extends keyof Settings>(field: K): { value: Settings[K] & string; label: string }[] {
  return Object.entries(FIELD_WORDS[field].choices ?? {}).map(([value, label]) => ({
    value: value as Settings[K] & string,
    label
  }))
}

/** A setting's value as the form shows it: "2,000 ms", "On", "CPU", "no limit". */
export function valueInWords<K extends keyof Settings>(field: K, value: Settings[K]): string {
  const { unit, choices, nullWords } = FIELD_WORDS[field]
  if (value === null) return nullWords ?? 'no limit'
  // a URL's password is never shown (a screen shared on a projector)
  if (field === 'redisUrl') return hidePassword(String(value))
  if (typeof value === 'boolean') return value ? 'On' : 'Off'
  if (typeof value === 'number')
    return `${FIELD_WORDS[field].plainDigits ? String(value) : grouped(value)}${unit ? ` ${unit}` : ''}`
  return choices?.[String(value)] ?? String(value)
}

/** "default 2,000 ms" when the value is not the default, else null: no setting differs unseen */
export function notDefault<K extends keyof Settings>(field: K, value: Settings[K]): string | null {
  return value === DEFAULT_SETTINGS[field] ? null : `default ${valueInWords(field, DEFAULT_SETTINGS[field])}`
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
export function refusalInWords(field: keyof Settings, value: unknown, code?: string): string {
  const { label, counts, plainDigits } = FIELD_WORDS[field]
  if (code === 'LOOPSCOPE_ERR_REDIS_MISSING')
    return `Redis needs redis-server, which is not installed here: ${REDIS_INSTALL_HINT}`
  if (field === 'redisUrl')
    return `${label} must be empty (the lab's own server) or a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (${typed(value)})`
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
