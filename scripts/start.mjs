#!/usr/bin/env node
/**
 * `npm start`: builds the app and opens the desktop window. Where Electron's binary is not installed (CI, a
 * locked-down machine, an install with ELECTRON_SKIP_BINARY_DOWNLOAD), it says so in one sentence and starts the
 * browser mode instead. The binary is looked for on disk — never through require('electron'), which would start a
 * download with no time limit. Electron fetches its binary on first use, so while it is missing `npm start` tries
 * that download, bounded (60 s; an offline machine fails at once); on CI, or with --no-download, it does not try.
 *
 *   npm start                      build, then the window (or browser mode)
 *   npm start -- --browser         build, then browser mode
 *   npm start -- --no-download     never try to fetch Electron's binary
 *   npm start -- --port 4311       browser mode's port
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
const DOWNLOAD_TIMEOUT_MS = 60_000

const args = process.argv.slice(2)
const wantBrowser = args.includes('--browser')
const wantDownload = !args.includes('--no-download') && !process.env.CI
const passThrough = args.filter((a) => a !== '--browser' && a !== '--no-download')

/** The Electron executable if it is on disk, else null. Reads what electron's own index.js reads, without its side effects. */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron')
    return existsSync(p) ? p : null
  }
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const p = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(p) ? p : null
}

function tryDownload() {
  console.log(`loopscope: downloading Electron's binary (${DOWNLOAD_TIMEOUT_MS / 1000} s at most)…`)
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: DOWNLOAD_TIMEOUT_MS,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' }
  })
  return result.status === 0
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  return child
}

function startBrowserMode() {
  const child = run(bin('tsx'), ['src/main/web/cli.ts', ...passThrough])
  child.on('exit', (code) => process.exit(code ?? 0))
}

const build = spawnSync(bin('electron-vite'), ['build'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32'
})
if (build.status !== 0) {
  console.error('loopscope: the build failed (see above); nothing was started.')
  process.exit(build.status ?? 1)
}

let electron = wantBrowser ? null : electronBinary()
if (!wantBrowser && !electron && wantDownload && tryDownload()) electron = electronBinary()

if (wantBrowser) {
  startBrowserMode()
} else if (!electron) {
  console.log(
    'loopscope: the Electron binary is not installed on this machine and could not be fetched, so Loopscope opens in browser mode instead.'
  )
  startBrowserMode()
} else {
  const child = run(electron, ['.', ...passThrough])
  child.on('error', (err) => {
    console.log(
      `loopscope: Electron could not be started (${err.code ?? err.message}), so Loopscope opens in browser mode instead.`
    )
    startBrowserMode()
  })
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)))
}
