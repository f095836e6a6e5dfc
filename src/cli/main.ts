/** `npm run lab -- [flags]`: a headless run under plain Node, with no Electron. */
import { LabError, toErrorInfo, type ErrorInfo } from '../shared/errors'
import { pickSubject } from '../shared/settings'
import type { RunFile } from '../shared/run-file'
import { Lab } from '../main/lab/lab'
import { lanUrls } from '../main/lab/network'
import { spawnNodeSubject } from '../main/lab/subject/spawn-node'
import { packageVersion } from '../main/runs/app-version'
import { keepRuns, runsDir } from '../main/runs/data-dir'
import { recordRuns } from '../main/runs/record'
import { RunStore } from '../main/runs/store'
import { helpText, parseCli, type CliRun } from './args'
import { playScript } from './hold-script'
import { formatProgress, formatReport, summaryJson } from './report'
import { compare, report, writeRunTo } from './saved'

async function run(cli: CliRun): Promise<number> {
  // The store's settings are checked before the run, so a bad LOOPSCOPE_KEEP_RUNS costs no run.
  const store = cli.save ? new RunStore({ dir: runsDir(), keep: keepRuns() }) : null
  const lab = new Lab({ port: cli.port })
  let recorded: Promise<RunFile> | null = null
  if (store || cli.out) {
    recorded = new Promise((resolve) => recordRuns(lab, { appVersion: packageVersion(), onRun: resolve }))
  }
  const tty = process.stderr.isTTY && !cli.frames
  let origin = ''
  let failed = false
  lab.on('error', (e) => {
    // The open-file limit is a warning: the run goes on with as many subscribers as the machine allows.
    if (e.code !== 'LOOPSCOPE_ERR_FD_LIMIT') failed = true
    process.stderr.write(`\n${e.code === 'LOOPSCOPE_ERR_FD_LIMIT' ? 'warning' : e.code}: ${e.message}\n`)
  })
  lab.on('frame', (frame) => {
    if (cli.frames) process.stdout.write(JSON.stringify(frame) + '\n')
    // A progress line on a terminal, once the run has lasted a second.
    if (tty && frame.t >= 1000) process.stderr.write(`\r${formatProgress(frame)}\x1b[K`)
  })
  const interrupt = (): void => void lab.stop()
  process.once('SIGINT', interrupt)
  const summaryPromise = new Promise<Parameters<typeof formatReport>[0]>((resolve) => lab.once('summary', resolve))
  const status = await lab.start(cli.settings)
  origin = status.subjectUrl ?? ''
  const cancelScript = playScript(lab, cli.script, (err) => {
    failed = true
    const info = toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED')
    process.stderr.write(`\n${info.code}: ${info.message}\n`)
  })
  if (status.sharedUrls.length) process.stderr.write(`Shared on the network: ${status.sharedUrls.join('  ')}\n`)
  const summary = await summaryPromise
  cancelScript()
  await lab.close()
  process.off('SIGINT', interrupt)
  if (tty) process.stderr.write('\r\x1b[K')
  if (cli.json) process.stdout.write(JSON.stringify(summaryJson(summary)) + '\n')
  else if (!cli.frames) process.stdout.write(formatReport(summary, origin) + '\n')
  else process.stdout.write(JSON.stringify({ summary: summaryJson(summary) }) + '\n')
  if (recorded) {
    const saved = await recorded
    if (store) {
      await store.save(saved)
      process.stderr.write(`Saved the run in ${store.pathOf(saved.id)}\n`)
    }
    if (cli.out) {
      await writeRunTo(cli.out, saved)
      process.stderr.write(`Wrote the run to ${cli.out}\n`)
    }
  }
  return failed || summary.reason === 'error' ? 1 : 0
}

async function serve(cli: CliRun): Promise<number> {
  const share = cli.settings.share
  // No `control` in the launch: a served subject keeps its launch settings, so it starts no control thread.
  const port = share ? cli.settings.sharePort : cli.port
  const subject = spawnNodeSubject()({ port, settings: pickSubject(cli.settings), instrument: false, share })
  return new Promise((resolve) => {
    subject.onMessage((m) => {
      if (m.type === 'listening') {
        const s = cli.settings
        process.stdout.write(
          `Loopscope subject listening on http://127.0.0.1:${m.port}\n` +
            `  GET /        hello world\n` +
            `  GET /work    ${s.work} ${s.delayMs} ms, ${s.threads > 0 ? `${s.threads} threads` : s.blocking ? 'blocking the loop' : 'evented'}\n` +
            `  GET /wait?since=ID · POST /publish · GET /live   long polling\n` +
            `Try: ab -n 1000 -c 100 http://127.0.0.1:${m.port}/work    (Ctrl-C to stop)\n` +
            (share
              ? `Shared on the network — attendees open: ${lanUrls(m.port).join('  ') || '(no network interface found)'}\n`
              : '')
        )
      } else if (m.type === 'error') process.stderr.write(`${m.error.code}: ${inFlagWords(m.error, cli)}\n`)
    })
    subject.onExit((code) => resolve(code === 0 || code === null ? 0 : 1))
    const stop = (): void => subject.send({ type: 'stop' })
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

/** The subject names a taken port's setting as the form does ("Share port"); here it is a flag. */
function inFlagWords(error: ErrorInfo, cli: CliRun): string {
  if (error.code !== 'LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE') return error.message
  const port = cli.settings.share ? cli.settings.sharePort : cli.port
  return `port ${port} is in use by another program: choose another with ${cli.settings.share ? '--share-port' : '--port'}`
}

async function main(): Promise<number> {
  let cli: CliRun
  try {
    cli = parseCli(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`loopscope: ${(err as Error).message}\n`)
    return 2
  }
  if (cli.command === 'help') {
    process.stdout.write(helpText() + '\n')
    return 0
  }
  try {
    if (cli.command === 'serve') return await serve(cli)
    if (cli.command === 'report') return await report(cli)
    if (cli.command === 'compare') return await compare(cli)
    return await run(cli)
  } catch (err) {
    const info = toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED')
    process.stderr.write(`loopscope: ${info.code}: ${inFlagWords(info, cli)}\n`)
    const usage =
      err instanceof LabError &&
      (err.code === 'LOOPSCOPE_ERR_SETTINGS_INVALID' || err.code === 'LOOPSCOPE_ERR_RUNS_SETTING')
    return usage ? 2 : 1
  }
}

main().then((code) => process.exit(code))
