/**
 * The LabApi over a WebSocket to the page's own host (browser mode). Requests carry an id and wait for the reply
 * with that id; events fan out to listeners. When the socket drops, pending requests fail in words and the client
 * reconnects with a growing pause (0.25 s … 4 s).
 */
import type { PageEventName, WsClientMessage, WsServerMessage, Reply } from '../../../shared/contract'
import type { ConnectableApi } from './lab-client'

const RETRY_MS = { first: 250, max: 4000 }

export function createWsApi(url: string): ConnectableApi & { close(): void } {
  let socket: WebSocket | null = null
  let nextId = 1
  let retryMs = RETRY_MS.first
  let closed = false
  let connected = false
  const pending = new Map<number, (reply: Reply<unknown>) => void>()
  const outbox: string[] = []
  const listeners = new Map<PageEventName, Set<(data: never) => void>>()
  const connectionListeners = new Set<(connected: boolean) => void>()

  function setConnected(value: boolean): void {
    if (connected === value) return
    connected = value
    for (const l of connectionListeners) l(value)
  }

  function failPending(): void {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: 'the connection to the Loopscope host was lost' }
      })
    }
    pending.clear()
  }

  function connect(): void {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = RETRY_MS.first
      setConnected(true)
      for (const text of outbox.splice(0)) ws.send(text)
    }
    ws.onmessage = (event) => {
      let message: WsServerMessage
      try {
        message = JSON.parse(String(event.data)) as WsServerMessage
      } catch {
        return
      }
      if ('id' in message) {
        const resolve = pending.get(message.id)
        pending.delete(message.id)
        resolve?.(message.reply)
      } else {
        const set = listeners.get(message.event)
        if (set) for (const l of set) l(message.data as never)
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      setConnected(false)
      failPending()
      if (closed) return
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, RETRY_MS.max)
    }
  }
  connect()

  return {
    request(name, args) {
      const id = nextId++
      const text = JSON.stringify({ id, request: name, args } satisfies WsClientMessage)
      return new Promise((resolve) => {
        pending.set(id, resolve as (reply: Reply<unknown>) => void)
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(text)
        else outbox.push(text)
      })
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener as (data: never) => void)
      return () => set.delete(listener as (data: never) => void)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      listener(connected)
      return () => connectionListeners.delete(listener)
    },
    close() {
      closed = true
      socket?.close()
    }
  }
}
