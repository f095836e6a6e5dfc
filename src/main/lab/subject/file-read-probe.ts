/**
 * An unrelated file read beside the requests' pool tasks (work "libuv"): every report interval, one `fs.read` of
 * 4 KiB from a file the OS has cached (Node's own binary), timed from its submission to its callback. It is one task
 * on the same libuv pool, so while the requests' tasks hold every thread it waits behind them — the "slow
 * dns.lookup starves the file reads" effect, measured rather than told. On its own it takes well under a
 * millisecond. One read at a time, so a starved pool is never handed more than one.
 *
 * Its figure: the last read's time, or the wait of the one still out if that is longer already (so it climbs while
 * it waits). It holds a thread for microseconds, which the busy/waiting counts (libuv-work.ts) do not see.
 */
import { closeSync, openSync, read } from 'node:fs'
import { REPORT_INTERVAL_MS } from '../protocol'

const READ_BYTES = 4096

export interface FileReadProbe {
  /** ms; null before the first read has been submitted */
  readMs(): number | null
  close(): void
}

/** `active()` says whether to keep reading (the settings name libuv's pool); checked at each interval */
export function startFileReadProbe(active: () => boolean): FileReadProbe {
  let fd: number | null = null
  const buffer = Buffer.alloc(READ_BYTES)
  let outSince: number | null = null
  let lastMs: number | null = null

  const tick = (): void => {
    if (outSince !== null || !active()) return
    fd ??= openSync(process.execPath, 'r')
    const submittedAt = performance.now()
    outSince = submittedAt
    read(fd, buffer, 0, READ_BYTES, 0, () => {
      lastMs = performance.now() - submittedAt
      outSince = null
    })
  }
  // unref'd: the probe must never be what keeps the process alive
  const timer = setInterval(tick, REPORT_INTERVAL_MS).unref()

  return {
    readMs() {
      const waitingMs = outSince === null ? null : performance.now() - outSince
      if (lastMs === null) return waitingMs
      return waitingMs === null ? lastMs : Math.max(lastMs, waitingMs)
    },
    close() {
      clearInterval(timer)
      if (fd !== null) closeSync(fd)
    }
  }
}
