/**
 * The request dispatch shared by both transports (Electron IPC and the browser mode's WebSocket): a request name and
 * its untrusted arguments become one validated call on the Lab, and the outcome becomes a Reply. Nothing here throws;
 * a refused value comes back as `{ ok: false, error }` and the Lab is never called with it.
 */
import type {
  LabEventName,
  LabEvents,
  LabRequestName,
  LabRequests,
  LabStatus,
  Reply,
  RunExport,
  RunExportFormat
} from '../shared/contract'
import { BROADCAST_TEXT, IPC_CHANNELS, RUN_EXPORT_FORMATS, RUN_IMPORT_MAX_BYTES } from '../shared/contract'
import { describeValue } from '../shared/describe-value'
import { LabError, toErrorInfo, type ErrorCode, type ErrorInfo } from '../shared/errors'
import type { Summary } from '../shared/frame'
import { RUN_NAME_MAX_CHARS, type RunEntry, type RunFile } from '../shared/run-file'
import { applyPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../shared/settings'

/** The part of the Lab the transports drive; the real Lab satisfies it, tests pass a stand-in. */
export interface LabLike {
  start(patch?: SettingsPatch, label?: string | null): Promise<LabStatus>
  update(patch: SettingsPatch): Promise<LabStatus>
  stop(): Promise<Summary | null>
  broadcast(text: string): Promise<null>
  restartApp(): Promise<LabStatus>
  status(): LabStatus
  // `any[]`: the real Lab is a typed EventEmitter; forwardEvents pairs each event name with its data type
  on(event: string, listener: (...args: any[]) => void): unknown
  off(event: string, listener: (...args: any[]) => void): unknown
}

/** The saved runs, as the run requests drive them (src/main/runs/runs.ts); tests pass a stand-in. */
export interface RunsLike {
  list(): Promise<RunEntry[]>
  get(id: string): Promise<RunFile>
  rename(id: string, name: string): Promise<RunEntry>
  delete(id: string): Promise<null>
  import(text: string, fileName: string | null): Promise<RunEntry>
  export(id: string, format: RunExportFormat): Promise<RunExport>
  on(event: 'saved', listener: (entry: RunEntry) => void): unknown
  on(event: 'error', listener: (error: ErrorInfo) => void): unknown
  off(event: string, listener: (...args: any[]) => void): unknown
}

export const REQUEST_NAMES = Object.keys(IPC_CHANNELS.request) as LabRequestName[]
export const EVENT_NAMES = Object.keys(IPC_CHANNELS.event) as LabEventName[]

export function isRequestName(name: unknown): name is LabRequestName {
  return typeof name === 'string' && Object.hasOwn(IPC_CHANNELS.request, name)
}

function invalid(message: string): LabError {
  return new LabError('LOOPSCOPE_ERR_IPC_INVALID', message)
}

/** Only the known fields of a validated patch, with the values the schema accepted. */
function sanitize(merged: Settings, patch: object): SettingsPatch {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(patch)) out[key] = merged[key as keyof Settings]
  return out as SettingsPatch
}

/** The object a request takes, or a refusal naming the request and what it needs. */
function objectArgs(name: string, args: unknown, needs: string): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    throw invalid(`${name} needs ${needs} (got ${describeValue(args)})`)
  return args as Record<string, unknown>
}

function text(name: string, field: string, value: unknown, maxChars: number, minChars = 1): string {
  if (typeof value !== 'string') throw invalid(`${name}: ${field} must be a text (got ${describeValue(value)})`)
  const trimmed = value.trim()
  if (trimmed.length < minChars || trimmed.length > maxChars) {
    throw invalid(`${name}: ${field} must be ${minChars} to ${maxChars} characters (got ${trimmed.length})`)
  }
  return trimmed
}

const RUN_ID = /^[0-9A-Za-z-]{1,80}$/
function runId(name: string, args: Record<string, unknown>): string {
  const id = args.id
  if (typeof id !== 'string' || !RUN_ID.test(id))
    throw invalid(`${name}: id must be a saved run's id (got ${describeValue(id)})`)
  return id
}

function noArgs(name: string, args: unknown): void {
  if (args !== null && args !== undefined) throw invalid(`${name} takes no arguments (got ${typeof args})`)
}

