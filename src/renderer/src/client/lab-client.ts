/**
 * What the dashboard talks to. Two transports implement the same LabApi (the preload's IPC in the desktop app, a
 * WebSocket to the page's own host in browser mode); components only ever see this interface.
 */
import type { LabApi, LabStatus, Reply, ShellCommand } from '../../../shared/contract'
import type { ErrorInfo } from '../../../shared/errors'
import type { Frame, Summary } from '../../../shared/frame'
import type { SettingsPatch } from '../../../shared/settings'

export interface LabClient {
  /** which transport carries it, for the status line only */
  readonly transport: 'ipc' | 'websocket'
  start(patch: SettingsPatch): Promise<Reply<LabStatus>>
  update(patch: SettingsPatch): Promise<Reply<LabStatus>>
  stop(): Promise<Reply<Summary | null>>
  broadcast(text: string): Promise<Reply<null>>
  status(): Promise<Reply<LabStatus>>
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
    start: (patch) => api.request('start', patch),
    update: (patch) => api.request('update', patch),
    stop: () => api.request('stop', null),
    broadcast: (text) => api.request('broadcast', { text }),
    status: () => api.request('status', null),
    onFrame: (listener) => api.on('frame', listener),
    onSummary: (listener) => api.on('summary', listener),
    onError: (listener) => api.on('error', listener),
    onStatus: (listener) => api.on('status', listener),
    onCommand: (listener) => api.on('command', listener),
    onConnection: (listener) => api.onConnection?.(listener) ?? (() => {})
  }
}
