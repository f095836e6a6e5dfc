/**
 * Command-line flags → a settings patch, validated by the one settings schema. A refusal names the flag (not the
 * internal field) and the accepted range, and the CLI exits with status 2.
 */
import { parseArgs } from 'node:util'
import { LabError } from '../shared/errors'
import { ACCEPTS, applyPatch, DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../shared/settings'

export interface CliRun {
  command: 'run' | 'serve' | 'help'
  patch: SettingsPatch
  settings: Settings
  json: boolean
  frames: boolean
  port: number
}

type Kind = 'int' | 'bool' | 'enum'
/** flag → setting, with how its value is read */
const FLAGS: Record<string, { field: keyof Settings; short?: string; kind: Kind; help: string }> = {
  requests: { field: 'requests', short: 'n', kind: 'int', help: 'number of requests to perform' },
  concurrency: { field: 'concurrency', short: 'c', kind: 'int', help: 'requests kept in flight at once (closed loop)' },
  duration: { field: 'durationS', kind: 'int', help: 'seconds to run at most' },
  rate: { field: 'ratePerS', kind: 'int', help: 'requests a second, whatever the server does (switches to the open loop)' },
  connections: { field: 'connections', kind: 'int', help: 'open loop: most connections on the wire at once' },
  delay: { field: 'delayMs', kind: 'int', help: 'how long each request\'s work lasts, ms' },
  blocking: { field: 'blocking', kind: 'bool', help: 'the work holds the event loop' },
  work: { field: 'work', kind: 'enum', help: '"wait" (like I/O) or "cpu" (computation)' },
  threads: { field: 'threads', kind: 'int', help: 'run each request\'s work on a pool of N threads (0 = on the loop)' },
  route: { field: 'route', kind: 'enum', help: '"work" (the demo handler, GET /work) or "hello" (GET /)' },
  timeout: { field: 'timeoutMs', kind: 'int', help: 'a request without an answer after this many ms fails' },
  subscribers: { field: 'subscribers', kind: 'int', help: 'long-poll subscribers held at GET /wait' },
  'publish-rate': { field: 'publishRatePerS', kind: 'int', help: 'messages published a second' },
  'poll-timeout': { field: 'pollTimeoutMs', kind: 'int', help: 'a held /wait answers [] after this many ms' },
  'log-size': { field: 'logSize', kind: 'int', help: 'messages kept by the subject' },
  share: { field: 'share', kind: 'bool', help: 'listen on every network interface, so phones can open /live' }
}

const flagName = (name: string): string => {
  const short = FLAGS[name]?.short
  return short ? `-${short}/--${name}` : `--${name}`
}

function usage(message: string): LabError {
  return new LabError('LOOPSCOPE_ERR_CLI_USAGE', message)
}

export function helpText(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => `  ${flagName(name).padEnd(22)} ${f.help}; ${ACCEPTS[f.field]}`)
  return [
    'Usage: npm run lab -- [flags]          load the subject with the crowd and report (ab-style)',
    '       npm run lab -- serve [--port P] [subject flags]   run the subject alone until interrupted',
    '',
    'Flags:',
    ...lines,
    `  ${'--json'.padEnd(22)} print one JSON summary on stdout instead of the report`,
    `  ${'--frames'.padEnd(22)} print each frame (10 a second) as a JSON line on stdout`,
    `  ${'--port'.padEnd(22)} the subject's port (0 = chosen by the OS)`,
    `  ${'-h/--help'.padEnd(22)} this text`,
    '',
    'Without -n or --duration a run lasts 10 s. Example: npm run lab -- -n 1000 -c 100 --delay 2000'
  ].join('\n')
}

export function parseCli(argv: string[]): CliRun {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    json: { type: 'boolean' },
    frames: { type: 'boolean' },
    port: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
  for (const [name, f] of Object.entries(FLAGS)) options[name] = { type: f.kind === 'bool' ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}) }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw usage(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; see --help`)
  }
  const { values, positionals } = parsed
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'serve')) {
    throw usage(`unknown command "${positionals.join(' ')}": the only command is "serve"; see --help`)
  }
  const command = values.help ? 'help' : positionals[0] === 'serve' ? 'serve' : 'run'

  const patch: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(FLAGS)) {
    const raw = values[name]
    if (raw === undefined) continue
    if (f.kind === 'bool') patch[f.field] = raw
    else if (f.kind === 'enum') patch[f.field] = raw
    else {
      const n = Number(raw)
      if (String(raw).trim() === '' || !Number.isFinite(n)) throw usage(`${flagName(name)} must be ${ACCEPTS[f.field]} (got "${String(raw)}")`)
      patch[f.field] = n
    }
  }
  if (patch.ratePerS !== undefined) patch.mode = 'open'
  if (command === 'run' && patch.requests === undefined && patch.durationS === undefined) patch.durationS = 10

  let settings: Settings
  try {
    settings = applyPatch(DEFAULT_SETTINGS, patch)
  } catch (err) {
    throw renameField(err)
  }

  let port = 0
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage(`--port must be an integer from 0 to 65535 (got "${String(values.port)}")`)
  }
  return { command, patch: patch as SettingsPatch, settings, json: values.json === true, frames: values.frames === true, port }
}

/** "concurrency must be …" → "-c/--concurrency must be …" */
function renameField(err: unknown): unknown {
  if (!(err instanceof LabError)) return err
  for (const [name, f] of Object.entries(FLAGS)) {
    if (err.message.startsWith(`${f.field} `)) return usage(flagName(name) + err.message.slice(f.field.length))
  }
  return usage(err.message)
}
