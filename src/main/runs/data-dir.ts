/**
 * Where Loopscope keeps its data, and so its runs (`runs/` inside): LOOPSCOPE_DATA_DIR if set; else Electron's
 * userData, which the Electron entry passes in (this module never imports electron); else the platform's data
 * directory — $XDG_DATA_HOME/loopscope or ~/.local/share/loopscope on Linux, ~/Library/Application Support/Loopscope
 * on macOS, %APPDATA%\Loopscope on Windows. How many runs are kept: LOOPSCOPE_KEEP_RUNS, 200 by default.
 */
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { LabError } from '../../shared/errors'

export interface DataDirOptions {
  env?: NodeJS.ProcessEnv
  /** Electron's app.getPath('userData'), in the desktop app */
  userData?: string
  platform?: NodeJS.Platform
  home?: string
}

export function dataDir({
  env = process.env,
  userData,
  platform = process.platform,
  home = homedir()
}: DataDirOptions = {}): string {
  const override = env.LOOPSCOPE_DATA_DIR
  if (override !== undefined && override !== '') return resolve(override)
  if (userData) return userData
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Loopscope')
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Loopscope')
  // XDG: a relative $XDG_DATA_HOME is invalid and is to be ignored
  const xdg = env.XDG_DATA_HOME
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'loopscope')
}

export function runsDir(options: DataDirOptions = {}): string {
  return join(dataDir(options), 'runs')
}

export const KEEP_RUNS = { default: 200, min: 1, max: 10_000 } as const

/** LOOPSCOPE_KEEP_RUNS as a number of runs, or a refusal naming the variable and its range. */
export function keepRuns(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LOOPSCOPE_KEEP_RUNS
  if (raw === undefined || raw === '') return KEEP_RUNS.default
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(n) || n < KEEP_RUNS.min || n > KEEP_RUNS.max) {
    throw new LabError(
      'LOOPSCOPE_ERR_RUNS_SETTING',
      `LOOPSCOPE_KEEP_RUNS must be an integer number of runs from ${KEEP_RUNS.min} to ${KEEP_RUNS.max} (got ${JSON.stringify(raw)})`
    )
  }
  return n
}