/** Validates the arguments of one request; throws a LabError naming what was refused. */
export function validateArgs<K extends LabRequestName>(
  name: K,
  args: unknown,
  current: Settings
): LabRequests[K]['args']
export function validateArgs(name: LabRequestName, args: unknown, current: Settings): unknown {
  switch (name) {
    case 'start': {
      const { label, ...patch } = (args ?? {}) as { label?: unknown }
      const settings = sanitize(applyPatch(DEFAULT_SETTINGS, patch), patch)
      return label === undefined ? settings : { ...settings, label: text('start', 'label', label, RUN_NAME_MAX_CHARS) }
    }
    case 'update': {
      const merged = applyPatch(current, args)
      return sanitize(merged, args as object)
    }
    case 'broadcast': {
      const text = (args as { text?: unknown } | null)?.text
      if (typeof text !== 'string') throw invalid('broadcast needs { text: string }')
      const chars = [...text].length
      if (chars < BROADCAST_TEXT.minChars || chars > BROADCAST_TEXT.maxChars) {
        throw invalid(
          `broadcast text must be ${BROADCAST_TEXT.minChars} to ${BROADCAST_TEXT.maxChars} characters (got ${chars})`
        )
      }
      return { text }
    }
    case 'stop':
    case 'restartApp':
    case 'status':
    case 'runList':
      noArgs(name, args)
      return null
    case 'runGet':
    case 'runDelete':
      return { id: runId(name, objectArgs(name, args, '{ id }')) }
    case 'runRename': {
      const a = objectArgs(name, args, '{ id, name }')
      return { id: runId(name, a), name: text(name, 'name', a.name, RUN_NAME_MAX_CHARS) }
    }
    case 'runImport': {
      const a = objectArgs(name, args, '{ text, fileName? }')
      if (typeof a.text !== 'string')
        throw invalid(`runImport: text must be the run's JSON or HTML report as text (got ${describeValue(a.text)})`)
      if (a.text.length > RUN_IMPORT_MAX_BYTES) {
        throw invalid(
          `runImport: the text is over ${RUN_IMPORT_MAX_BYTES / 1024 / 1024} MiB (got ${a.text.length} characters)`
        )
      }
      const fileName = a.fileName === undefined ? undefined : text(name, 'fileName', a.fileName, 255)
      return fileName === undefined ? { text: a.text } : { text: a.text, fileName }
    }
    case 'runExport': {
      const a = objectArgs(name, args, '{ id, format }')
      if (!RUN_EXPORT_FORMATS.includes(a.format as RunExportFormat)) {
        throw invalid(
          `runExport: format must be ${RUN_EXPORT_FORMATS.map((f) => `"${f}"`).join(', ')} (got ${describeValue(a.format)})`
        )
      }
      return { id: runId(name, a), format: a.format as RunExportFormat }
    }
  }
}

const FAILURE_CODE: Record<LabRequestName, ErrorCode> = {
  start: 'LOOPSCOPE_ERR_SUBJECT_START',
  update: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
  stop: 'LOOPSCOPE_ERR_CROWD_FAILED',
  broadcast: 'LOOPSCOPE_ERR_CROWD_FAILED',
  restartApp: 'LOOPSCOPE_ERR_SUBJECT_START',
  status: 'LOOPSCOPE_ERR_CROWD_FAILED',
  runList: 'LOOPSCOPE_ERR_RUNS_NOT_FOUND',
  runGet: 'LOOPSCOPE_ERR_RUNS_NOT_FOUND',
  runRename: 'LOOPSCOPE_ERR_RUNS_WRITE',
  runDelete: 'LOOPSCOPE_ERR_RUNS_WRITE',
  runImport: 'LOOPSCOPE_ERR_RUNS_WRITE',
  runExport: 'LOOPSCOPE_ERR_RUNS_NOT_FOUND'
}

