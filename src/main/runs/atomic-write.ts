/**
 * Writing a file so that a crash never leaves half of it under its name: write a temp file in the same folder, fsync
 * it, rename it over the name, fsync the folder. A temp file is named `.<name>.<pid>.<random>.tmp`, so a later
 * process can tell one left by a dead writer (and remove it) from one still being written.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { LabError } from '../../shared/errors'

export const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/

export interface WriteHooks {
  /** called with the temp file written and synced, before the rename (tests kill the process here) */
  beforeRename?: (tempPath: string) => Promise<void> | void
}

/** What an OS error means for someone saving a run, in words. */
export function writeProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EROFS':
      return 'the disk is read-only'
    case 'EACCES':
    case 'EPERM':
      return 'Loopscope is not allowed to write there (permission denied)'
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where the runs folder should be'
    default:
      return `the system refused (${code ?? (err as Error)?.message ?? String(err)})`
  }
}

export async function writeAtomic(file: string, data: Uint8Array | string, hooks: WriteHooks = {}): Promise<void> {
  const dir = dirname(file)
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(temp, 'wx')
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await hooks.beforeRename?.(temp)
    await rename(temp, file)
    await syncDir(dir)
  } catch (err) {
    await handle?.close().catch(() => {})
    await rm(temp, { force: true }).catch(() => {})
    throw new LabError(
      'LOOPSCOPE_ERR_RUNS_WRITE',
      `could not write ${file}: ${writeProblem(err)}; nothing else was changed`
    )
  }
}

/** The rename is durable once the folder's entry is on disk (Linux, macOS; Windows cannot open a folder: skipped). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Whether the writer of a temp file is still running (signal 0 checks without sending anything). */
export function writerAlive(tempName: string): boolean {
  const pid = Number(TEMP_FILE.exec(tempName)?.[1])
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
