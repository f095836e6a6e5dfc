/**
 * The Lab: the one object the CLI, the window, the browser-mode host and the tests drive. A run owns a fresh
 * subject process and a crowd worker; the sampler turns both into frames ten times a second. Settings are validated
 * here (as at every edge): a refused change rejects and the run carries on with its previous settings. A change
 * reaches the subject over its control line (subject-control.ts), not its IPC, whose messages its loop reads only
 * when it is free: a blocked loop would otherwise serve every queued request with the old setting first.
 */
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import type { LabStatus } from '../../shared/contract'
import { LabError, toErrorInfo, type ErrorInfo } from '../../shared/errors'
import { FRAME_INTERVAL_MS, type EndReason, type Frame, type Summary } from '../../shared/frame'
import { markLabel } from '../../shared/marks'
import { DEFAULT_SETTINGS, applyPatch, diffSettings, pickSubject, START_ONLY_KEYS, SUBJECT_KEYS } from '../../shared/settings'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type { CrowdStart, CrowdTiming, CrowdToHost, HostToCrowd, SpawnSubject, SubjectProcess, SubjectToHost } from './protocol'
import { readBackendReports, type BackendReports } from './backend-reports'
import { Sampler } from './sampler/sampler'
import { lanUrls } from './network'
import { startWorker } from './start-worker'
import { connectSubjectControl, type SubjectControl } from './subject-control'
import { spawnNodeSubject } from './subject/spawn-node'

export interface LabOptions {
  /** how the subject process is started; plain Node's fork by default */
  spawnSubject?: SpawnSubject
  /** path of the crowd worker entry (built .js in the app, .ts under tsx) */
  crowdEntry?: string
  /** port for the subject when it is not shared; 0 = chosen by the OS (a shared one takes settings.sharePort) */
  port?: number
  /** false: the subject runs without heartbeat and reports (the bench's baseline) */
  instrument?: boolean
}

/** Said once a run has started, before its first frame: what a recorder of runs needs (src/main/runs/record.ts). */
export interface RunStarted {
  settings: Settings
  /** what the run is (a preset, a lesson step), as `start` was told; null when it was not */
  label: string | null
  /** epoch ms of the run's t = 0 */
  startedAtMs: number
  subjectUrl: string | null
}

export interface LabEvents {
  started: [RunStarted]
  frame: [Frame]
  summary: [Summary]
  error: [ErrorInfo]
  status: [LabStatus]
}

const SUBJECT_START_TIMEOUT_MS = 15_000
const CROWD_STOP_TIMEOUT_MS = 5_000
const SUBJECT_STOP_TIMEOUT_MS = 2_000

interface Run {
  subject: SubjectProcess
  /** where settings changes go: the subject's control thread, which a blocked loop cannot hold up */
  control: SubjectControl
  crowd: Worker
  sampler: Sampler
  origin: string
  pid: number
  /** as the run was started with */
  settings: Settings
  ticker: NodeJS.Timeout
  startedAt: number
  ended: Promise<Summary>
  end: (reason: EndReason, timing?: CrowdTiming) => void
}

export class Lab extends EventEmitter<LabEvents> {
  private settings: Settings = DEFAULT_SETTINGS
  private run: Run | null = null
  /** the start in progress: an update or a stop meanwhile waits for it, then acts on the run it started */
  private starting: Promise<void> | null = null
  private lastLimitNote: string | null = null
  private readonly spawnSubject: SpawnSubject
  private readonly crowdEntry: string
  private readonly port: number
  private readonly instrument: boolean
  private readonly cpuCount = availableParallelism()

  constructor(options: LabOptions = {}) {
    super()
    this.spawnSubject = options.spawnSubject ?? spawnNodeSubject()
    this.crowdEntry = options.crowdEntry ?? fileURLToPath(new URL('./crowd/entry.ts', import.meta.url))
    this.port = options.port ?? 0
    this.instrument = options.instrument ?? true
  }

  status(): LabStatus {
    const run = this.run
    return {
      running: run !== null,
      settings: this.settings,
      subjectUrl: run?.origin ?? null,
      subjectPid: run?.pid ?? null,
      sharedUrls: run && run.settings.share ? lanUrls(Number(new URL(run.origin).port)) : []
    }
  }

  /** `label` names the run for the runs it is saved among (a preset, a lesson step). */
  async start(patch: SettingsPatch = {}, label: string | null = null): Promise<LabStatus> {
    if (this.run || this.starting) throw new LabError('LOOPSCOPE_ERR_RUN_ACTIVE', 'a run is already going: stop it first')
    const settings = applyPatch(this.settings, patch)
    this.settings = settings
    // this.run is set before the promise resolves, so whoever waits on it finds the run.
    const starting = this.launch(settings).then((run) => {
      this.run = run
    })
    this.starting = starting
    try {
      await starting
    } finally {
      this.starting = null
    }
    // set by the start above (TypeScript still narrows this.run to the null checked before it)
    const run = this.run as Run | null
    if (run) this.emit('started', { settings, label, startedAtMs: performance.timeOrigin + run.startedAt, subjectUrl: run.origin })
    this.emit('status', this.status())
    return this.status()
  }

