/**
 * Wires the control contract onto Electron's IPC: one `handle` per request channel, each going through the same
 * dispatch as the WebSocket, and every Lab event forwarded to the window. Written against the few methods of
 * `ipcMain` and `webContents` it uses, so unit tests pass stand-ins instead of mocking Electron.
 *
 * A request is served only when it comes from our window's top frame showing our page: `event.sender` says which
 * window, `event.senderFrame` which frame in it (an iframe or a page navigated elsewhere shares the sender). At most
 * MAX_PENDING_REQUESTS of the window's requests wait for their replies at once (control.ts). The WebSocket's byte cap
 * on unread replies and events has no counterpart here: Electron gives no measure of what the page has not read, and
 * the renderer process's IPC thread takes messages in while the page's thread is busy, so what piles up for a slow
 * page piles up in the renderer process, not in main.
 */
import { IPC_CHANNELS, type Reply, type ShellCommand } from '../shared/contract'
import { clientDispatch, forwardEvents, REQUEST_NAMES, type LabLike, type RunsLike } from './control'

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void
  removeHandler(channel: string): void
}

/** The part of Electron's WebFrameMain the check reads. */
export interface IpcFrameLike {
  readonly url: string
  /** null for a top frame */
  readonly parent: unknown
}

export interface IpcEventLike {
  sender?: unknown
  /** null once the frame has navigated away or been destroyed */
  senderFrame?: IpcFrameLike | null
}

export interface EventTarget {
  send(channel: string, data: unknown): void
  isDestroyed(): boolean
}

export interface IpcOptions {
  /** our window's webContents: a request from any other is refused */
  sender: unknown
  /** whether a top frame's URL is our page (the built index.html, or the dev server in development) */
  isOurPage(url: string): boolean
  /** the saved runs the run requests reach; none: they are refused */
  runs?: RunsLike | null
}

/** The options the Electron entry registers its window with: that window's webContents, showing the page at
 * `pageUrl` (a test registers with the same, so the entry's check is the one tested). */
export function windowIpcOptions(sender: unknown, pageUrl: string, runs: RunsLike | null = null): IpcOptions {
  return { sender, runs, isOurPage: (url) => isSamePage(url, pageUrl) }
}

/** Whether a request comes from the top frame of our window, showing our page. */
export function isTrustedEvent(event: IpcEventLike, options: IpcOptions): boolean {
  const frame = event.senderFrame
  return event.sender === options.sender && !!frame && frame.parent === null && options.isOurPage(frame.url)
}

/**
 * Whether `url` shows the page at `pageUrl`: the same file for a file: URL (the built app), the same origin for the
 * dev server; the query and the fragment do not count.
 */
export function isSamePage(url: string, pageUrl: string): boolean {
  let a: URL
  let b: URL
  try {
    a = new URL(url)
    b = new URL(pageUrl)
  } catch {
    return false
  }
  if (a.protocol !== b.protocol) return false
  return a.protocol === 'file:' ? a.host === b.host && a.pathname === b.pathname : a.origin === b.origin
}

/** Registers the handlers and the event forwarding; returns the function that removes both. */
export function registerIpc(ipcMain: IpcMainLike, lab: LabLike, target: EventTarget, options: IpcOptions): () => void {
  const runs = options.runs ?? null
  const dispatch = clientDispatch(lab, undefined, runs)
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(IPC_CHANNELS.request[name], async (event, ...args): Promise<Reply<unknown>> => {
      if (!isTrustedEvent(event, options)) {
        return {
          ok: false,
          error: {
            code: 'LOOPSCOPE_ERR_IPC_INVALID',
            message: 'request from a frame that is not the Loopscope page refused'
          }
        }
      }
      if (args.length > 1) {
        return {
          ok: false,
          error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: `${name} takes one argument (got ${args.length})` }
        }
      }
      return dispatch(name, args[0])
    })
  }
  const stopForwarding = forwardEvents(
    lab,
    (name, data) => {
      if (!target.isDestroyed()) target.send(IPC_CHANNELS.event[name], data)
    },
    runs
  )
  return () => {
    stopForwarding()
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(IPC_CHANNELS.request[name])
  }
}

/** Sends the page a command of the menu (View → Presenter mode), on the shell's channel of the contract. */
export function sendShellCommand(target: EventTarget, command: ShellCommand): void {
  if (!target.isDestroyed()) target.send(IPC_CHANNELS.shell.command, command)
}
