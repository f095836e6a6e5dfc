/**
 * The whole surface the window gets: `window.loopscope`, exactly the LabApi (request, and on: the Lab's events and
 * the menu's commands). Channel names come from the shared contract; an unknown name is refused here before it
 * reaches IPC, and arguments are validated in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  IPC_CHANNELS,
  type LabApi,
  type LabEventName,
  type LabRequestName,
  type PageEventName,
  type ShellEventName
} from '../shared/contract'

/** The channel of a Lab event or of a shell (menu) command, or null for a name the contract does not have. */
function channelOf(name: PageEventName): string | null {
  if (Object.hasOwn(IPC_CHANNELS.event, name)) return IPC_CHANNELS.event[name as LabEventName]
  if (Object.hasOwn(IPC_CHANNELS.shell, name)) return IPC_CHANNELS.shell[name as ShellEventName]
  return null
}

const api: LabApi = {
  request(name, args) {
    if (!Object.hasOwn(IPC_CHANNELS.request, name)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: `unknown request ${String(name)}` }
      })
    }
    return ipcRenderer.invoke(IPC_CHANNELS.request[name as LabRequestName], args)
  },
  on(name, listener) {
    const channel = channelOf(name)
    if (channel === null) throw new Error(`unknown event ${String(name)}`)
    // The IPC event object (with its sender) never reaches the page: only the data does.
    const wrapped = (_event: IpcRendererEvent, data: unknown): void => listener(data as never)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  }
}

contextBridge.exposeInMainWorld('loopscope', api)
