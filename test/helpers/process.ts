import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Whether a process is still there (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A process's children, by pid (none once it has gone). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    // pgrep exits 1 when it finds none
    return []
  }
}

/** Whether a process runs this script: its command line names the file. */
export function runsScript(pid: number, file: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg.endsWith(file))
  } catch {
    return false
  }
}
