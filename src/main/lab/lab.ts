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
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import type { LabStatus } from '../../shared/contract'
import { LabError, toErrorInfo, type ErrorInfo } from '../../shared/errors'
import { FRAME_INTERVAL_MS, type EndReason, type Frame, type Summary } from '../../shared/frame'
import { markLabel } from '../../shared/marks'
import {
  DEFAULT_SETTINGS,
  applyPatch,
  diffSettings,
  pickSubject,
  START_ONLY_KEYS,
  SUBJECT_KEYS
} from '../../shared/settings'
import type { Settings, SettingsPatch } from '../../shared/settings'
import type {
  CrowdStart,
  CrowdTiming,
  CrowdToHost,
  HostToCrowd,
  SpawnSubject,
  SubjectProcess,
  SubjectToHost,
  SubjectWorker
} from './protocol'
import { readBackendReports, type BackendReports } from './backend-reports'
import { Sampler } from './sampler/sampler'
import { lanUrls } from './network'
import { FrontDoor } from './front-door'
import { HoldFigures } from './sampler/hold'
import { startWorker } from './start-worker'
import { connectSubjectControl, type SubjectControl } from './subject-control'
import { allWorkersControl, type WorkersControl } from './subject-controls'
import { spawnNodeSubject } from './subject/spawn-node'
import { findRedisServer, redisMissing, startRedisServer, type RedisServer } from './redis-server'
import { dataDir } from '../runs/data-dir'

export interface LabOptions {
  /** how the subject process is started; plain Node's fork by default */
  spawnSubject?: SpawnSubject
  /** path of the crowd worker entry (built .js in the app, .ts under tsx) */
  crowdEntry?: string
  /** port for the subject when it is not shared; 0 = chosen by the OS (a shared one takes settings.sharePort) */
  port?: number
  /** false: the subject runs without heartbeat and reports (the bench's baseline) */
  instrument?: boolean
  /**
   * where the lab's own redis-server keeps its append-only file (store "redis" with no URL): `redis/` in
   * Loopscope's data folder by default
   */
  redisDir?: string
  /** the redis-server binary; found on the PATH by default (null: as if it were not installed) */
  redisServer?: string | null
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
/** A restart under a hold lets the requests already at the app finish first, for at most this long. */
const RESTART_DRAIN_TIMEOUT_MS = 10_000

interface Run {
  /** the app's process now: a restart behind the front door replaces it */
  subject: SubjectProcess
  /** where settings changes go: the subject's control thread, which a blocked loop cannot hold up */
  control: SubjectControl
  crowd: Worker
  sampler: Sampler
  origin: string
  pid: number
  /** between the crowd and the app when the run started with frontDoor on; else null */
  door: FrontDoor | null
  /** the reader of the app's backend's own figures (work "upstream"); each app process has its own backend */
  backend: BackendReports | null
  /** the app's replacement in progress (restartApp) */
  restarting: Promise<void> | null
  /** releases a hold by itself after holdMaxS */
  holdTimer: NodeJS.Timeout | null
  /** as the run was started with */
  settings: Settings
  ticker: NodeJS.Timeout
  startedAt: number
  ended: Promise<Summary>
  end: (reason: EndReason, timing?: CrowdTiming) => void
}

/** One app process of a run, as it came up (a restart behind the front door brings another). */
interface App {
  subject: SubjectProcess
  control: SubjectControl
  port: number
  pid: number
  /** the backend of work "upstream", when the app started it before it listened */
  backendPort: number | undefined
  /** with several processes: the lines to each worker, `control` over them all; a replaced worker's is swapped in */
  workers: WorkersControl | null
  /** the control threads' token, which a replaced worker's new thread takes too */
  token: string
  /** the newest message id in the broadcast log as it started (earlier runs' messages, kept on Redis) */
  published: number
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
  private readonly redisDir: string
  private readonly redisServer: string | null
  /** the lab's own Redis (store "redis", no URL): started at the first run that needs it, stopped at close() */
  private ownRedis: Promise<RedisServer> | null = null
  private readonly cpuCount = availableParallelism()
  /** app processes a restart replaced: their exit is expected, their last messages are not the run's */
  private readonly retired = new WeakSet<SubjectProcess>()

