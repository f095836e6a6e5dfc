/**
 * How many subscribers this process can hold: one open file (socket) each, under the process's open-file limit,
 * less a reserve for everything else the process holds (the app, the load generator's own connections, the IPC).
 *
 * Node raises its soft RLIMIT_NOFILE to the hard limit at start-up, and offers no API to read it (`ulimit -n` is a
 * shell built-in, and a child shell's answer need not be ours). On Linux the limit is read from /proc/self/limits;
 * elsewhere a conservative known value is assumed and the reason says so.
 */
import { readFileSync } from 'node:fs'

export const DEFAULT_RESERVE_FDS = 500

export interface SubscriberLimit {
  /** the most subscribers this process can run */
  max: number
  /** the open-file limit (or the assumed one) */
  limit: number
  /** where `limit` comes from, in words that fit "this process may open N files (<reason>)" */
  reason: string
}

const fmt = (n: number): string => n.toLocaleString('en-US')

export function readFdLimit(platform: NodeJS.Platform = process.platform): { limit: number; reason: string } {
  if (platform === 'linux') {
    try {
      const line = readFileSync('/proc/self/limits', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Max open files'))
      const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
      if (soft === 'unlimited')
        return { limit: 1_048_576, reason: 'its open-file limit is unlimited; counted as 1,048,576' }
      const limit = Number(soft)
      if (Number.isInteger(limit) && limit > 0) return { limit, reason: 'its open-file limit' }
    } catch {
      // fall through to the conservative value
    }
    return { limit: 1024, reason: 'assumed: /proc/self/limits could not be read, 1,024 is the usual default' }
  }
  if (platform === 'darwin') {
    // Node raises the soft limit as far as the kernel allows; 10,240 (OPEN_MAX) is what a default macOS allows.
    return { limit: 10_240, reason: 'assumed: the usual macOS per-process limit, which Node cannot report' }
  }
  if (platform === 'win32') {
    // Windows has no descriptor limit for sockets, but each connection takes an ephemeral port: 49152–65535.
    return { limit: 16_384, reason: "assumed: Windows' default range of ephemeral ports, one per connection" }
  }
  return { limit: 1024, reason: 'assumed: the open-file limit cannot be read on this platform' }
}

/** The most subscribers this process can run, and why. Reads the limit; changes nothing. */
export function maxSubscribers(reserveFds: number = DEFAULT_RESERVE_FDS): SubscriberLimit {
  const { limit, reason } = readFdLimit()
  return { max: Math.max(0, limit - reserveFds), limit, reason }
}

/** The plain sentence shown when fewer subscribers run than were asked for. */
export function limitSentence(asked: number, limit: SubscriberLimit, reserveFds: number): string {
  return (
    `Only ${fmt(limit.max)} of ${fmt(asked)} subscribers can run: this process may open ${fmt(limit.limit)} files ` +
    `(${limit.reason}) and keeps ${fmt(reserveFds)} for itself.`
  )
}
