/**
 * The subject as several processes of one server on one port (launch.processes > 1): this process becomes the
 * node:cluster primary. It serves nothing itself; it forks the workers (each a full subject: entry.ts's own start,
 * with its control thread and stall watch), keeps the line to the host, and passes each worker's heartbeats, reports
 * and timelines on tagged with its number. The primary's loop never runs request work, so a relayed heartbeat is as
 * timely as a direct one: a blocked worker's silence reaches the host as that worker's silence.
 *
 * Round-robin (cluster.SCHED_RR, set for every platform, Windows included, where it is not the default): Node 20
 * has no reusePort, and the kernel's own balancing of one shared socket wakes the busiest worker as often as the
 * idle ones, so a blocked worker would keep being handed connections it cannot accept. The primary accepts each
 * connection and passes it to the next worker in turn: even counts of connections, whatever each worker's load.
 *
 * Work "upstream" has one backend for all the workers, the primary's (cluster-backend.ts).
 *
 * A worker that dies after it listened is reported by number and replaced by a new process under the same number
 * (`replaced`: the host opens its control line and gives it the run's current settings); the others go on.
 */
import cluster, { type Worker } from 'node:cluster'
import type { SubjectLaunch, SubjectToHost, SubjectWorker } from '../protocol'
import type { Channel } from './channel'
import { ClusterBackend } from './cluster-backend'
import { RelayLog } from './relay-store'
import { SUBJECT_WORKER_ENV } from './launch'

/** Workers get this long to close after a stop (a blocked loop cannot read it); then they are killed. */
const WORKER_STOP_GRACE_MS = 1500
/** Time for a last message to leave before the process ends. */
const FLUSH_MS = 100

export function startClusterPrimary(launch: SubjectLaunch, channel: Channel, entryFile: string): void {
  const count = launch.processes ?? 1
  cluster.schedulingPolicy = cluster.SCHED_RR
  // The entry and its flags (--import tsx under plain Node); in Electron the utility process's binary runs as Node.
  cluster.setupPrimary({ exec: entryFile, execArgv: process.execArgv })
  const workers = new Map<number, Worker>()
  const listening = new Map<number, SubjectWorker>()
  let port = 0
  // the log's newest id as the workers listen: each worker's copy of the one log (relayed, or read from Redis)
  let published = 0
  let stopping = false
  let announced = false
  // Store "memory": the one broadcast log, which every worker's copy follows (relay-store.ts). On Redis, unused.
  const relay = new RelayLog()
  // Work "upstream": the one backend every worker calls, started when the first asks (cluster-backend.ts).
  const backend = new ClusterBackend(
    {
      error: (error) => channel.send({ type: 'error', error }),
      listening: (port) => channel.send({ type: 'backend', port })
    },
    () => workers.values()
  )

  const stop = (code: number): void => {
    if (stopping) return
    stopping = true
    backend.close()
    const alive = [...workers.values()].filter((w) => !w.isDead())
    if (alive.length === 0) {
      setTimeout(() => process.exit(code), FLUSH_MS)
      return
    }
    let left = alive.length
    for (const w of alive) {
      w.once('exit', () => {
        if (--left === 0) process.exit(code)
      })
      if (w.isConnected()) w.send({ type: 'stop' }, (err: unknown) => void err)
    }
    setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL')
    }, WORKER_STOP_GRACE_MS).unref()
  }

  const fork = (n: number): void => {
    const w = cluster.fork({ ELECTRON_RUN_AS_NODE: '1', [SUBJECT_WORKER_ENV]: String(n) })
    workers.set(n, w)
    let listened = false
    w.on('message', (m: SubjectToHost) => {
      if (relay.handle(w, m, workers.values()) || backend.handle(w, m)) return
      if (m.type === 'listening') {
        listened = true
        port = m.port
        published = Math.max(published, m.published ?? 0)
        const worker: SubjectWorker = {
          worker: n,
          pid: m.pid,
          ...(m.controlPort !== undefined && { controlPort: m.controlPort })
        }
        if (announced) {
          channel.send({ type: 'replaced', ...worker })
          return
        }
        listening.set(n, worker)
        if (listening.size === count) {
          announced = true
          const all = [...listening.values()].sort((a, b) => a.worker - b.worker)
          channel.send({
            type: 'listening',
            port,
            pid: process.pid,
            ...(all[0]?.controlPort !== undefined && { controlPort: all[0].controlPort }),
            workers: all,
            published
          })
        }
      } else if (m.type === 'hb' || m.type === 'report' || m.type === 'timeline') {
        channel.send({ ...m, worker: n })
      } else if (m.type === 'error') {
        channel.send({ type: 'error', error: { ...m.error, message: `process ${n}: ${m.error.message}` }, worker: n })
      } else channel.send(m)
    })
    w.on('exit', (code, signal) => {
      if (stopping) return
      const how = signal ? `killed by ${signal}` : `exit code ${code}`
      const exit = { code, signal }
      // One that never listened would fail again: the start (or the run) fails, rather than forking without end.
      if (!listened) {
        channel.send({
          type: 'error',
          error: {
            code: 'LOOPSCOPE_ERR_SUBJECT_EXITED',
            message: `process ${n} of the subject server ended before it listened (${how})`,
            exit
          }
        })
        stop(1)
        return
      }
      channel.send({
        type: 'error',
        error: {
          code: 'LOOPSCOPE_ERR_SUBJECT_WORKER_EXITED',
          message: `process ${n} of the subject server ended unexpectedly (${how}): a new process ${n} takes its place`,
          exit
        },
        worker: n
      })
      fork(n)
    })
  }

  channel.onMessage((raw) => {
    if ((raw as { type?: unknown } | null)?.type === 'stop') stop(0)
  })
  channel.onDisconnect(() => stop(0))
  for (let n = 1; n <= count; n++) fork(n)
}