  constructor(options: LabOptions = {}) {
    super()
    this.spawnSubject = options.spawnSubject ?? spawnNodeSubject()
    this.crowdEntry = options.crowdEntry ?? fileURLToPath(new URL('./crowd/entry.ts', import.meta.url))
    this.port = options.port ?? 0
    this.instrument = options.instrument ?? true
    this.redisDir = options.redisDir ?? join(dataDir(), 'redis')
    this.redisServer = options.redisServer !== undefined ? options.redisServer : findRedisServer()
  }

  /** The lab's own Redis server, while it runs (store "redis" with no URL): for the CLI and the tests. */
  async redis(): Promise<RedisServer | null> {
    return this.ownRedis ? this.ownRedis.catch(() => null) : null
  }

  /** store "redis" with no URL needs redis-server here: refused (settings as they were) when it is not installed. */
  private checkStore(next: Settings): void {
    if (next.store === 'redis' && next.redisUrl === null && this.redisServer === null) throw redisMissing()
  }

  private async redisUrl(settings: Settings): Promise<string | undefined> {
    if (settings.store !== 'redis') return undefined
    if (settings.redisUrl !== null) return settings.redisUrl
    this.ownRedis ??= startRedisServer(this.redisDir, this.redisServer)
    try {
      return (await this.ownRedis).url
    } catch (err) {
      this.ownRedis = null
      throw err
    }
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
    if (this.run || this.starting)
      throw new LabError('LOOPSCOPE_ERR_RUN_ACTIVE', 'a run is already going: stop it first')
    const settings = applyPatch(this.settings, patch)
    this.checkStore(settings)
    if (settings.hold && !settings.frontDoor) throw holdNeedsDoor()
    if (settings.frontDoor && settings.transport === 'websocket') throw noWebSocketThroughDoor()
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
    if (run)
      this.emit('started', {
        settings,
        label,
        startedAtMs: performance.timeOrigin + run.startedAt,
        subjectUrl: run.origin
      })
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
      throw new LabError(
        'LOOPSCOPE_ERR_SETTINGS_INVALID',
        `${startOnly} applies when a run starts: stop the run, change it, and start again`,
        { field: startOnly }
      )
    }
    this.checkStore(next)
    if (next.hold && !(run ? run.door : next.frontDoor)) throw holdNeedsDoor()
    if ((run ? run.door : next.frontDoor) && next.transport === 'websocket') throw noWebSocketThroughDoor()
    this.settings = next
    if (run?.door && 'hold' in changed) {
      if (next.hold) this.holdOn(run, run.door)
      else this.holdOff(run, run.door)
    }
    let landed: Promise<void> | null = null
    if (run) {
      if (SUBJECT_KEYS.some((k) => k in changed)) landed = run.control.send(pickSubject(next))
      this.toCrowd(run, { type: 'update', settings: next })
      run.sampler.change(next, { label: markLabel(prev, changed), patch: changed }, performance.now())
    }
    this.emit('status', this.status())
    // A run that ended meanwhile closed the line: the change is in the settings, and there is no subject to tell.
    if (landed)
      await landed.catch((err: unknown) => {
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

  /**
   * Replaces the app's process behind the front door (a deploy): requests already at the app finish first if
   * traffic is held, then the old process goes, a new one starts, and the door sends requests to it. Under a hold
   * no request fails; without one, those at the app and those arriving before the new one listens do.
   */
  async restartApp(): Promise<LabStatus> {
    if (this.starting) await this.starting.catch(() => {})
    const run = this.run
    if (!run) throw new LabError('LOOPSCOPE_ERR_RUN_IDLE', 'start a run before restarting the app: no app is running')
    const door = run.door
    if (!door) {
      throw new LabError(
        'LOOPSCOPE_ERR_FRONT_DOOR_OFF',
        'restarting the app needs the front door in front of it: start the run with frontDoor on (--front-door)',
        { field: 'frontDoor' }
      )
    }
    if (run.restarting) {
      throw new LabError(
        'LOOPSCOPE_ERR_RESTART_ACTIVE',
        `the app is already restarting (process ${run.pid} is being replaced): wait for its new process, then restart again`
      )
    }
    const restarting = this.replaceApp(run, door)
    run.restarting = restarting
    try {
      await restarting
    } catch (err) {
      // No app to send requests to: the run cannot go on.
      this.emit('error', toErrorInfo(err, 'LOOPSCOPE_ERR_SUBJECT_START'))
      this.toCrowd(run, { type: 'stop' })
      run.end('error')
      throw err
    } finally {
      run.restarting = null
    }
    // A release asked for during the restart waited for the new app.
    if (this.run === run && !this.settings.hold) door.release()
    this.emit('status', this.status())
    return this.status()
  }

  async broadcast(text: string): Promise<null> {
    const run = this.run
    if (!run)
      throw new LabError('LOOPSCOPE_ERR_RUN_IDLE', 'start a run before broadcasting: the subject is not running')
    this.toCrowd(run, { type: 'broadcast', text })
    return null
  }

  async close(): Promise<void> {
    await this.stop()
    const redis = await this.redis()
    this.ownRedis = null
    await redis?.stop()
  }

  // ── one run ──────────────────────────────────────────────────────────────────────────────────────────────────
  /** Starts an app process and waits until it listens and its control line is open. */
  private async spawnApp(settings: Settings, port: number, share: boolean): Promise<App> {
    const token = randomBytes(16).toString('hex')
    const processes = settings.processes
    const redisUrl = await this.redisUrl(settings)
    const subject = this.spawnSubject({
      port,
      settings: pickSubject(settings),
      instrument: this.instrument,
      share,
      control: { token },
      ...(processes > 1 && { processes }),
      ...(redisUrl !== undefined && { redisUrl })
    })
    try {
      const listening = await waitListening(subject)
      const controlPorts = listening.workers ? listening.workers.map((w) => w.controlPort) : [listening.controlPort]
      if (controlPorts.length === 0 || controlPorts.some((p) => p === undefined)) {
        throw new LabError(
          'LOOPSCOPE_ERR_SUBJECT_START',
          'the subject server did not open its control line (no controlPort)'
        )
      }
      const controls = await Promise.all(controlPorts.map((p) => connectSubjectControl(p!, token)))
      const workers = listening.workers ? allWorkersControl(controls) : null
      const control = workers ?? controls[0]!
      return {
        subject,
        control,
        port: listening.port,
        pid: listening.pid,
        backendPort: listening.backendPort,
        workers,
        token,
        published: listening.published
      }
    } catch (err) {
      subject.kill()
      throw err
    }
  }

  private async launch(settings: Settings): Promise<Run> {
    // Shared: the same port at every start, so the address handed out to a room outlives Stop and Start.
    const publicPort = settings.share ? settings.sharePort : this.port
    // With a front door, the door takes the public port and the app listens on 127.0.0.1 behind it.
    const app = await this.spawnApp(
      settings,
      settings.frontDoor ? 0 : publicPort,
      settings.frontDoor ? false : settings.share
    )
    const { subject, control, pid } = app
    let port = app.port
    let door: FrontDoor | null = null
    if (settings.frontDoor) {
      door = new FrontDoor()
      try {
        port = await door.listen(publicPort, settings.share ? '0.0.0.0' : '127.0.0.1')
      } catch (err) {
        subject.kill()
        control.close()
        await door.close()
        throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? new LabError(
              'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE',
              `port ${publicPort} is in use by another program: choose another ${settings.share ? 'Share port' : 'port'}`
            )
          : err
      }
      door.target(app.port)
    }
    const origin = `http://127.0.0.1:${port}`
    const startedAt = performance.now()
    const sampler = new Sampler(settings, startedAt, this.cpuCount)
    sampler.logAtStart(app.published)
    if (door) sampler.useFrontDoor(new HoldFigures((now) => door.counts(now), pid))
    const gauges = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
    // the crowd starts from its workerData, a turn of this thread later at the earliest: a hold set below is in
    // place before its first request
    const crowd = startWorker(this.crowdEntry, {
      workerData: { origin, settings, gauges, latestId: app.published } satisfies CrowdStart
    })
    let resolveEnded!: (s: Summary) => void
    const ended = new Promise<Summary>((r) => (resolveEnded = r))

    const run: Run = {
      subject,
      control,
      crowd,
      sampler,
      origin,
      pid,
      door,
      backend: null,
      restarting: null,
      holdTimer: null,
      settings,
      startedAt,
      ended,
      ticker: setInterval(() => this.emitFrame(sampler.frame(performance.now())), FRAME_INTERVAL_MS),
      end: (reason, timing) => {
        if (this.run !== run) return
        this.run = null
        clearInterval(run.ticker)
        if (run.holdTimer) clearTimeout(run.holdTimer)
        // a hold does not outlive its run: the next one starts with traffic flowing
        if (this.settings.hold) this.settings = { ...this.settings, hold: false }
        // the app at the end (a restart may have replaced the first)
        const { subject, control } = run
        const subjectExited = new Promise<void>((r) => subject.onExit(() => r()))
        control.close()
        run.backend?.close()
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
        void Promise.all([crowd.terminate(), subjectExited, run.door?.close()]).then(() => {
          clearTimeout(kill)
          resolveEnded(summary)
        })
      }
    }

    this.attach(run, app)
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
    if (door && settings.hold) this.holdOn(run, door)
    return run
  }

  /** The sampler and the run follow this app process: its heartbeats, reports, stall events and exit. */
  private attach(run: Run, { subject, control, backendPort, workers, token }: App): void {
    const { sampler } = run
    // the backend's figures come straight from it, not through the app's loop, which a blocking call holds
    const readBackend = (at: number): void => {
      run.backend ??= readBackendReports(at, (r) => sampler.backendReport(r, performance.now()))
    }
    if (backendPort !== undefined) readBackend(backendPort)
    control.onStallEvent((e) => sampler.stallEvent(e))
    subject.onMessage((m: SubjectToHost) => {
      if (this.retired.has(subject)) return
      const now = performance.now()
      if (m.type === 'hb') sampler.heartbeat(now, m.active, m.worker)
      else if (m.type === 'report') sampler.subjectReport(m, now)
      else if (m.type === 'timeline') sampler.subjectTimeline(m)
      else if (m.type === 'backend') readBackend(m.port)
      else if (m.type === 'replaced' && workers) void this.workerReplaced(run, workers, token, m)
      else if (m.type === 'error') {
        if (m.error.code === 'LOOPSCOPE_ERR_SUBJECT_WORKER_EXITED' && m.worker !== undefined) {
          workers?.down(m.worker)
          sampler.processGone(m.worker)
        }
        this.emit('error', m.error)
      }
    })
    subject.onExit((code, signal) => {
      if (this.run !== run || this.retired.has(subject)) return
      const how = signal !== null ? `killed by ${signal}` : code !== null ? `exit code ${code}` : 'no exit code'
      this.emit('error', {
        code: 'LOOPSCOPE_ERR_SUBJECT_EXITED',
        message: `the subject server's process ended unexpectedly (${how}); start the run again to restart it`,
        exit: { code, signal }
      })
      this.toCrowd(run, { type: 'stop' })
      run.end('error')
    })
  }

  /**
   * A worker of several died and its number has a new process: its loop is a new one to the sampler, and its control
   * line gets the run's settings now (it started with the launch's) before it takes part in changes.
   */
  private async workerReplaced(run: Run, workers: WorkersControl, token: string, m: SubjectWorker): Promise<void> {
    run.sampler.processReplaced(m.worker)
    run.sampler.note(`process ${m.worker} replaced (pid ${m.pid})`, performance.now())
    try {
      if (m.controlPort === undefined)
        throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', `the new process ${m.worker} did not open its control line`)
      const control = await connectSubjectControl(m.controlPort, token)
      if (this.run !== run) {
        control.close()
        return
      }
      // in the changes from now on, then given the settings of now (one line keeps the order)
      workers.replace(m.worker, control)
      await control.send(pickSubject(this.settings))
    } catch (err) {
      if (this.run === run) this.emit('error', toErrorInfo(err, 'LOOPSCOPE_ERR_IPC_INVALID'))
    }
  }

  private async replaceApp(run: Run, door: FrontDoor): Promise<void> {
    run.sampler.note(`restart (process ${run.pid})`, performance.now())
    run.sampler.restartBegan()
    // Under a hold the requests sent on before it finish first: then no request is on the process that goes.
    if (door.counts().held) await door.drained(RESTART_DRAIN_TIMEOUT_MS)
    const old = run.subject
    this.retired.add(old)
    run.sampler.appGone()
    const oldExited = new Promise<void>((r) => old.onExit(() => r()))
    run.control.close()
    run.backend?.close()
    run.backend = null
    // As a deploy that stops the process does: what is on it goes with it.
    old.kill()
    await oldExited
    const app = await this.spawnApp(this.settings, 0, false)
    if (this.run !== run) {
      app.control.close()
      app.subject.kill()
      return
    }
    run.subject = app.subject
    run.control = app.control
    run.pid = app.pid
    this.attach(run, app)
    door.target(app.port)
    run.sampler.restartEnded(app.pid)
  }

  private holdOn(run: Run, door: FrontDoor): void {
    door.hold()
    const holdMaxS = this.settings.holdMaxS
    if (run.holdTimer) clearTimeout(run.holdTimer)
    run.holdTimer = setTimeout(() => this.releaseByItself(run, holdMaxS), holdMaxS * 1000)
  }

  private holdOff(run: Run, door: FrontDoor): void {
    if (run.holdTimer) clearTimeout(run.holdTimer)
    run.holdTimer = null
    // during a restart the release waits for the new app (restartApp releases then)
    if (!run.restarting) door.release()
  }

  /** holdMaxS has passed: the hold ends as if released, marked as such. */
  private releaseByItself(run: Run, holdMaxS: number): void {
    if (this.run !== run || !this.settings.hold || !run.door) return
    const next = { ...this.settings, hold: false }
    this.settings = next
    this.holdOff(run, run.door)
    this.toCrowd(run, { type: 'update', settings: next })
    run.sampler.change(
      next,
      { label: `release (after holdMaxS ${holdMaxS} s)`, patch: { hold: false } },
      performance.now()
    )
    this.emit('status', this.status())
  }

  private emitFrame(frame: Frame): void {
    // The open-file limit stopping a requested subscriber count is said once, in words, where errors are shown.
    const note = frame.push?.limitNote ?? null
    if (note !== null && note !== this.lastLimitNote)
      this.emit('error', { code: 'LOOPSCOPE_ERR_FD_LIMIT', message: note })
    this.lastLimitNote = note
    this.emit('frame', frame)
  }

  private toCrowd(run: Run, message: HostToCrowd): void {
    run.crowd.postMessage(message)
  }
}

function holdNeedsDoor(): LabError {
  return new LabError(
    'LOOPSCOPE_ERR_FRONT_DOOR_OFF',
    'hold needs the front door in front of the app: start the run with frontDoor on (--front-door), then hold',
    { field: 'hold' }
  )
}

/** The front door carries HTTP requests, not a WebSocket's upgrade (front-door.ts): said, not failed in silence. */
function noWebSocketThroughDoor(): LabError {
  return new LabError(
    'LOOPSCOPE_ERR_SETTINGS_INVALID',
    'transport "websocket" does not go through the front door (it carries HTTP only): choose "long-poll" or "sse", or start without the front door',
    { field: 'transport' }
  )
}

function crowdDurationMs(reason: EndReason, timing: CrowdTiming | undefined): number | null {
  if (!timing || timing.firstSendAt === null) return null
  // ab's "time taken": first send → last answer when the request budget ended the run; else → the end.
  const end = reason === 'requests' && timing.lastCompleteAt !== null ? timing.lastCompleteAt : timing.at
  return Math.max(0, end - timing.firstSendAt)
}

/** backendPort: the backend of work "upstream" started with the subject (before it listened), on this port */
function waitListening(subject: SubjectProcess): Promise<{
  port: number
  pid: number
  controlPort?: number
  workers?: SubjectWorker[]
  backendPort?: number
  published: number
}> {
  return new Promise((resolve, reject) => {
    let done = false
    let backendPort: number | undefined
    const timer = setTimeout(() => {
      if (done) return
      done = true
      reject(
        new LabError(
          'LOOPSCOPE_ERR_SUBJECT_START',
          `the subject server did not start within ${SUBJECT_START_TIMEOUT_MS / 1000} s`
        )
      )
    }, SUBJECT_START_TIMEOUT_MS)
    subject.onMessage((m) => {
      if (done) return
      if (m.type === 'backend') backendPort = m.port
      else if (m.type === 'listening') {
        done = true
        clearTimeout(timer)
        resolve({
          port: m.port,
          pid: m.pid,
          controlPort: m.controlPort,
          workers: m.workers,
          backendPort,
          published: m.published ?? 0
        })
      } else if (m.type === 'error') {
        done = true
        clearTimeout(timer)
        // A taken port, an unreachable Redis keep their code: the user can act on them (another port, the URL),
        // and a plain restart would fail again.
        const code =
          m.error.code === 'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE' || m.error.code === 'LOOPSCOPE_ERR_REDIS_START'
            ? m.error.code
            : 'LOOPSCOPE_ERR_SUBJECT_START'
        reject(new LabError(code, m.error.message))
      }
    })
    subject.onExit((code) => {
      if (done) return
      done = true
      clearTimeout(timer)
      reject(
        new LabError(
          'LOOPSCOPE_ERR_SUBJECT_START',
          `the subject server exited before listening (exit code ${code ?? 'none'})`
        )
      )
    })
  })
}
