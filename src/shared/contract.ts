/**
 * The control contract between the renderer and the Lab: one map of IPC channels (no channel string appears
 * anywhere else), and the same messages carried over the browser mode's WebSocket.
 */
import type { ErrorInfo } from './errors'
import type { Frame, Summary } from './frame'
import type { RunEntry, RunFile } from './run-file'
import type { Settings, SettingsPatch } from './settings'
import { TEXT_MAX_CHARS } from './wire'

/** Where the browser-mode host (src/main/web/host.ts) takes this contract's WebSocket. */
export const CONTROL_WS_PATH = '/ws'

/** A presenter's broadcast: the text /publish takes (src/main/control.ts refuses any other; the form guides typing). */
export const BROADCAST_TEXT = { minChars: 1, maxChars: TEXT_MAX_CHARS } as const

export interface LabStatus {
  running: boolean
  settings: Settings
  /** where the subject listens, while it runs */
  subjectUrl: string | null
  /** the subject's process id, while it runs */
  subjectPid: number | null
  /** where people on this network can open the attendee page, while the subject is shared; else empty */
  sharedUrls: string[]
}

/** A start's settings, and optionally what the run is (a preset, a lesson step): the name it is saved under. */
export type StartArgs = SettingsPatch & { label?: string }

export const RUN_EXPORT_FORMATS = ['json', 'csv', 'html'] as const
export type RunExportFormat = (typeof RUN_EXPORT_FORMATS)[number]
/** An exported run: the text to save, and the file name and type to save it under. */
export interface RunExport {
  fileName: string
  mimeType: string
  text: string
}
/** The most text an import takes (a run's JSON or its HTML report); an hour-long run's report is well under it. */
export const RUN_IMPORT_MAX_BYTES = 32 * 1024 * 1024

/** Requests: renderer → Lab. Each answers `{ ok: true, value }` or `{ ok: false, error }`. */
export interface LabRequests {
  start: { args: StartArgs; result: LabStatus }
  update: { args: SettingsPatch; result: LabStatus }
  stop: { args: null; result: Summary | null }
  broadcast: { args: { text: string }; result: null }
  /** replace the app's process behind the front door (a run started with frontDoor on) */
  restartApp: { args: null; result: LabStatus }
  status: { args: null; result: LabStatus }
  /** the saved runs, newest first, with their key figures */
  runList: { args: null; result: RunEntry[] }
  /** one saved run, frames in columns (decode with runFrames / runSummary of shared/run-file) */
  runGet: { args: { id: string }; result: RunFile }
  runRename: { args: { id: string; name: string }; result: RunEntry }
  runDelete: { args: { id: string }; result: null }
  /** a run's JSON or HTML report, as text; `fileName` names it in a refusal */
  runImport: { args: { text: string; fileName?: string }; result: RunEntry }
  runExport: { args: { id: string; format: RunExportFormat }; result: RunExport }
}
export type LabRequestName = keyof LabRequests

/** Events: Lab → renderer. */
export interface LabEvents {
  frame: Frame
  summary: Summary
  error: ErrorInfo
  status: LabStatus
  /** a run ended and was saved */
  runSaved: RunEntry
}
export type LabEventName = keyof LabEvents

/**
 * What the desktop shell itself asks of the page (its menu), on channels of their own: the Lab never sends these,
 * and the browser mode has none (its page has the same keys and buttons).
 */
export type ShellCommand = 'presenter'
export interface ShellEvents {
  command: ShellCommand
}
export type ShellEventName = keyof ShellEvents

/** Every event the page can listen to. */
export type PageEvents = LabEvents & ShellEvents
export type PageEventName = keyof PageEvents

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export const IPC_CHANNELS = {
  request: {
    start: 'loopscope:start',
    update: 'loopscope:update',
    stop: 'loopscope:stop',
    broadcast: 'loopscope:broadcast',
    restartApp: 'loopscope:restart-app',
    status: 'loopscope:status',
    runList: 'loopscope:run-list',
    runGet: 'loopscope:run-get',
    runRename: 'loopscope:run-rename',
    runDelete: 'loopscope:run-delete',
    runImport: 'loopscope:run-import',
    runExport: 'loopscope:run-export'
  },
  event: {
    frame: 'loopscope:frame',
    summary: 'loopscope:summary',
    error: 'loopscope:error',
    status: 'loopscope:status-changed',
    runSaved: 'loopscope:run-saved'
  },
  shell: {
    command: 'loopscope:shell-command'
  }
} as const satisfies {
  request: Record<LabRequestName, string>
  event: Record<LabEventName, string>
  shell: Record<ShellEventName, string>
}

/** WebSocket frames of the browser mode. */
export type WsClientMessage = { id: number; request: LabRequestName; args: unknown }
export type WsServerMessage = { id: number; reply: Reply<unknown> } | { event: LabEventName; data: unknown }

/** What the browser-mode host holds, per client, of messages the client has not read before it closes it. */
export const WS_MAX_UNREAD_BYTES = 2 * 1024 * 1024

/**
 * Close codes the browser-mode host sends (4000–4999 are the application's own, RFC 6455 §7.4.2); the reason
 * starts with the error code, as every error on this channel does, and stays under the 123 bytes a close frame allows.
 */
export const WS_CLOSE = {
  /** the client left more than WS_MAX_UNREAD_BYTES unread (src/main/web/host.ts): reconnect, and read */
  backlog: {
    code: 4008,
    reason: `LOOPSCOPE_ERR_WS_BACKLOG: the client left ${WS_MAX_UNREAD_BYTES / 1024 / 1024} MiB of replies and events unread`
  }
} as const

/** What the preload exposes as `window.loopscope`, and what the WebSocket client implements too. */
export interface LabApi {
  request<K extends LabRequestName>(name: K, args: LabRequests[K]['args']): Promise<Reply<LabRequests[K]['result']>>
  on<K extends PageEventName>(name: K, listener: (data: PageEvents[K]) => void): () => void
}
