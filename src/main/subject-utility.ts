/**
 * The one Electron-specific piece the Lab needs: the subject process, started with Electron's utilityProcess (a
 * Node child process Electron manages, named in the OS task manager) instead of child_process.fork. It behaves as
 * the Node spawner does (src/main/lab/subject/spawn-node.ts): killed with SIGKILL, and an exit that happened before a
 * listener was attached is still reported. `utilityProcess` is passed in (src/main/index.ts), so tests need no
 * Electron.
 */
import type { HostToSubject, SpawnSubject, SubjectToHost } from './lab/protocol'
import { launchEnv } from './lab/subject/launch'

/** The part of Electron's UtilityProcess (a child) used here. */
export interface UtilityChildLike {
  /** undefined until the process has spawned, and again once it has exited */
  readonly pid: number | undefined
  postMessage(message: unknown): void
  kill(): boolean
  on(event: 'message', listener: (...args: any[]) => void): unknown
  on(event: 'error', listener: (...args: any[]) => void): unknown
  once(event: 'exit', listener: (code: number) => void): unknown
}

/** The part of Electron's `utilityProcess` module used here. */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args: string[],
    options: { env: Record<string, string | undefined>; serviceName: string; stdio: 'inherit' }
  ): UtilityChildLike
}

export function utilitySubjectSpawner(utilityProcess: UtilityProcessLike, entryPath: string): SpawnSubject {
  return (launch) => {
    const child = utilityProcess.fork(entryPath, [], {
      // The same launch entries as plain Node's fork (spawn-node.ts), control token included: one encoding.
      env: { ...process.env, ...launchEnv(launch) },
      serviceName: 'Loopscope subject',
      stdio: 'inherit'
    })
    let exitCode: number | null | undefined
    const exitListeners: ((code: number | null, signal: null) => void)[] = []
    child.once('exit', (code) => {
      exitCode = code
      for (const listener of exitListeners.splice(0)) listener(code, null)
    })
    // A fatal V8 error in the child is emitted as 'error' (an uncaught throw in main without a listener); 'exit'
    // follows it in every case, and that is what the Lab is told.
    child.on('error', () => {})
    return {
      send(message: HostToSubject) {
        if (exitCode === undefined) child.postMessage(message)
      },
      onMessage(listener) {
        child.on('message', (message: SubjectToHost) => listener(message))
      },
      // utilityProcess says only the code, never the signal
      onExit(listener) {
        if (exitCode !== undefined) {
          const code = exitCode
          queueMicrotask(() => listener(code, null))
        } else exitListeners.push(listener)
      },
      kill() {
        if (exitCode !== undefined) return
        // SIGKILL, as the Node spawner: a loop held by blocking work could not run a graceful handler, and
        // utilityProcess's own kill() is SIGTERM. Before it has spawned there is no pid: its kill() is all there is.
        const pid = child.pid
        if (pid === undefined) {
          child.kill()
          return
        }
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          child.kill()
        }
      }
    }
  }
}