/** name + untrusted args → validated call on the Lab (or the saved runs) → Reply. Never throws. */
export async function dispatch(
  lab: LabLike,
  name: unknown,
  args: unknown,
  runs: RunsLike | null = null
): Promise<Reply<unknown>> {
  if (!isRequestName(name)) {
    // describeValue, not String(): the name is whatever the client sent, a 5,000-level array included
    const what = name === undefined ? 'a request with no name' : `unknown request ${describeValue(name)}`
    return { ok: false, error: invalid(`${what}; known: ${REQUEST_NAMES.join(', ')}`).toJSON() }
  }
  try {
    switch (name) {
      case 'start': {
        const { label, ...patch } = validateArgs('start', args, lab.status().settings)
        return { ok: true, value: await (label === undefined ? lab.start(patch) : lab.start(patch, label)) }
      }
      case 'update':
        return { ok: true, value: await lab.update(validateArgs('update', args, lab.status().settings)) }
      case 'stop':
        validateArgs('stop', args, DEFAULT_SETTINGS)
        return { ok: true, value: await lab.stop() }
      case 'broadcast':
        return { ok: true, value: await lab.broadcast(validateArgs('broadcast', args, DEFAULT_SETTINGS).text) }
      case 'restartApp':
        validateArgs('restartApp', args, DEFAULT_SETTINGS)
        return { ok: true, value: await lab.restartApp() }
      case 'status':
        validateArgs('status', args, DEFAULT_SETTINGS)
        return { ok: true, value: lab.status() }
      default:
        return { ok: true, value: await dispatchRuns(runs, name, args) }
    }
  } catch (err) {
    return { ok: false, error: toErrorInfo(err, FAILURE_CODE[name]) }
  }
}

/** The run requests: validated first (a bad argument is said even on a host without runs), then the store. */
async function dispatchRuns(
  runs: RunsLike | null,
  name: Exclude<LabRequestName, 'start' | 'update' | 'stop' | 'broadcast' | 'restartApp' | 'status'>,
  args: unknown
): Promise<unknown> {
  const store = (): RunsLike => {
    if (!runs)
      throw new LabError(
        'LOOPSCOPE_ERR_RUNS_NOT_FOUND',
        'this host keeps no saved runs (it was started without a runs folder)'
      )
    return runs
  }
  switch (name) {
    case 'runList':
      validateArgs(name, args, DEFAULT_SETTINGS)
      return store().list()
    case 'runGet': {
      const { id } = validateArgs(name, args, DEFAULT_SETTINGS)
      return store().get(id)
    }
    case 'runDelete': {
      const { id } = validateArgs(name, args, DEFAULT_SETTINGS)
      return store().delete(id)
    }
    case 'runRename': {
      const a = validateArgs(name, args, DEFAULT_SETTINGS)
      return store().rename(a.id, a.name)
    }
    case 'runImport': {
      const a = validateArgs(name, args, DEFAULT_SETTINGS)
      return store().import(a.text, a.fileName ?? null)
    }
    case 'runExport': {
      const a = validateArgs(name, args, DEFAULT_SETTINGS)
      return store().export(a.id, a.format)
    }
  }
}

/** Requests one client (a window, a WebSocket) may have waiting for their replies at once. */
export const MAX_PENDING_REQUESTS = 32

/**
 * `dispatch` for one client: at most `maxPending` of its requests wait for their replies at once; past that a request
 * is refused at once without calling the Lab, so a client that floods the channel cannot make the host hold an
 * unbounded queue of calls. The renderer waits for each reply before it acts on it and never has more than a few out.
 */
export function clientDispatch(
  lab: LabLike,
  maxPending = MAX_PENDING_REQUESTS,
  runs: RunsLike | null = null
): (name: unknown, args: unknown) => Promise<Reply<unknown>> {
  let pending = 0
  return async (name, args) => {
    if (pending >= maxPending) {
      return {
        ok: false,
        error: invalid(
          `more than ${maxPending} requests are waiting for their replies; wait for them before sending more`
        ).toJSON()
      }
    }
    pending++
    try {
      return await dispatch(lab, name, args, runs)
    } finally {
      pending--
    }
  }
}

/**
 * Forwards every Lab event to `send`, and the runs' own: a saved run as `runSaved`, a failed save as an `error`.
 * Returns the function that stops forwarding.
 */
export function forwardEvents(
  lab: LabLike,
  send: <K extends LabEventName>(name: K, data: LabEvents[K]) => void,
  runs: RunsLike | null = null
): () => void {
  const listeners = EVENT_NAMES.filter((name) => name !== 'runSaved').map((name) => {
    const listener = (data: unknown): void => send(name, data as LabEvents[typeof name])
    lab.on(name, listener)
    return [name, listener] as const
  })
  const onSaved = (entry: RunEntry): void => send('runSaved', entry)
  const onError = (error: ErrorInfo): void => send('error', error)
  runs?.on('saved', onSaved)
  runs?.on('error', onError)
  return () => {
    for (const [name, listener] of listeners) lab.off(name, listener)
    runs?.off('saved', onSaved)
    runs?.off('error', onError)
  }
}
