/**
 * Where the subject's calls of work "upstream" go: one backend process (backend.js). With one process the subject
 * starts its own (ownBackend) the first time a call needs it. With several, the cluster's primary starts the one
 * backend every worker calls (ownBackend again, in the primary: cluster-backend.ts) and each worker asks the primary
 * for its address: one backend however many processes serve, as a pool of app servers shares one database. Each
 * worker keeps a pool of connections of its own (upstream.ts), so the processes together hold processes ×
 * upstreamConnections of them.
 *
 * The owner of the backend says once that it ended during the run (LOOPSCOPE_ERR_UPSTREAM_EXITED, with its exit code
 * or signal); calls from then on fail at once with a 502.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LabError, type ErrorInfo } from '../../../shared/errors'
import type { BackendToSubject } from './backend.js'

/** Time the backend has to say it listens. */
const START_TIMEOUT_MS = 10_000

export interface BackendSource {
  /** the backend's origin (http://127.0.0.1:port), started (or asked for) the first time */
  origin(): Promise<string>
  /** how the backend ended during the run (`exit code 1`, `signal SIGKILL`), or null while it has not */
  ended(): string | null
  /** ends the backend, if this side started it; its end is then no news */
  close(): void
}

/** backend.js, next to this file: the same path under tsx, Vitest and a build that copies it alongside. */
export function defaultBackendFile(): string {
  return fileURLToPath(new URL('./backend.js', import.meta.url))
}

export function upstreamFailed(message: string): LabError {
  // a 502 through the subject's coded error handler: the crowd counts it as an error (non2xx)
  return Object.assign(new LabError('LOOPSCOPE_ERR_UPSTREAM_FAILED', message), { statusCode: 502 })
}

/** A backend process of this one's own, forked the first time its origin is asked for. */
export function ownBackend(opts: {
  onExit: (error: ErrorInfo) => void
  /** the backend listens on this port: the host reads the backend's figures there */
  onListening?: (port: number) => void
  backendFile?: string
}): BackendSource {
  let child: ChildProcess | null = null
  let origin: Promise<string> | null = null
  let ended: string | null = null
  let closing = false

  const start = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const proc = fork(opts.backendFile ?? defaultBackendFile(), [], {
        // Inside Electron's utilityProcess the executable is Electron's: this makes it a plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
        serialization: 'json',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      child = proc
      // one that has not said it listens by then is ended: a backend that came up later would look up while every
      // call had already failed
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        reject(upstreamFailed('the backend did not start within 10 s'))
        proc.kill('SIGKILL')
      }, START_TIMEOUT_MS)
      proc.on('message', (raw) => {
        const m = raw as BackendToSubject
        if (m.type === 'listening') {
          clearTimeout(timer)
          opts.onListening?.(m.port)
          resolve(`http://127.0.0.1:${m.port}`)
        }
      })
      proc.on('error', (err) => reject(upstreamFailed(`the backend could not be started: ${err.message}`)))
      proc.once('exit', (code, signal) => {
        clearTimeout(timer)
        ended = timedOut ? 'it did not start within 10 s' : signal ? `signal ${signal}` : `exit code ${code}`
        reject(upstreamFailed(`the backend ended before it listened (${ended})`))
        if (closing) return
        if (timedOut) {
          opts.onExit({
            code: 'LOOPSCOPE_ERR_UPSTREAM_EXITED',
            message: 'the backend process did not start within 10 s; its calls fail: start the run again to try again',
            exit: { code, signal }
          })
          return
        }
        opts.onExit({
          code: 'LOOPSCOPE_ERR_UPSTREAM_EXITED',
          message: `the backend process ended during the run (${ended}); its calls fail from now on: start the run again to restart it`,
          exit: { code, signal }
        })
      })
    })

  return {
    origin() {
      if (ended !== null) return Promise.reject(upstreamFailed(`the backend process has ended (${ended})`))
      origin ??= start()
      return origin
    },
    ended: () => ended,
    close() {
      closing = true
      child?.kill('SIGKILL')
    }
  }
}
