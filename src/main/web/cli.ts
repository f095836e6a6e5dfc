/**
 * `npm run web`: the dashboard in any browser. Starts a Lab (plain Node: the subject via child_process.fork) and the
 * host that serves the built renderer on 127.0.0.1; prints the URL. Ctrl-C stops the run and closes everything.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Lab } from '../lab/lab'
import { packageVersion } from '../runs/app-version'
import { keepRuns, runsDir } from '../runs/data-dir'
import { Runs } from '../runs/runs'
import { DEFAULT_WEB_PORT, startWebHost } from './host'

const USAGE = `usage: npm run web -- [--port N]   (default ${DEFAULT_WEB_PORT}; 0 = any free port)`

async function main(): Promise<void> {
  let port = DEFAULT_WEB_PORT
  try {
    const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
    if (values.help) {
      console.log(USAGE)
      return
    }
    if (values.port !== undefined) {
      port = Number(values.port)
      if (!/^\d+$/.test(values.port) || port > 65_535)
        throw new Error(`--port must be an integer from 0 to 65535 (got ${values.port})`)
    }
  } catch (err) {
    console.error(`loopscope: ${(err as Error).message}\n${USAGE}`)
    process.exitCode = 2
    return
  }

  const rendererDir = join(import.meta.dirname, '../../../out/renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(
      'loopscope: the dashboard is not built yet; run "npx electron-vite build" (npm run web does it for you).'
    )
    process.exitCode = 1
    return
  }

  let runs: Runs
  try {
    runs = new Runs({ dir: runsDir(), keep: keepRuns() })
  } catch (err) {
    console.error(`loopscope: ${(err as Error).message}`)
    process.exitCode = 2
    return
  }
  const lab = new Lab()
  lab.on('error', (error: { message?: string }) => console.error(`loopscope: ${error.message ?? String(error)}`))
  runs.on('error', (error) => console.error(`loopscope: ${error.message}`))
  // Every run is saved when it ends (LOOPSCOPE_DATA_DIR, else the platform's data folder).
  runs.record(lab, packageVersion())
  let host
  try {
    host = await startWebHost({ lab, port, rendererDir, runs })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    console.error(
      code === 'EADDRINUSE'
        ? `loopscope: port ${port} is already in use; try "npm run web -- --port 0" for any free port.`
        : `loopscope: could not start the browser-mode host: ${(err as Error).message}`
    )
    await lab.close()
    process.exitCode = 1
    return
  }
  console.log(
    `Loopscope is running in browser mode: open ${host.url}\nRuns are saved in ${runs.store.dir}\n(Ctrl-C to stop)`
  )

  let closing = false
  const shutdown = async (): Promise<void> => {
    if (closing) {
      process.exit(130)
    }
    closing = true
    console.log('\nloopscope: stopping…')
    await host.close()
    await lab.close()
    await runs.settled()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

void main()
