/**
 * The two ways a newcomer opens the app without Electron: `npm start` on a machine without Electron's binary falls
 * back to the browser mode and says so; `npm run web -- --port 0` takes any free port. Both print the URL, serve the
 * dashboard there, and stop on Ctrl-C, leaving nothing listening.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface Started {
  child: ChildProcess
  output: () => string
  url: string
}

/** Starts a command of the project and waits for the URL it prints. */
function start(command: string, args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    // no CI: the fallback must not depend on it; an empty override dir: Electron's binary is "not installed" even
    // on a machine that has it; a data folder of its own, so no run of the user's is touched
    env: {
      ...process.env,
      CI: '',
      ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'no-electron-')),
      LOOPSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'loopscope-data-')),
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (c) => (out += c))
  child.stderr!.on('data', (c) => (out += c))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s; output:\n${out}`)), 90_000)
    const look = (): void => {
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ child, output: () => out, url })
      }
    }
    child.stdout!.on('data', look)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited ${code} before printing a URL; output:\n${out}`))
    })
  })
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

/** Ctrl-C as a terminal sends it, then the exit code. */
function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGINT')
  })
}

describe('opening the app without Electron', { timeout: 150_000 }, () => {
  it('npm start falls back to the browser mode, says why, serves the dashboard and stops on Ctrl-C', async () => {
    const { child, url, output } = await start(process.execPath, ['scripts/start.mjs', '--no-download', '--port', '0'])
    expect(output()).toContain('the Electron binary is not installed on this machine')
    const page = await get(url)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')

    expect(await interrupt(child)).toBe(0)
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('npm run web -- --port 0 listens on a free port of 127.0.0.1 and stops on Ctrl-C', async () => {
    const { child, url } = await start(join(ROOT, 'node_modules/.bin/tsx'), ['src/main/web/cli.ts', '--port', '0'])
    expect(Number(new URL(url).port)).toBeGreaterThan(0)
    expect((await get(url)).status).toBe(200)

    expect(await interrupt(child)).toBe(0)
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('npm run web refuses a port that is not one, naming the flag and the range', async () => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/main/web/cli.ts', '--port', '70000'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(child)
    let err = ''
    child.stderr!.on('data', (c) => (err += c))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(err).toContain('--port must be an integer from 0 to 65535 (got 70000)')
  })
})
