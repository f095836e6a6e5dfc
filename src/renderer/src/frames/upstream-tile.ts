/**
 * The backend's tile (work "upstream"): where a request's time goes besides the subject's loop. Live: requests in
 * flight at the backend, with the calls waiting for a connection of the subject's pool and the backend's answer
 * p99 below; ended: the run's most in flight, most waiting and answer p99; and the summary panel's line. Absent for a
 * run with no backend. Pure.
 */
import type { Frame, Summary } from '../../../shared/frame'
import { formatCount, formatMs } from '../scales'

export interface UpstreamTile {
  value: string
  sub: string
  help: string
  /** the backend ended during the run: the tile is drawn as an alert */
  down: boolean
}

const HELP =
  'Requests in flight at the backend (a slow HTTP service in a process of its own), as it counts them; below, calls ' +
  "waiting for a connection of the subject's pool to it (evented; with several processes, one pool in each, added " +
  'up) and how long the backend took to answer.'

export function liveUpstreamTile(f: Frame): UpstreamTile | null {
  const u = f.upstream
  if (!u) return null
  if (!u.up)
    return {
      value: 'down',
      sub: `${formatCount(u.failed)} calls failed`,
      help: `${HELP} The backend process has ended: its calls fail (502).`,
      down: true
    }
  return {
    value: formatCount(u.backendInFlight),
    sub: `wait conn. ${formatCount(u.waitingForConnection)} · p99 ${formatMs(u.answerMs?.p99)}`,
    help: `${HELP} Answer time over the last second.`,
    down: false
  }
}

export function endedUpstreamTile(s: Summary): UpstreamTile | null {
  const u = s.upstream
  if (!u) return null
  return {
    // the figure alone, as the other ended tiles: "max 10" in the value's size is cut in a tile at 1280×720
    value: formatCount(u.maxBackendInFlight),
    sub: `most at once · wait conn. max ${formatCount(u.maxWaitingForConnection)} · p99 ${formatMs(u.answerP99Ms)}`,
    help: `${HELP} Over the whole run: ${formatCount(u.answered)} answers, ${formatCount(u.failed)} failed calls${u.backendExited ? '; the backend ended during the run' : ''}.`,
    down: u.backendExited
  }
}

/** The summary panel's line: "140 answers, p50 501 ms, p99 507 ms; at most 10 at the backend, 40 waiting for a connection". */
export function upstreamSummaryWords(u: NonNullable<Summary['upstream']>): string {
  const answers = `${formatCount(u.answered)} answers${u.answerP50Ms === null ? '' : `, p50 ${formatMs(u.answerP50Ms)}, p99 ${formatMs(u.answerP99Ms)}`}`
  const waiting =
    u.maxWaitingForConnection > 0 ? `, ${formatCount(u.maxWaitingForConnection)} waiting for a connection` : ''
  const failed =
    u.failed > 0 || u.backendExited
      ? `; ${formatCount(u.failed)} calls failed${u.backendExited ? ' (the backend ended during the run)' : ''}`
      : ''
  return `${answers}; at most ${formatCount(u.maxBackendInFlight)} at the backend${waiting}${failed}`
}
