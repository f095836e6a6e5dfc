/** Picks the transport: the preload's `window.loopscope` in the desktop app, else the page host's WebSocket. */
import { createLabClient, type LabClient } from './lab-client'
import { createWsApi } from './ws-api'
import { CONTROL_WS_PATH } from '../../../shared/contract'

export function connectLabClient(): LabClient {
  if (window.loopscope) {
    const api = window.loopscope
    return createLabClient({ ...api, onConnection: (l) => (l(true), () => {}) }, 'ipc')
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return createLabClient(createWsApi(`${scheme}//${location.host}${CONTROL_WS_PATH}`), 'websocket')
}
