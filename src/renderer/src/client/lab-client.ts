/**
 * What the dashboard talks to. Two transports implement the same LabApi (the preload's IPC in the desktop app, a
 * WebSocket to the page's own host in browser mode); components only ever see this interface.
 */
import type {
  LabApi,
  LabStatus,
  Reply,
  RunExport,
  RunExportFormat,
  ShellCommand,
  StartArgs
} from '../../../shared/contract'
import type { ErrorInfo } from '../../../shared/errors'
import type { Frame, Summary } from '../../../shared/frame'
import type { RunEntry, RunFile } from '../../../shared/run-file'
import type { SettingsPatch } from '../../../shared/settings'

export interface LabClient {
  /** which transport carries it, for the status line only */
  readonly transport: 'ipc' | 'websocket'
  /** settings, and optionally the name the run is saved under (a preset's title, a lesson step) */
  start(args: StartArgs): Promise<Reply<LabStatus>>
  update(patch: SettingsPatch): Promise<Reply<LabStatus>>
  stop(): Promise<Reply<Summary | null>>
  broadcast(text: string): Promise<Reply<null>>
  /** replace the app's process behind the front door */
  restartApp(): Promise<Reply<LabStatus>>
  status(): Promise<Reply<LabStatus>>
  /** the saved runs, newest first */
  runList(): Promise<Reply<RunEntry[]>>
  runGet(id: string): Promise<Reply<RunFile>>
  runRename(id: string, name: string): Promise<Reply<RunEntry>>
  runDelete(id: string): Promise<Reply<null>>
  /** a run's JSON or HTML report as text; `fileName` names it in a refusal */
  runImport(text: string, fileName: string): Promise<Reply<RunEntry>>
  runExport(id: string, format: RunExportFormat): Promise<Reply<RunExport>>
  /** a run ended and was saved (here, or by another window of the same host) */
  onRunSaved(listener: (entry: RunEntry) => void): () => void
  onFrame(listener: (frame: Frame) => void): () => void
  onSummary(listener: (summary: Summary) => void): () => void
  onError(listener: (error: ErrorInfo) => void): () => void
  onStatus(listener: (status: LabStatus) => void): () => void
  /** what the desktop app's menu asks for (never called in browser mode) */
  onCommand(listener: (command: ShellCommand) => void): () => void
  /** the control channel dropped (browser mode: the host went away) or came back */
  onConnection(listener: (connected: boolean) => void): () => void
}

export interface ConnectableApi extends LabApi {
  onConnection?(listener: (connected: boolean) => void): () => void
}

export function createLabClient(api: ConnectableApi, transport: LabClient['transport']): LabClient {
  return {
    transport,
    start: (args) => api.request('start', args),
    update: (patch) => api.request('update', patch),
    stop: () => api.request('stop', null),
    broadcast: (text) => api.request('broadcast', { text }),
    restartApp: () => api.request('restartApp', null),
    status: () => api.request('status', null),
    runList: () => api.request('runList', null),
    runGet: (id) => api.request('runGet', { id }),
    runRename: (id, name) => api.request('runRename', { id, name }),
    runDelete: (id) => api.request('runDelete', { id }),
    runImport: (text, fileName) => api.request('runImport', { text, fileName }),
    runExport: (id, format) => api.request('runExport', { id, format }),
    onRunSaved: (listener) => api.on('runSaved', listener),
    onFrame: (listener) => api.on('frame', listener),
    onSummary: (listener) => api.on('summary', listener),
    onError: (listener) => api.on('error', listener),
    onStatus: (listener) => api.on('status', listener),
    onCommand: (listener) => api.on('command', listener),
    onConnection: (listener) => api.onConnection?.(listener) ?? (() => {})
  }
}
