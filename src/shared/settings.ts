/**
 * The one settings schema, validated at every edge (IPC, WebSocket, CLI flags, HTTP query). A refused value comes
 * back as a LabError naming the field and its accepted range; nothing is ever silently clamped.
 */
import { z } from 'zod'
import { describeNames, describeValue } from './describe-value'
import { LabError } from './errors'
import { PUSH_TRANSPORTS } from './wire'

/** Where the broadcast log is kept: this subject's memory, or a Redis server (kept across restarts, shared by processes). */
export const STORES = ['memory', 'redis'] as const

/** The install command in one sentence, for each platform: what the user reads when redis-server is missing. */
export const REDIS_INSTALL_HINT =
  'install it — Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis; Windows: run Loopscope in WSL and install it there with apt-get (or install Memurai) — or give the URL of a Redis server of your own (--redis-url, Redis URL)'

/** A Redis URL's longest accepted form (a password, a host name, a database number fit well inside). */
export const REDIS_URL_MAX_CHARS = 512

/** What a request's work is: a timer-like wait, computation, or a task on libuv's thread pool (subject/libuv-work.ts). */
export const WORK_KINDS = ['wait', 'cpu', 'upstream', 'libuv'] as const

/** Caps that keep a demo from taking the laptop down. */
export const LIMITS = {
  delayMs: { min: 0, max: 60_000 },
  threads: { min: 0, max: 64 },
  upstreamConnections: { min: 1, max: 1_000 },
  upstreamJitterMs: { min: 0, max: 10_000 },
  /** libuv's own bound (UV_THREADPOOL_SIZE is capped at 1,024 from libuv 1.45; 128 keeps a demo light) */
  uvThreadpoolSize: { min: 1, max: 128 },
  concurrency: { min: 1, max: 10_000 },
  ratePerS: { min: 1, max: 50_000 },
  connections: { min: 1, max: 10_000 },
  requests: { min: 1, max: 10_000_000 },
  durationS: { min: 1, max: 3_600 },
  timeoutMs: { min: 100, max: 600_000 },
  subscribers: { min: 0, max: 19_500 },
  publishRatePerS: { min: 0, max: 1_000 },
  pollTimeoutMs: { min: 100, max: 120_000 },
  logSize: { min: 1, max: 10_000 },
  /** above the ports only root may open, up to the last one */
  sharePort: { min: 1024, max: 65_535 },
  holdMaxS: { min: 1, max: 60 },
  /** worker processes of the subject (node:cluster); above the machine's cores they share cores, which the UI says */
  processes: { min: 1, max: 16 }
} as const

type IntField = keyof typeof LIMITS

const int = (field: IntField) => z.number().int().min(LIMITS[field].min).max(LIMITS[field].max)

export const settingsSchema = z.strictObject({
  // the subject
  delayMs: int('delayMs'),
  blocking: z.boolean(),
  work: z.enum(WORK_KINDS),
  threads: int('threads'),
  /** work "upstream", evented (blocking false, threads 0): the async client's connections to the backend */
  upstreamConnections: int('upstreamConnections'),
  /** work "upstream": the backend's answer takes delayMs plus up to this much more, uniformly at random */
  upstreamJitterMs: int('upstreamJitterMs'),
  /** UV_THREADPOOL_SIZE of the subject process: the pool `work: "libuv"` runs on; applies at the next start */
  uvThreadpoolSize: int('uvThreadpoolSize'),
  pollTimeoutMs: int('pollTimeoutMs'),
  logSize: int('logSize'),
  /** listen on every network interface (so phones can open /live), not only 127.0.0.1; applies at the next start */
  share: z.boolean(),
  /** the port a shared subject listens on, the same at every start so a handed-out address lasts; applies at the next start */
  sharePort: int('sharePort'),
  /** worker processes of one server on one port (node:cluster); applies at the next start */
  processes: int('processes'),
  /** where the broadcast log is kept; applies at the next start */
  store: z.enum(STORES),
  /** store "redis": a Redis server of the user's; null = the lab starts its own redis-server. Applies at the next start */
  redisUrl: z
    .string()
    .max(REDIS_URL_MAX_CHARS)
    .regex(/^rediss?:\/\/[^\s]+$/)
    .nullable(),
  // the crowd
  mode: z.enum(['closed', 'open']),
  route: z.enum(['work', 'hello']),
  concurrency: int('concurrency'),
  ratePerS: int('ratePerS'),
  connections: int('connections'),
  requests: int('requests').nullable(),
  durationS: int('durationS'),
  timeoutMs: int('timeoutMs'),
  subscribers: int('subscribers'),
  publishRatePerS: int('publishRatePerS'),
  /** how the subscribers get their messages; changing it mid-run moves them over, resuming where each was */
  transport: z.enum(PUSH_TRANSPORTS),
  /** an HTTP-aware front door in the Lab, between the crowd and the app, that can hold traffic; applies at the next start */
  frontDoor: z.boolean(),
  /** the front door dispatches nothing while on; released by itself after holdMaxS */
  hold: z.boolean(),
  holdMaxS: int('holdMaxS')
})

