/**
 * The plain-Node way to start the subject (CLI, browser-mode host, tests): child_process.fork of entry.ts under tsx,
 * or of a built entry.js. The app passes an Electron utilityProcess spawner instead; both meet SpawnSubject.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { HostToSubject, SpawnSubject, SubjectToHost } from '../protocol'
import { launchEnv } from './launch'

export function defaultSubjectEntry(): string {
  const here = fileURLToPath(import.meta.url)
  return fileURLToPath(new URL(here.endsWith('.ts') ? './entry.ts' : './entry.js', import.meta.url))
}

export function spawnNodeSubject(entryPath: string = defaultSubjectEntry()): SpawnSubject {
  return (launch) => {
    // Several processes: a group of their own, so that a kill ends the workers with the primary, blocked or not.
    const group = (launch.processes ?? 1) > 1
    const child = fork(entryPath, [], {
      detached: group,
      env: { ...process.env, ...launchEnv(launch) },
      // Our own execArgv, not the host's: a host under Vitest or with --inspect must not pass those on.
      execArgv: entryPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    let exited = false
    const exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = []
    const onExited = (code: number | null, signal: NodeJS.Signals | null = null): void => {
      if (exited) return
      exited = true
      for (const listener of exitListeners) listener(code, signal)
    }
    child.once('exit', (code, signal) => onExited(code, signal))
    // A failed spawn emits 'error' and never 'exit'; a failed late send must not crash the host either.
    child.on('error', () => {
      if (child.pid === undefined) onExited(null)
    })
    return {
      send(message: HostToSubject) {
        if (child.connected) child.send(message, (err) => void err)
      },
      onMessage(listener) {
        child.on('message', (message) => listener(message as SubjectToHost))
      },
      onExit(listener) {
        if (exited) queueMicrotask(() => listener(child.exitCode, child.signalCode))
        else exitListeners.push(listener)
      },
      kill() {
        // SIGKILL: a loop held by blocking work could not run a graceful handler, and nothing may be left behind.
        if (exited) return
        if (group && child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL')
            return
          } catch {
            // the group is gone already: the primary alone is left to end
          }
        }
        child.kill('SIGKILL')
      }
    }
  }
}
