/**
 * The subject process entry, the same under child_process.fork (plain Node) and Electron's utilityProcess.
 * Launch options come from LOOPSCOPE_SUBJECT_LAUNCH (see launch.ts); then: start the control thread if the launch
 * asks for live changes (control-thread.js; with the instrument it also watches for stalls), listen on 127.0.0.1 (or, shared, on every interface), say
 * `{type:'listening', port, pid, controlPort}`, and exit 0 on `stop` or when the host goes away.
 * Any uncaught error is reported as `{type:'error'}` and the process exits 1. With `processes` above 1 it is the
 * cluster's primary instead (cluster-primary.ts), and its workers run this entry as above.
 */
import cluster from 'node:cluster'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { LabError, toErrorInfo, type ErrorCode } from '../../../shared/errors'
import type { HostToSubject } from '../protocol'
import { buildSubject } from './build-subject'
import { BackendOfPrimary, isBackendDown, type BackendUp } from './cluster-backend'
import { startClusterPrimary } from './cluster-primary'
import { openChannel } from './channel'
import { startControlThread, type ControlThread } from './control'
import { readLaunch } from './launch'
import { createBeatCell } from './beat-cell.js'
import { createSettingsBlock } from './settings-block.js'
import type { PushHub, SharedLog } from './push-hub'
import { RedisStore } from './redis-store'
import { isRelayDown, RelayStore, type RelayUp } from './relay-store'

/** The closed loop opens up to 10,000 connections at once; Linux caps this at net.core.somaxconn anyway. */
const LISTEN_BACKLOG = 4096
/** A stop that has not finished by then (a loop held by blocking work) ends the process anyway. */
const CLOSE_GRACE_MS = 3000
/** Time for a last message to leave before the process ends. */
const FLUSH_MS = 100

const channel = openChannel()
let app: FastifyInstance | null = null
let controlThread: ControlThread | null = null
let listening = false
let exiting = false
/** with several processes and store "memory": this worker's side of the primary's log */
let relay: RelayStore | null = null
/** with several processes: work "upstream"'s backend is the primary's (cluster-backend.ts) */
const primaryBackend = cluster.isWorker ? new BackendOfPrimary((m: BackendUp) => process.send?.(m)) : null

function fail(err: unknown): void {
  const fallback: ErrorCode = listening ? 'LOOPSCOPE_ERR_SUBJECT_EXITED' : 'LOOPSCOPE_ERR_SUBJECT_START'
  channel.send({ type: 'error', error: toErrorInfo(err, fallback) })
  if (exiting) return
  exiting = true
  setTimeout(() => process.exit(1), FLUSH_MS)
}

async function shutdown(): Promise<void> {
  if (exiting) return
  exiting = true
  setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref()
  try {
    await app?.close()
  } finally {
    await controlThread?.closeStacks()
    process.exit(0)
  }
}

function onMessage(raw: unknown): void {
  const message = raw as HostToSubject | null
  try {
    if (message?.type === 'stop') void shutdown()
    else if (relay && isRelayDown(message)) relay.receive(message)
    else if (primaryBackend && isBackendDown(message)) primaryBackend.receive(message)
    else
      throw Object.assign(new Error(`unknown message ${JSON.stringify(raw)?.slice(0, 80)}`), {
        code: 'LOOPSCOPE_ERR_IPC_INVALID'
      })
  } catch (err) {
    // A refused message changes nothing and does not end the subject; the host hears why.
    channel.send({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_IPC_INVALID') })
  }
}

/** In the form's words; the CLI says its flags instead (src/cli/main.ts). */
function portInUse(port: number, shared: boolean): LabError {
  return new LabError(
    'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE',
    `port ${port} is in use by another program: choose another ${shared ? 'Share port' : 'port'}`
  )
}

async function main(): Promise<void> {
  const launch = readLaunch()
  // Several processes: this one is the cluster's primary, and each worker runs this entry as a subject of its own.
  if ((launch.processes ?? 1) > 1 && cluster.isPrimary) {
    startClusterPrimary(launch, channel, fileURLToPath(import.meta.url))
    return
  }
  const settingsBlock = launch.control ? createSettingsBlock() : undefined
  // The stack view needs the heartbeat (instrument) and the control thread's line to say what it saw.
  const beatCell = launch.control && launch.instrument && launch.control.stacks !== false ? createBeatCell() : undefined
  // The broadcast log: on Redis, or (a worker of several, in memory) the primary's; else this process's own.
  const redisUrl = launch.redisUrl
  const shareLog: ((hub: PushHub) => SharedLog) | undefined =
    redisUrl !== undefined
      ? (hub) => new RedisStore(hub, redisUrl, (error) => channel.send({ type: 'error', error }))
      : cluster.isWorker
        ? (hub) => (relay = new RelayStore(hub, (m: RelayUp) => process.send?.(m)))
        : undefined
  app = buildSubject({
    settings: launch.settings,
    instrument: launch.instrument,
    timeline: launch.timeline,
    send: channel.send,
    settingsBlock,
    beatCell,
    ...(shareLog && { shareLog }),
    ...(primaryBackend && { backend: primaryBackend })
  })
  channel.onMessage(onMessage)
  channel.onDisconnect(() => void shutdown())
  const control =
    launch.control && settingsBlock
      ? startControlThread({ token: launch.control.token, block: settingsBlock, beat: beatCell, onError: fail })
      : null
  // Threads first: the crowd starts on 'listening', and its first requests should not wait for threads to boot.
  const [, started] = await Promise.all([app.subject.ready(), control])
  controlThread = started
  // 127.0.0.1 unless the user shared the subject on the network (the UI shows it while it is so).
  try {
    await app.listen({ port: launch.port, host: launch.share ? '0.0.0.0' : '127.0.0.1', backlog: LISTEN_BACKLOG })
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? portInUse(launch.port, launch.share === true) : err
  }
  listening = true
  const port = (app.server.address() as AddressInfo).port
  channel.send({
    type: 'listening',
    port,
    pid: process.pid,
    published: app.subject.counters().published,
    ...(controlThread && { controlPort: controlThread.port })
  })
}

process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)
main().catch(fail)
