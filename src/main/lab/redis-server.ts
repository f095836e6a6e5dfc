/**
 * The Redis server the lab starts for store "redis" when the user gave no URL: Debian's, Homebrew's or any
 * `redis-server` on the PATH, on 127.0.0.1 and a free port, protected by a password generated for it, with its data
 * (an append-only file, written at every command) in Loopscope's data folder, so the broadcast log outlives the
 * subject's restarts and the server's own. It is the lab's for as long as the lab runs: started at the first run that
 * needs it, kept between runs, and stopped when the lab closes (or its process exits). A URL of the user's server is
 * never started or stopped by Loopscope.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { LabError } from '../../shared/errors'
import { REDIS_INSTALL_HINT } from '../../shared/settings'

/** Where a redis-server is looked for besides the PATH: the usual places of Debian, Homebrew and MacPorts. */
const USUAL_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/opt/homebrew/bin', '/opt/local/bin']
/** A server that has not said it is ready by then is taken as failed. */
const READY_TIMEOUT_MS = 10_000
/** After SIGTERM a server gets this long to write its file and end, then it is killed. */
const STOP_GRACE_MS = 3000

export function findRedisServer(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  const name = platform === 'win32' ? 'redis-server.exe' : 'redis-server'
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...USUAL_DIRS]
  for (const dir of dirs) {
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return null
}

export function redisMissing(): LabError {
  return new LabError(
    'LOOPSCOPE_ERR_REDIS_MISSING',
    `store "redis" needs redis-server, which is not installed here: ${REDIS_INSTALL_HINT}`,
    { field: 'store' }
  )
}

export interface RedisServer {
  /** redis://:password@127.0.0.1:port */
  url: string
  port: number
  pid: number
  /** the folder its append-only file is in */
  dir: string
  password: string
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** Every server started here, stopped when the process exits if nothing stopped it before. */
const started = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL')
})

/** `again`: the port and password of a server that ran before, to start it where its clients look (the tests' faults) */
export async function startRedisServer(
  dir: string,
  binary = findRedisServer(),
  again?: { port: number; password: string }
): Promise<RedisServer> {
  if (binary === null) throw redisMissing()
  mkdirSync(dir, { recursive: true })
  const port = again?.port ?? (await freePort())
  const password = again?.password ?? randomBytes(24).toString('hex')
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--requirepass',
      password,
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--daemonize',
      'no',
      '--loglevel',
      'notice'
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  started.add(child)
  let output = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`it did not say it was ready within ${READY_TIMEOUT_MS / 1000} s`),
      READY_TIMEOUT_MS
    )
    const fail = (why: string): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      const last = output.trim().split('\n').slice(-3).join(' / ')
      reject(
        new LabError(
          'LOOPSCOPE_ERR_REDIS_START',
          `the lab's redis-server (${binary}, data in ${dir}) could not start: ${why}${last ? ` (${last})` : ''}`
        )
      )
    }
    const read = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000)
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('error', (err) => fail(err.message))
    child.once('exit', (code, signal) =>
      fail(signal ? `it was killed by ${signal}` : `it ended with exit code ${code}`)
    )
  })
  await ready
  // From here on its output is not read; drained, so a chatty server never blocks on a full pipe.
  child.stdout?.resume()
  child.stderr?.resume()
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  void exited.then(() => started.delete(child))
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dir,
    password,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
        await exited
        clearTimeout(timer)
      }
    }
  }
}
