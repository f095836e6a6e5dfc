/**
 * The whole surface the window gets: `window.loopscope`, exactly the LabApi (request + on). Channel names come from
 * the shared contract; an unknown name is refused here before it reaches IPC, and arguments are validated in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_CHANNELS, type LabApi, type LabEventName, type LabRequestName } from '../shared/contract'

const api: LabApi = {
  request(name, args) {
    if (!Object.hasOwn(IPC_CHANNELS.request, name)) {
      return Promise.resolve({ ok: false, error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: `unknown request ${String(name)}` } })
    }
    return ipcRenderer.invoke(IPC_CHANNELS.request[name as LabRequestName], args)
  },
  on(name, listener) {
    if (!Object.hasOwn(IPC_CHANNELS.event, name)) throw new Error(`unknown event ${String(name)}`)
    const channel = IPC_CHANNELS.event[name as LabEventName]
    // The IPC event object (with its sender) never reaches the page: only the data does.
    const wrapped = (_event: IpcRendererEvent, data: unknown): void => listener(data as never)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  }
}

contextBridge.exposeInMainWorld('loopscope', api)
