/**
 * The subject's line to its host. The same entry runs under child_process.fork (plain Node: process.send and
 * process 'message') and under Electron's utilityProcess (process.parentPort: postMessage, and 'message' events
 * whose payload is `event.data`); which one is detected at run time. Run by hand, with neither, messages go to
 * stdout as JSON lines so the entry can still be tried from a terminal.
 */
import type { SubjectToHost } from '../protocol'

export interface Channel {
  send(message: SubjectToHost): void
  onMessage(listener: (message: unknown) => void): void
  /** the host went away */
  onDisconnect(listener: () => void): void
}

/** The part of Electron's MessagePortMain a utility process sees; typed here so this module needs no Electron. */
interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  on(event: 'close', listener: () => void): void
}

function ignore(): void {}

export function openChannel(proc: NodeJS.Process = process): Channel {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onDisconnect: (listener) => parentPort.on('close', listener)
    }
  }
  if (typeof proc.send === 'function') {
    const send = proc.send.bind(proc)
    return {
      // After the host is gone a send would emit an unhandled 'error' on process; the callback takes it instead.
      send: (message) => {
        if (proc.connected) send(message, undefined, undefined, ignore)
      },
      onMessage: (listener) => proc.on('message', listener),
      onDisconnect: (listener) => proc.on('disconnect', listener)
    }
  }
  return {
    send: (message) => {
      if (message.type !== 'hb') proc.stdout.write(`${JSON.stringify(message)}\n`)
    },
    onMessage: ignore,
    onDisconnect: ignore
  }
}
