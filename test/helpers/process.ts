import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * Whether a process is still there (signal 0 checks without sending anything). A zombie — ended, not yet reaped by
 * its parent (an orphan waits for the machine's init to reap it) — has gone for every purpose here.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    // no /proc (not Linux), or gone between the two reads
    return process.platform !== 'linux'
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
