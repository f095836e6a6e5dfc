// PLACEHOLDER — being written by the core engineer; the public shape below is the agreed API.
import { EventEmitter } from 'node:events'
import type { LabStatus } from '../../shared/contract'
import type { Summary } from '../../shared/frame'
import type { SettingsPatch } from '../../shared/settings'
import type { SpawnSubject } from './protocol'

export interface LabOptions {
  /** how the subject process is started; plain Node's fork by default */
  spawnSubject?: SpawnSubject
  /** path of the crowd worker entry (built .js in the app, .ts under tsx) */
  crowdEntry?: string
  /** port for the subject; 0 = chosen by the OS */
  port?: number
}

/**
 * The one object the CLI, the window, the browser host and the tests drive.
 * Events: 'frame' (Frame), 'summary' (Summary), 'error' (ErrorInfo), 'status' (LabStatus).
 */
export declare class Lab extends EventEmitter {
  constructor(options?: LabOptions)
  /** starts a run with DEFAULT_SETTINGS ⊕ patch; rejects with a LabError (settings invalid, run active) */
  start(patch?: SettingsPatch): Promise<LabStatus>
  /** applies a patch to the running experiment (or to the next run's settings when idle); rejects, changing nothing */
  update(patch: SettingsPatch): Promise<LabStatus>
  /** ends the run: resolves with its Summary (null when idle). Leaves no socket, timer, thread or process. */
  stop(): Promise<Summary | null>
  /** publishes one message now (long-poll "Broadcast now") */
  broadcast(text: string): Promise<null>
  status(): LabStatus
  /** stop + release everything */
  close(): Promise<void>
}
