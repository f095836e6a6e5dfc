/**
 * The one Electron-specific piece the Lab needs: the subject process, started with Electron's utilityProcess (a
 * Node child process Electron manages, named in the OS task manager) instead of child_process.fork.
 */
import { utilityProcess } from 'electron'
import type { HostToSubject, SpawnSubject, SubjectToHost } from './lab/protocol'

export const SUBJECT_LAUNCH_ENV = 'LOOPSCOPE_SUBJECT_LAUNCH'

export function utilitySubjectSpawner(entryPath: string): SpawnSubject {
  return (launch) => {
    const child = utilityProcess.fork(entryPath, [], {
      env: { ...process.env, [SUBJECT_LAUNCH_ENV]: JSON.stringify(launch) },
      serviceName: 'Loopscope subject',
      stdio: 'inherit'
    })
    let exited = false
    child.once('exit', () => {
      exited = true
    })
    return {
      send(message: HostToSubject) {
        if (!exited) child.postMessage(message)
      },
      onMessage(listener) {
        child.on('message', (message: SubjectToHost) => listener(message))
      },
      onExit(listener) {
        child.once('exit', (code) => listener(code))
      },
      kill() {
        if (!exited) child.kill()
      }
    }
  }
}