  /** Resolves once the change has reached the run: the subject's part is in its shared memory. */
  async update(patch: SettingsPatch): Promise<LabStatus> {
    // A failed start leaves no run: the change then goes to the settings only.
    if (this.starting) await this.starting.catch(() => {})
    const next = applyPatch(this.settings, patch)
    const changed = diffSettings(this.settings, next)
    if (Object.keys(changed).length === 0) return this.status()
    const prev = this.settings
    const run = this.run
    const startOnly = START_ONLY_KEYS.find((k) => k in changed)
    if (run && startOnly) {
      throw new LabError('LOOPSCOPE_ERR_SETTINGS_INVALID', `${startOnly} applies when a run starts: stop the run, change it, and start again`, { field: startOnly })
    }
    this.settings = next
    let landed: Promise<void> | null = null
    if (run) {
      if (SUBJECT_KEYS.some((k) => k in changed)) landed = run.control.send(pickSubject(next))
      this.toCrowd(run, { type: 'update', settings: next })
      run.sampler.change(next, { label: markLabel(prev, changed), patch: changed }, performance.now())
    }
    this.emit('status', this.status())
    // A run that ended meanwhile closed the line: the change is in the settings, and there is no subject to tell.
    if (landed) await landed.catch((err: unknown) => {
      if (this.run === run) throw err
    })
    return this.status()
  }

  async stop(): Promise<Summary | null> {
    // A stop during a start stops the run it starts (a failed start leaves none: null).
    if (this.starting) await this.starting.catch(() => {})
    const run = this.run
    if (!run) return null
    this.toCrowd(run, { type: 'stop' })
    const timer = setTimeout(() => run.end('stopped'), CROWD_STOP_TIMEOUT_MS)
    const summary = await run.ended
    clearTimeout(timer)
    return summary
  }

  async broadcast(text: string): Promise<null> {
    const run = this.run
    if (!run) throw new LabError('LOOPSCOPE_ERR_RUN_IDLE', 'start a run before broadcasting: the subject is not running')
    this.toCrowd(run, { type: 'broadcast', text })
    return null
  }

  async close(): Promise<void> {
    await this.stop()
  }

