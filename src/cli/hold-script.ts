/**
 * The CLI's scripted hold: `--hold-at S --hold-for S [--restart-at S]` holds traffic at S seconds into the run,
 * releases it S seconds later, and restarts the app at its own time (a deploy under the hold when it falls inside
 * it). Either switches the front door on, as --rate switches to the open loop. Seconds from the run's start, whole.
 */
import { LabError } from '../shared/errors'
import type { Settings } from '../shared/settings'
import type { Lab } from '../main/lab/lab'

export interface HoldScript {
  holdAtS: number | null
  holdForS: number | null
  restartAtS: number | null
}

export const SCRIPT_FLAGS: Record<string, { key: keyof HoldScript; accepts: string; help: string }> = {
  'hold-at': {
    key: 'holdAtS',
    accepts: 'an integer number of seconds from 0, less than --duration',
    help: 'hold traffic at the front door this many seconds into the run'
  },
  'hold-for': {
    key: 'holdForS',
    accepts: 'an integer number of seconds from 1 to --hold-max',
    help: 'with --hold-at: release it this many seconds later'
  },
  'restart-at': {
    key: 'restartAtS',
    accepts: 'an integer number of seconds from 0, less than --duration',
    help: 'restart the app (a new process) this many seconds into the run'
  }
}

const usage = (message: string): LabError => new LabError('LOOPSCOPE_ERR_CLI_USAGE', message)

/** Checks the script against the run's settings: a refusal names the flag and the range. */
export function checkScript(script: HoldScript, settings: Settings, durationGiven: boolean): void {
  const { holdAtS, holdForS, restartAtS } = script
  if ((holdAtS === null) !== (holdForS === null)) {
    throw usage(
      holdAtS === null ? '--hold-for needs --hold-at: when to hold' : '--hold-at needs --hold-for: how long to hold'
    )
  }
  if (holdForS !== null && (holdForS < 1 || holdForS > settings.holdMaxS)) {
    throw usage(
      `--hold-for must be an integer number of seconds from 1 to ${settings.holdMaxS} (--hold-max, holdMaxS: a hold is released by itself then) (got ${holdForS})`
    )
  }
  for (const [flag, atS] of [
    ['--hold-at', holdAtS],
    ['--restart-at', restartAtS]
  ] as const) {
    if (atS === null) continue
    if (atS < 0) throw usage(`${flag} must be an integer number of seconds from 0 (got ${atS})`)
    if (durationGiven && atS >= settings.durationS) {
      throw usage(
        `${flag} must be less than --duration (${settings.durationS} s): the run has ended by then (got ${atS})`
      )
    }
  }
}

export const scriptWanted = (s: HoldScript): boolean => s.holdAtS !== null || s.restartAtS !== null

/** Plays the script against a started run; `onError` hears a step the Lab refused. Returns a cancel. */
export function playScript(lab: Lab, script: HoldScript, onError: (err: unknown) => void): () => void {
  const timers: NodeJS.Timeout[] = []
  const at = (s: number, step: () => Promise<unknown>): void => {
    timers.push(setTimeout(() => void step().catch(onError), s * 1000))
  }
  if (script.holdAtS !== null && script.holdForS !== null) {
    at(script.holdAtS, () => lab.update({ hold: true }))
    at(script.holdAtS + script.holdForS, () => lab.update({ hold: false }))
  }
  if (script.restartAtS !== null) at(script.restartAtS, () => lab.restartApp())
  return () => timers.forEach(clearTimeout)
}
