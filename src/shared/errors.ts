/**
 * The one registry of coded errors. Every error that crosses a thread, a process, IPC or the WebSocket travels as
 * `{ code, message, field? }`; the code says what happened, the message says it in words a person can act on, and
 * `field`, on a refused setting, names it as the schema spells it (`delayMs`), so that a form can put the refusal
 * next to that field without reading the message.
 */
export const ERROR_CODES = {
  LOOPSCOPE_ERR_SETTINGS_INVALID:
    'A setting was refused: its value is outside the accepted range. The run keeps its previous settings.',
  LOOPSCOPE_ERR_SETTINGS_UNKNOWN: 'A setting name that Loopscope does not know.',
  LOOPSCOPE_ERR_RUN_ACTIVE: 'A run was started while another is still running.',
  LOOPSCOPE_ERR_RUN_IDLE: 'Stop was asked for while no run is active.',
  LOOPSCOPE_ERR_SUBJECT_START: 'The subject server could not be started.',
  LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE:
    'The port the subject should listen on is in use by another program; choose another port and start again.',
  LOOPSCOPE_ERR_SUBJECT_EXITED: 'The subject server process ended unexpectedly; start the run again to restart it.',
  LOOPSCOPE_ERR_SUBJECT_WORKER_EXITED:
    'One process of a subject started with several ended unexpectedly: a new process takes its number, the others go on, and the requests it had fail (counted as errors).',
  LOOPSCOPE_ERR_UPSTREAM_EXITED:
    'The backend process of work "upstream" ended during the run; its calls fail (502) from then on. Start the run again to restart it.',
  LOOPSCOPE_ERR_UPSTREAM_FAILED:
    'A call from the subject to its backend (work "upstream") failed; the request was answered 502 and counted as an error.',
  LOOPSCOPE_ERR_FRONT_DOOR_OFF:
    'Hold traffic or Restart the app was asked for in a run started without the front door (frontDoor off).',
  LOOPSCOPE_ERR_RESTART_ACTIVE:
    'Restart the app was asked for while the app is already restarting; wait for its new process.',
  LOOPSCOPE_ERR_REDIS_MISSING:
    'The broadcast log on Redis needs redis-server, which is not installed here (or give a Redis URL of your own).',
  LOOPSCOPE_ERR_REDIS_START: 'The Redis server the lab starts for the broadcast log could not be started or reached.',
  LOOPSCOPE_ERR_STORE_LOST:
    "The broadcast log's Redis went away mid-run: publishes are refused and long polls answered [] until it is back.",
  LOOPSCOPE_ERR_STORE_UNAVAILABLE: "A publish was refused because the broadcast log's Redis cannot be reached (503).",
  LOOPSCOPE_ERR_CROWD_FAILED: 'The load generator (the crowd) failed.',
  LOOPSCOPE_ERR_FD_LIMIT: 'The open-file limit does not allow that many connections.',
  LOOPSCOPE_ERR_HTTP_BAD_REQUEST: 'The subject refused a malformed request.',
  LOOPSCOPE_ERR_HTTP_TOO_LARGE: 'The subject refused a request body over its limit (413).',
  LOOPSCOPE_ERR_HTTP_MEDIA_TYPE: 'The subject refused a request body of a content type it does not take (415).',
  LOOPSCOPE_ERR_HTTP_NOT_FOUND: 'The subject has no such route.',
  LOOPSCOPE_ERR_HTTP_INTERNAL: 'The subject failed while handling a request.',
  LOOPSCOPE_ERR_PUSH_BAD_FRAME:
    'The subject refused a WebSocket frame on /ws: not JSON or binary (closed with 1003), or not {"since": N} / {"text": "…"} with a valid value (a refused frame; the socket stays open).',
  LOOPSCOPE_ERR_PUSH_ORIGIN:
    'The subject refused a WebSocket to /ws from a page of another origin (403): only its own pages, and clients that are not pages, may subscribe and publish there.',
  LOOPSCOPE_ERR_PUSH_SLOW_CONSUMER:
    'The subject closed a push connection (/events, or /ws with code 1008) that left more than 256 KiB of messages unread.',
  LOOPSCOPE_ERR_IPC_INVALID: 'A message on the control channel did not follow the contract.',
  LOOPSCOPE_ERR_WS_ORIGIN: 'A control connection from another origin was refused.',
  LOOPSCOPE_ERR_WS_BACKLOG:
    'A control connection was closed (code 4008) because its client left too many replies and events unread.',
  LOOPSCOPE_ERR_CLI_USAGE: 'A command-line flag or its value was refused.',
  LOOPSCOPE_ERR_RUNS_NOT_A_RUN:
    'A file or text given as a saved run is not a Loopscope run (nor a report holding one).',
  LOOPSCOPE_ERR_RUNS_NEWER_VERSION:
    'A saved run was written by a newer Loopscope, in a format version this one cannot read.',
  LOOPSCOPE_ERR_RUNS_DAMAGED:
    'A saved run is truncated or was edited by hand: it is not valid JSON, or a field is missing or wrong.',
  LOOPSCOPE_ERR_RUNS_WRITE:
    'A run could not be saved or changed: the disk is full, read-only, or the folder is not writable. Nothing else was changed.',
  LOOPSCOPE_ERR_RUNS_NOT_FOUND: 'No saved run has that id, or the file does not exist.',
  LOOPSCOPE_ERR_RUNS_SETTING: 'A setting of the run store (LOOPSCOPE_KEEP_RUNS, LOOPSCOPE_DATA_DIR) was refused.'
} as const

export type ErrorCode = keyof typeof ERROR_CODES

export interface ErrorInfo {
  code: ErrorCode
  message: string
  /** the refused setting, as the schema names it (`delayMs`); absent when the error is not about one setting */
  field?: string
  /** how a process ended (LOOPSCOPE_ERR_SUBJECT_EXITED, _SUBJECT_WORKER_EXITED): its exit code, or the signal that killed it */
  exit?: { code: number | null; signal: string | null }
}

export class LabError extends Error {
  readonly code: ErrorCode
  readonly field: string | undefined
  constructor(code: ErrorCode, message: string, options: { field?: string } = {}) {
    super(message)
    this.name = 'LabError'
    this.code = code
    this.field = options.field
  }
  toJSON(): ErrorInfo {
    return withField({ code: this.code, message: this.message }, this.field)
  }
}

function withField(info: ErrorInfo, field: unknown): ErrorInfo {
  return typeof field === 'string' && field !== '' ? { ...info, field } : info
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}

/** Any thrown value, as the `{code, message, field?}` that crosses boundaries. */
export function toErrorInfo(err: unknown, fallback: ErrorCode = 'LOOPSCOPE_ERR_CROWD_FAILED'): ErrorInfo {
  if (err && typeof err === 'object') {
    const { code, message, field } = err as { code?: unknown; message?: unknown; field?: unknown }
    if (isErrorCode(code)) return withField({ code, message: String(message ?? ERROR_CODES[code]) }, field)
    if (typeof message === 'string') return { code: fallback, message }
  }
  return { code: fallback, message: String(err) }
}