  // ── one run ──────────────────────────────────────────────────────────────────────────────────────────────────
  private async launch(settings: Settings): Promise<Run> {
    const token = randomBytes(16).toString('hex')
    const subject = this.spawnSubject({
      // Shared: the same port at every start, so the address handed out to a room outlives Stop and Start.
      port: settings.share ? settings.sharePort : this.port,
      settings: pickSubject(settings),
      instrument: this.instrument,
      share: settings.share,
      control: { token }
    })
    let port: number, pid: number, control: SubjectControl, backendPort: number | undefined
    try {
      const listening = await waitListening(subject)
      ;({ port, pid, backendPort } = listening)
      if (listening.controlPort === undefined) {
        throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', 'the subject server did not open its control line (no controlPort)')
      }
      control = await connectSubjectControl(listening.controlPort, token)
    } catch (err) {
      subject.kill()
      throw err
    }
    const origin = `http://127.0.0.1:${port}`
    const startedAt = performance.now()
    const sampler = new Sampler(settings, startedAt, this.cpuCount)
    const gauges = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
    const crowd = startWorker(this.crowdEntry, { workerData: { origin, settings, gauges } satisfies CrowdStart })
    const subjectExited = new Promise<void>((r) => subject.onExit(() => r()))
    let resolveEnded!: (s: Summary) => void
    const ended = new Promise<Summary>((r) => (resolveEnded = r))
    let backend: BackendReports | null = null
    const readBackend = (at: number): void => {
      backend ??= readBackendReports(at, (r) => sampler.backendReport(r, performance.now()))
    }
    if (backendPort !== undefined) readBackend(backendPort)

    const run: Run = {
      subject,
      control,
      crowd,
      sampler,
      origin,
      pid,
      settings,
      startedAt,
      ended,
      ticker: setInterval(() => this.emitFrame(sampler.frame(performance.now())), FRAME_INTERVAL_MS),
      end: (reason, timing) => {
        if (this.run !== run) return
        this.run = null
        clearInterval(run.ticker)
        control.close()
        backend?.close()
        const now = performance.now()
        const last = sampler.frame(now)
        const wallMs = now - startedAt
        const durationMs = crowdDurationMs(reason, timing) ?? wallMs
        const summary = sampler.summary(reason, durationMs, timing?.unanswered ?? null, now)
        this.emitFrame(last)
        this.emit('summary', summary)
        this.emit('status', this.status())
        // The run has ended when nothing of it is left: the crowd's thread and the subject's process are gone.
        try {
          subject.send({ type: 'stop' })
        } catch {
          // already gone
        }
        // A loop that is blocked cannot read the stop: end it at once rather than wait out the block.
        const graceMs = sampler.stallMs(performance.now()) > 250 ? 0 : SUBJECT_STOP_TIMEOUT_MS
        const kill = setTimeout(() => subject.kill(), graceMs)
        void Promise.all([crowd.terminate(), subjectExited]).then(() => {
          clearTimeout(kill)
          resolveEnded(summary)
        })
      }
    }

    control.onStallEvent((e) => sampler.stallEvent(e))
    subject.onMessage((m: SubjectToHost) => {
      const now = performance.now()
      if (m.type === 'hb') sampler.heartbeat(now, m.active)
      else if (m.type === 'report') sampler.subjectReport(m, now)
      else if (m.type === 'timeline') sampler.subjectTimeline(m)
      else if (m.type === 'backend') readBackend(m.port)
      else if (m.type === 'error') this.emit('error', m.error)
    })
    subject.onExit((code, signal) => {
      if (this.run !== run) return
      const how = signal !== null ? `killed by ${signal}` : code !== null ? `exit code ${code}` : 'no exit code'
      this.emit('error', {
        code: 'LOOPSCOPE_ERR_SUBJECT_EXITED',
        message: `the subject server's process ended unexpectedly (${how}); start the run again to restart it`,
        exit: { code, signal }
      })
      this.toCrowd(run, { type: 'stop' })
      run.end('error')
    })
    crowd.on('message', (m: CrowdToHost) => {
      if (m.type === 'tick') sampler.crowdTick(m, performance.now())
      else if (m.type === 'done') run.end(m.reason, m)
      else if (m.type === 'error') this.emit('error', m.error)
    })
    crowd.on('error', (err) => {
      this.emit('error', toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED'))
      run.end('error')
    })
    crowd.on('exit', () => run.end('error'))
    sampler.useInFlightGauge(new Int32Array(gauges))
    return run
  }

  private emitFrame(frame: Frame): void {
    // The open-file limit stopping a requested subscriber count is said once, in words, where errors are shown.
    const note = frame.push?.limitNote ?? null
    if (note !== null && note !== this.lastLimitNote) this.emit('error', { code: 'LOOPSCOPE_ERR_FD_LIMIT', message: note })
    this.lastLimitNote = note
    this.emit('frame', frame)
  }

  private toCrowd(run: Run, message: HostToCrowd): void {
    run.crowd.postMessage(message)
  }
}

function crowdDurationMs(reason: EndReason, timing: CrowdTiming | undefined): number | null {
  if (!timing || timing.firstSendAt === null) return null
  // ab's "time taken": first send → last answer when the request budget ended the run; else → the end.
  const end = reason === 'requests' && timing.lastCompleteAt !== null ? timing.lastCompleteAt : timing.at
  return Math.max(0, end - timing.firstSendAt)
}

/** backendPort: the backend of work "upstream" started with the subject (before it listened), on this port */
function waitListening(subject: SubjectProcess): Promise<{ port: number; pid: number; controlPort?: number; backendPort?: number }> {
  return new Promise((resolve, reject) => {
    let done = false
    let backendPort: number | undefined
    const timer = setTimeout(() => {
      if (done) return
      done = true
      reject(new LabError('LOOPSCOPE_ERR_SUBJECT_START', `the subject server did not start within ${SUBJECT_START_TIMEOUT_MS / 1000} s`))
    }, SUBJECT_START_TIMEOUT_MS)
    subject.onMessage((m) => {
      if (done) return
      if (m.type === 'backend') backendPort = m.port
      else if (m.type === 'listening') {
        done = true
        clearTimeout(timer)
        resolve({ port: m.port, pid: m.pid, controlPort: m.controlPort, backendPort })
      } else if (m.type === 'error') {
        done = true
        clearTimeout(timer)
        // A taken port keeps its code: the user can act on it (another port), and a plain restart would fail again.
        const code = m.error.code === 'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE' ? m.error.code : 'LOOPSCOPE_ERR_SUBJECT_START'
        reject(new LabError(code, m.error.message))
      }
    })
    subject.onExit((code) => {
      if (done) return
      done = true
      clearTimeout(timer)
      reject(new LabError('LOOPSCOPE_ERR_SUBJECT_START', `the subject server exited before listening (exit code ${code ?? 'none'})`))
    })
  })
}
