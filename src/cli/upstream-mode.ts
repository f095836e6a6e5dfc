/**
 * `--upstream-mode evented|blocking|pool`: a readable shorthand for the two toggles that choose how work "upstream"
 * calls its backend, the same toggles every work has (so the dashboard's Blocking switch and Threads control mean
 * the same whatever the work): evented = blocking off, threads 0; blocking = blocking on, threads 0; pool = threads N
 * (--threads, or UPSTREAM_POOL_THREADS without it). Without --work it implies --work upstream.
 *
 * Refused, like every flag without effect: the mode with --work wait/cpu, a mode that --blocking or --threads
 * contradict, and --upstream-connections (the evented client's pool) when the calls are synchronous.
 */
import { LabError } from '../shared/errors'
import { DEFAULT_SETTINGS } from '../shared/settings'

export const UPSTREAM_MODES = ['evented', 'blocking', 'pool'] as const
export type UpstreamMode = (typeof UPSTREAM_MODES)[number]
/** The pool's threads when --upstream-mode pool comes without --threads: as many as libuv's pool has by default. */
export const UPSTREAM_POOL_THREADS = 4

export const UPSTREAM_MODE_ACCEPTS = '"evented", "blocking" or "pool"'
export const UPSTREAM_MODE_HELP =
  'work "upstream": how the backend is called, "evented" (async client, --upstream-connections), "blocking" ' +
  `(a synchronous call on the loop) or "pool" (the synchronous call on --threads N threads, ${UPSTREAM_POOL_THREADS} without it)`

const usage = (message: string): LabError => new LabError('LOOPSCOPE_ERR_CLI_USAGE', message)

/** Sets `patch`'s work, blocking and threads from --upstream-mode (when given), and refuses what has no effect. */
export function applyUpstreamMode(raw: string | undefined, patch: Record<string, unknown>): void {
  if (raw !== undefined) {
    if (!(UPSTREAM_MODES as readonly string[]).includes(raw)) {
      throw usage(`--upstream-mode must be ${UPSTREAM_MODE_ACCEPTS} (got ${JSON.stringify(raw)})`)
    }
    if (patch.work !== undefined && patch.work !== 'upstream') {
      throw usage(
        `--upstream-mode has no effect with --work ${String(patch.work)}: it says how work "upstream" calls its backend`
      )
    }
    const mode = raw as UpstreamMode
    const threads = patch.threads as number | undefined
    if (mode !== 'pool' && threads !== undefined && threads > 0) {
      throw usage(
        `--threads ${threads} contradicts --upstream-mode ${mode}: the pool's threads are --upstream-mode pool`
      )
    }
    if (mode !== 'blocking' && patch.blocking === true) {
      throw usage(`--blocking contradicts --upstream-mode ${mode}: a blocking call is --upstream-mode blocking`)
    }
    if (mode === 'pool' && threads === 0) throw usage('--upstream-mode pool needs --threads of at least 1 (or none: 4)')
    patch.work = 'upstream'
    patch.blocking = mode === 'blocking'
    patch.threads = mode === 'pool' ? (threads ?? UPSTREAM_POOL_THREADS) : 0
  }
  const upstreamFlags = ['upstreamConnections', 'upstreamJitterMs'].filter((f) => patch[f] !== undefined)
  const work = patch.work ?? DEFAULT_SETTINGS.work
  if (upstreamFlags.length > 0 && work !== 'upstream') {
    const flag = upstreamFlags[0] === 'upstreamConnections' ? '--upstream-connections' : '--upstream-jitter'
    throw usage(`${flag} has no effect without --work upstream (or --upstream-mode)`)
  }
  const synchronous = patch.blocking === true || (typeof patch.threads === 'number' && patch.threads > 0)
  if (patch.upstreamConnections !== undefined && synchronous) {
    throw usage(
      "--upstream-connections has no effect on synchronous calls (blocking or pool): it sizes the evented client's pool"
    )
  }
}