export type Settings = z.infer<typeof settingsSchema>
export type SettingsPatch = Partial<Settings>

/** The settings the subject process needs; the rest belong to the crowd. */
export const SUBJECT_KEYS = [
  'delayMs',
  'blocking',
  'work',
  'threads',
  'upstreamConnections',
  'upstreamJitterMs',
  'uvThreadpoolSize',
  'pollTimeoutMs',
  'logSize'
] as const
/** Settings that apply when a run starts: a running run refuses a change to them. */
export const START_ONLY_KEYS = [
  'share',
  'sharePort',
  'uvThreadpoolSize',
  'frontDoor',
  'processes',
  'store',
  'redisUrl'
] as const satisfies readonly (keyof Settings)[]

export type SubjectSettings = Pick<Settings, (typeof SUBJECT_KEYS)[number]>

export const DEFAULT_SETTINGS: Settings = {
  delayMs: 2000,
  blocking: false,
  work: 'wait',
  threads: 0,
  upstreamConnections: 10,
  upstreamJitterMs: 0,
  // Node's own default
  uvThreadpoolSize: 4,
  pollTimeoutMs: 10_000,
  logSize: 1000,
  share: false,
  // Easy to read out and type on a phone, above the privileged ports, and clear of the usual development servers
  // (3000, 4000, 4200, 5000, 5173, 8000, 8080, 8888) and of the browser mode's 4310.
  sharePort: 4242,
  processes: 1,
  store: 'memory',
  redisUrl: null,
  mode: 'closed',
  route: 'work',
  concurrency: 100,
  ratePerS: 50,
  connections: 100,
  requests: null,
  durationS: 600,
  timeoutMs: 120_000,
  subscribers: 0,
  publishRatePerS: 0,
  transport: 'long-poll',
  frontDoor: false,
  hold: false,
  holdMaxS: 30
}

/** What each field accepts, in words; used in every refusal. */
export const ACCEPTS: Record<keyof Settings, string> = {
  delayMs: `an integer number of milliseconds from ${LIMITS.delayMs.min} to ${LIMITS.delayMs.max}`,
  blocking: 'true or false',
  work: '"wait", "cpu", "upstream" (a call to a slow backend service) or "libuv" (a task on libuv\'s thread pool)',
  threads: `an integer from ${LIMITS.threads.min} to ${LIMITS.threads.max} (0 = work on the event loop)`,
  upstreamConnections: `an integer number of connections to the backend from ${LIMITS.upstreamConnections.min} to ${LIMITS.upstreamConnections.max}`,
  upstreamJitterMs: `an integer number of milliseconds from ${LIMITS.upstreamJitterMs.min} to ${LIMITS.upstreamJitterMs.max}`,
  uvThreadpoolSize: `an integer number of threads from ${LIMITS.uvThreadpoolSize.min} to ${LIMITS.uvThreadpoolSize.max} (applies when a run starts)`,
  pollTimeoutMs: `an integer number of milliseconds from ${LIMITS.pollTimeoutMs.min} to ${LIMITS.pollTimeoutMs.max}`,
  logSize: `an integer number of messages from ${LIMITS.logSize.min} to ${LIMITS.logSize.max}`,
  share: 'true or false (applies when a run starts)',
  sharePort: `an integer port number from ${LIMITS.sharePort.min} to ${LIMITS.sharePort.max} (applies when a run starts)`,
  processes: `an integer number of processes from ${LIMITS.processes.min} to ${LIMITS.processes.max} (applies when a run starts)`,
  store:
    '"memory" (the subject\'s own, lost at a restart) or "redis" (a Redis server; kept across restarts) (applies when a run starts)',
  redisUrl: `null (the lab starts its own redis-server) or a redis:// or rediss:// URL of up to ${REDIS_URL_MAX_CHARS} characters, such as redis://127.0.0.1:6379 (applies when a run starts)`,
  mode: '"closed" (fixed concurrency) or "open" (fixed rate)',
  route: '"work" (the demo handler) or "hello" (hello world)',
  concurrency: `an integer from ${LIMITS.concurrency.min} to ${LIMITS.concurrency.max}`,
  ratePerS: `an integer number of requests a second from ${LIMITS.ratePerS.min} to ${LIMITS.ratePerS.max}`,
  connections: `an integer from ${LIMITS.connections.min} to ${LIMITS.connections.max}`,
  requests: `null (no limit) or an integer from ${LIMITS.requests.min} to ${LIMITS.requests.max}`,
  durationS: `an integer number of seconds from ${LIMITS.durationS.min} to ${LIMITS.durationS.max}`,
  timeoutMs: `an integer number of milliseconds from ${LIMITS.timeoutMs.min} to ${LIMITS.timeoutMs.max}`,
  subscribers: `an integer from ${LIMITS.subscribers.min} to ${LIMITS.subscribers.max}`,
  publishRatePerS: `an integer number of messages a second from ${LIMITS.publishRatePerS.min} to ${LIMITS.publishRatePerS.max}`,
  transport: '"long-poll" (GET /wait), "sse" (Server-Sent Events, GET /events) or "websocket" (GET /ws)',
  frontDoor: 'true or false (applies when a run starts)',
  hold: 'true or false (needs the front door: frontDoor on at the start)',
  holdMaxS: `an integer number of seconds from ${LIMITS.holdMaxS.min} to ${LIMITS.holdMaxS.max}`
}

