/**
 * The request dispatch shared by both transports (Electron IPC and the browser mode's WebSocket): a request name and
 * its untrusted arguments become one validated call on the Lab, and the outcome becomes a Reply. Nothing here throws;
 * a refused value comes back as `{ ok: false, error }` and the Lab is never called with it.
 */
import type { LabEventName, LabEvents, LabRequestName, LabRequests, LabStatus, Reply } from '../shared/contract'
import { IPC_CHANNELS } from '../shared/contract'
import { describeValue } from '../shared/describe-value'
import { LabError, toErrorInfo, type ErrorCode } from '../shared/errors'
import type { Summary } from '../shared/frame'
import { applyPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../shared/settings'

export const BROADCAST_TEXT = { minChars: 1, maxChars: 280 } as const

/** The part of the Lab the transports drive; the real Lab satisfies it, tests pass a stand-in. */
export interface LabLike {
  start(patch?: SettingsPatch): Promise<LabStatus>
  update(patch: SettingsPatch): Promise<LabStatus>
  stop(): Promise<Summary | null>
  broadcast(text: string): Promise<null>
  status(): LabStatus
  // `any[]`: the real Lab is a typed EventEmitter; forwardEvents pairs each event name with its data type
  on(event: string, listener: (...args: any[]) => void): unknown
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

function noArgs(name: string, args: unknown): void {
  if (args !== null && args !== undefined) throw invalid(`${name} takes no arguments (got ${typeof args})`)
}

/** Validates the arguments of one request; throws a LabError naming what was refused. */
export function validateArgs<K extends LabRequestName>(name: K, args: unknown, current: Settings): LabRequests[K]['args']
export function validateArgs(name: LabRequestName, args: unknown, current: Settings): unknown {
  switch (name) {
    case 'start': {
      const patch = args ?? {}
      return sanitize(applyPatch(DEFAULT_SETTINGS, patch), patch as object)
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
    case 'status':
      noArgs(name, args)
      return null
  }
}

const FAILURE_CODE: Record<LabRequestName, ErrorCode> = {
  start: 'LOOPSCOPE_ERR_SUBJECT_START',
  update: 'LOOPSCOPE_ERR_SETTINGS_INVALID',
  stop: 'LOOPSCOPE_ERR_CROWD_FAILED',
  broadcast: 'LOOPSCOPE_ERR_CROWD_FAILED',
  status: 'LOOPSCOPE_ERR_CROWD_FAILED'
}

/** name + untrusted args → validated call on the Lab → Reply. Never throws. */
export async function dispatch(lab: LabLike, name: unknown, args: unknown): Promise<Reply<unknown>> {
  if (!isRequestName(name)) {
    // describeValue, not String(): the name is whatever the client sent, a 5,000-level array included
    const what = name === undefined ? 'a request with no name' : `unknown request ${describeValue(name)}`
    return { ok: false, error: invalid(`${what}; known: ${REQUEST_NAMES.join(', ')}`).toJSON() }
  }
  try {
    switch (name) {
      case 'start':
        return { ok: true, value: await lab.start(validateArgs('start', args, lab.status().settings)) }
      case 'update':
        return { ok: true, value: await lab.update(validateArgs('update', args, lab.status().settings)) }
      case 'stop':
        validateArgs('stop', args, DEFAULT_SETTINGS)
        return { ok: true, value: await lab.stop() }
      case 'broadcast':
        return { ok: true, value: await lab.broadcast(validateArgs('broadcast', args, DEFAULT_SETTINGS).text) }
      case 'status':
        validateArgs('status', args, DEFAULT_SETTINGS)
        return { ok: true, value: lab.status() }
    }
  } catch (err) {
    return { ok: false, error: toErrorInfo(err, FAILURE_CODE[name]) }
  }
}

/** Requests one client (a window, a WebSocket) may have waiting for their replies at once. */
export const MAX_PENDING_REQUESTS = 32

/**
 * `dispatch` for one client: at most `maxPending` of its requests wait for their replies at once; past that a request
 * is refused at once without calling the Lab, so a client that floods the channel cannot make the host hold an
 * unbounded queue of calls. The renderer waits for each reply before it acts on it and never has more than a few out.
 */
export function clientDispatch(lab: LabLike, maxPending = MAX_PENDING_REQUESTS): (name: unknown, args: unknown) => Promise<Reply<unknown>> {
  let pending = 0
  return async (name, args) => {
    if (pending >= maxPending) {
      return {
        ok: false,
        error: invalid(`more than ${maxPending} requests are waiting for their replies; wait for them before sending more`).toJSON()
      }
    }
    pending++
    try {
      return await dispatch(lab, name, args)
    } finally {
      pending--
    }
  }
}

/** Forwards every Lab event to `send`; returns the function that stops forwarding. */
export function forwardEvents(
  lab: LabLike,
  send: <K extends LabEventName>(name: K, data: LabEvents[K]) => void
): () => void {
  const listeners = EVENT_NAMES.map((name) => {
    const listener = (data: unknown): void => send(name, data as LabEvents[typeof name])
    lab.on(name, listener)
    return [name, listener] as const
  })
  return () => {
    for (const [name, listener] of listeners) lab.off(name, listener)
  }
}
