/**
 * Wires the control contract onto Electron's IPC: one `handle` per request channel, each going through the same
 * dispatch as the WebSocket, and every Lab event forwarded to the window. Written against the few methods of
 * `ipcMain` and `webContents` it uses, so unit tests pass stand-ins instead of mocking Electron.
 */
import { IPC_CHANNELS, type Reply } from '../shared/contract'
import { dispatch, forwardEvents, REQUEST_NAMES, type LabLike } from './control'

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void
  removeHandler(channel: string): void
}

export interface IpcEventLike {
  sender?: unknown
}

export interface EventTarget {
  send(channel: string, data: unknown): void
  isDestroyed(): boolean
}

export interface IpcOptions {
  /** refuses requests from anything but our own window (e.g. a frame that somehow got loaded) */
  isTrustedSender?: (event: IpcEventLike) => boolean
}

/** Registers the handlers and the event forwarding; returns the function that removes both. */
export function registerIpc(ipcMain: IpcMainLike, lab: LabLike, target: EventTarget, options: IpcOptions = {}): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(IPC_CHANNELS.request[name], async (event, ...args): Promise<Reply<unknown>> => {
      if (options.isTrustedSender && !options.isTrustedSender(event)) {
        return { ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: 'request from an unknown sender refused' } }
      }
      if (args.length > 1) {
        return { ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: `${name} takes one argument (got ${args.length})` } }
      }
      return dispatch(lab, name, args[0])
    })
  }
  const stopForwarding = forwardEvents(lab, (name, data) => {
    if (!target.isDestroyed()) target.send(IPC_CHANNELS.event[name], data)
  })
  return () => {
    stopForwarding()
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(IPC_CHANNELS.request[name])
  }
}