function refusal(error: z.ZodError, input: unknown): LabError {
  const issue = error.issues[0]!
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(ACCEPTS).join(', ')
    return new LabError(
      'LOOPSCOPE_ERR_SETTINGS_UNKNOWN',
      `unknown setting ${describeNames(issue.keys)}; known settings: ${known}`
    )
  }
  const field = String(issue.path[0] ?? '')
  if (field in ACCEPTS) {
    const got = (input as Record<string, unknown> | null)?.[field]
    return new LabError(
      'LOOPSCOPE_ERR_SETTINGS_INVALID',
      `${field} must be ${ACCEPTS[field as keyof Settings]} (got ${describeValue(got)})`,
      { field }
    )
  }
  return new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', `settings must be an object of known fields (${issue.message})`)
}

/**
 * How many connections the crowd's load keeps open for these settings: one per user in the closed loop, the
 * connection budget in the open one. The bound of theory, the crowd's connection pool and its open-file budget.
 */
export function loadConnections(s: Pick<Settings, 'mode' | 'concurrency' | 'connections'>): number {
  return s.mode === 'closed' ? s.concurrency : s.connections
}

/** Validates a whole settings object; throws a LabError that names the field and its range. */
export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(input)
  if (!result.success) throw refusal(result.error, input)
  refuseLibuvThreads(result.data)
  return result.data
}

/**
 * work "libuv" runs on libuv's one pool per process, which piscina's threads would share: a thread pool in front of
 * it would measure neither model. Refused, naming threads, rather than quietly ignored.
 */
function refuseLibuvThreads(s: Settings): void {
  if (s.work === 'libuv' && s.threads > 0) {
    throw new LabError(
      'LOOPSCOPE_ERR_SETTINGS_INVALID',
      `threads must be 0 with work "libuv": its work runs on libuv's own thread pool (set uvThreadpoolSize, ${ACCEPTS.uvThreadpoolSize}) (got ${s.threads})`,
      { field: 'threads' }
    )
  }
}

/**
 * The settings as a saved run or an export keeps them: a Redis URL's password is replaced by *** (a run file is
 * handed round and a report shown on a projector; the password is of no use to a replay).
 */
export function withoutSecrets(s: Settings): Settings {
  return s.redisUrl === null ? s : { ...s, redisUrl: hidePassword(s.redisUrl) }
}

/** A Redis URL with its password, if any, as ***: how every message, form and file shows it. */
export function hidePassword(url: string): string {
  return url.replace(/^(rediss?:\/\/[^/@]*?:)[^/@]*@/, '$1***@')
}

/**
 * A URL typed over what hidePassword showed of `original`: where the user left the *** in place and kept the same
 * user and server (changed, say, the database number), it stands for the password it hid, not for a password of
 * three stars. Another user or server never gets the old password: the *** then stays as typed (and the server
 * refuses it, in words that hide it). Anything else is taken as typed.
 */
export function restorePassword(typed: string, original: string | null): string {
  const was = original === null ? null : /^(rediss?:\/\/)([^/@:]*):([^/@]*)@([^/?#]*)/.exec(original)
  const now = /^(rediss?:\/\/)([^/@:]*):\*\*\*@([^/?#]*)/.exec(typed)
  if (!was || !now || now[1] !== was[1] || now[2] !== was[2] || now[3] !== was[4]) return typed
  const head = `${now[1]}${now[2]}:`
  return `${head}${was[3]}@${typed.slice(head.length + '***@'.length)}`
}

/** Validates a patch against the current settings; returns the merged settings or throws, leaving `current` as is. */
export function applyPatch(current: Settings, patch: unknown): Settings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new LabError(
      'LOOPSCOPE_ERR_SETTINGS_INVALID',
      `a settings change must be an object (got ${describeValue(patch)})`
    )
  }
  const partial = settingsSchema.partial().safeParse(patch)
  if (!partial.success) throw refusal(partial.error, patch)
  return parseSettings({ ...current, ...partial.data })
}

/** Fills the defaults in, then validates. */
export function withDefaults(partial: unknown = {}): Settings {
  return applyPatch(DEFAULT_SETTINGS, partial)
}

export function pickSubject(settings: Settings): SubjectSettings {
  return Object.fromEntries(SUBJECT_KEYS.map((k) => [k, settings[k]])) as SubjectSettings
}

/** The fields of `next` that differ from `prev`. */
export function diffSettings(prev: Settings, next: Settings): SettingsPatch {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(next) as (keyof Settings)[]) if (prev[key] !== next[key]) out[key] = next[key]
  return out as SettingsPatch
}
