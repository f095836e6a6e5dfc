/**
 * How the subject process learns its launch options: JSON of a SubjectLaunch in the environment variable
 * LOOPSCOPE_SUBJECT_LAUNCH. An environment variable because both child_process.fork and Electron's utilityProcess
 * pass `env`, and it is there before the first line runs (no start-up message race). Settings are validated here
 * too: whatever crosses a process boundary is checked at the edge.
 */
import { LabError } from '../../../shared/errors'
import { LIMITS, SUBJECT_KEYS, settingsSchema, type SubjectSettings } from '../../../shared/settings'
import type { SubjectLaunch } from '../protocol'

export const SUBJECT_LAUNCH_ENV = 'LOOPSCOPE_SUBJECT_LAUNCH'
/** a worker's number (1 …) among several processes, set by the cluster's primary at the fork */
export const SUBJECT_WORKER_ENV = 'LOOPSCOPE_SUBJECT_WORKER'

const subjectSettingsSchema = settingsSchema.pick(
  Object.fromEntries(SUBJECT_KEYS.map((key) => [key, true])) as { [K in (typeof SUBJECT_KEYS)[number]]: true }
)

/**
 * The environment entries that launch a subject with these options. UV_THREADPOOL_SIZE too: libuv reads it once,
 * when the process first uses its pool, so it must be there at the spawn (hence uvThreadpoolSize is start-only).
 */
export function launchEnv(launch: SubjectLaunch): Record<string, string> {
  return { [SUBJECT_LAUNCH_ENV]: JSON.stringify(launch), UV_THREADPOOL_SIZE: String(launch.settings.uvThreadpoolSize) }
}

export function parseSubjectSettings(input: unknown): SubjectSettings {
  const result = subjectSettingsSchema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new LabError(
      'LOOPSCOPE_ERR_IPC_INVALID',
      `subject settings refused: ${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid'}`
    )
  }
  return result.data
}

export function readLaunch(env: NodeJS.ProcessEnv = process.env): SubjectLaunch {
  const raw = env[SUBJECT_LAUNCH_ENV]
  if (!raw) throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `${SUBJECT_LAUNCH_ENV} is not set`)
  let parsed: {
    port?: unknown
    settings?: unknown
    instrument?: unknown
    timeline?: unknown
    share?: unknown
    processes?: unknown
    redisUrl?: unknown
    control?: { token?: unknown; stacks?: unknown }
  }
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `${SUBJECT_LAUNCH_ENV} is not JSON`)
  }
  const { port, instrument } = parsed ?? {}
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `port must be an integer from 0 to 65535 (got ${String(port)})`)
  }
  if (typeof instrument !== 'boolean') {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `instrument must be true or false (got ${String(instrument)})`)
  }
  const share = parsed.share ?? false
  if (typeof share !== 'boolean') {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `share must be true or false (got ${String(share)})`)
  }
  const timeline = parsed.timeline ?? true
  if (typeof timeline !== 'boolean') {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `timeline must be true or false (got ${String(timeline)})`)
  }
  const processes = parsed.processes ?? 1
  if (
    typeof processes !== 'number' ||
    !Number.isInteger(processes) ||
    processes < LIMITS.processes.min ||
    processes > LIMITS.processes.max
  ) {
    throw new LabError(
      'LOOPSCOPE_ERR_SUBJECT_START',
      `processes must be an integer from ${LIMITS.processes.min} to ${LIMITS.processes.max} (got ${String(processes)})`
    )
  }
  const redisUrl = parsed.redisUrl
  if (redisUrl !== undefined && (typeof redisUrl !== 'string' || !/^rediss?:\/\//.test(redisUrl))) {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', 'redisUrl must be a redis:// or rediss:// URL')
  }
  const settings = parseSubjectSettings(parsed.settings)
  const base = { port, settings, instrument, timeline, share, processes, ...(redisUrl !== undefined && { redisUrl }) }
  if (parsed.control === undefined) return base
  const token = parsed.control?.token
  if (typeof token !== 'string' || token.length === 0) {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', 'control.token must be a non-empty string')
  }
  const stacks = parsed.control?.stacks ?? true
  if (typeof stacks !== 'boolean') {
    throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `control.stacks must be true or false (got ${String(stacks)})`)
  }
  return { ...base, control: { token, stacks } }
}
