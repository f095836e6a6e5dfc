/**
 * Command-line flags → a settings patch, validated by the one settings schema. A refusal names the flag (not the
 * internal field) and the accepted range, and the CLI exits with status 2.
 *
 * A number is read only when it is plainly one: digits, with a minus sign at most. `Number()` would take `0x10`,
 * `1e3`, `" 5 "` and `1.0`, and a run would go with a value the user did not write. A negative number is read as
 * the flag's value (`--threads -1`), so the refusal names the range instead of parseArgs' "ambiguous".
 *
 * A flag that would have no effect in the chosen mode is refused, not warned about: `-c` with `--rate` (the open
 * loop sends at the rate whatever is in flight), `--connections` without it (the closed loop keeps -c requests in
 * flight, one connection each), `--blocking` with `--threads` (the work runs on the pool, never on the loop), and
 * flags of the crowd or the report with `serve`. Refusing is what the CLI does with every other flag it cannot honour,
 * and a warning scrolls by unseen in a script while the report then describes a run the flags did not ask for.
 */
import { parseArgs } from 'node:util'
import { LabError } from '../shared/errors'
import { applyUpstreamMode, UPSTREAM_MODE_ACCEPTS, UPSTREAM_MODE_HELP } from './upstream-mode'
import { checkScript, SCRIPT_FLAGS, scriptWanted, type HoldScript } from './hold-script'
import {
  ACCEPTS,
  applyPatch,
  DEFAULT_SETTINGS,
  LIMITS,
  SUBJECT_KEYS,
  type Settings,
  type SettingsPatch
} from '../shared/settings'

export interface CliRun {
  command: 'run' | 'serve' | 'report' | 'compare' | 'help'
  patch: SettingsPatch
  settings: Settings
  json: boolean
  frames: boolean
  port: number
  /** report: the saved run; compare: the two */
  files: string[]
  /** run: save into the runs folder */
  save: boolean
  /** run: also write the run to this file (gzip if it ends in .gz) */
  out: string | null
  /** report: write the HTML report / the frames as CSV here */
  html: string | null
  csv: string | null
  /** run: the scripted hold and restart (--hold-at, --hold-for, --restart-at) */
  script: HoldScript
}

/** The CLI's own flags that take a file name, and what each writes. */
const FILE_FLAGS: Record<string, string> = {
  out: 'a file name to write the run to (FILE.json, or FILE.json.gz for gzip)',
  html: 'a file name to write the HTML report to (FILE.html)',
  csv: 'a file name to write the frames to as CSV (FILE.csv)'
}
/** Which command each of the CLI's own flags belongs to (the settings' flags belong to a run, some to serve). */
const OWN_FLAG_COMMANDS: Record<string, CliRun['command'][]> = {
  json: ['run', 'report'],
  frames: ['run'],
  port: ['run', 'serve'],
  save: ['run'],
  out: ['run'],
  'hold-at': ['run'],
  'hold-for': ['run'],
  'restart-at': ['run'],
  html: ['report'],
  csv: ['report'],
  // sets settings (work, blocking, threads): the subject's, so serve takes it too
  'upstream-mode': ['run', 'serve']
}
const COMMAND_FILES: Partial<Record<CliRun['command'], number>> = { report: 1, compare: 2 }

type Kind = 'int' | 'bool' | 'enum' | 'string'
/** flag → setting, with how its value is read */
const FLAGS: Record<string, { field: keyof Settings; short?: string; kind: Kind; help: string }> = {
  requests: { field: 'requests', short: 'n', kind: 'int', help: 'number of requests to perform' },
  concurrency: { field: 'concurrency', short: 'c', kind: 'int', help: 'requests kept in flight at once (closed loop)' },
  duration: { field: 'durationS', kind: 'int', help: 'seconds to run at most' },
  rate: {
    field: 'ratePerS',
    kind: 'int',
    help: 'requests a second, whatever the server does (switches to the open loop)'
  },
  connections: { field: 'connections', kind: 'int', help: 'open loop: most connections on the wire at once' },
  delay: { field: 'delayMs', kind: 'int', help: "how long each request's work lasts, ms" },
  blocking: { field: 'blocking', kind: 'bool', help: 'the work holds the event loop' },
  work: { field: 'work', kind: 'enum', help: 'what each request\'s work is ("wait" is like I/O, "cpu" computation)' },
  threads: { field: 'threads', kind: 'int', help: "run each request's work on a pool of N threads (0 = on the loop)" },
  'upstream-connections': {
    field: 'upstreamConnections',
    kind: 'int',
    help: "work upstream, evented: connections of the client's pool to the backend"
  },
  'upstream-jitter': {
    field: 'upstreamJitterMs',
    kind: 'int',
    help: 'work upstream: the backend answers after the delay plus up to this many ms more'
  },
  'uv-threads': {
    field: 'uvThreadpoolSize',
    kind: 'int',
    help: "with --work libuv: the threads of libuv's pool (UV_THREADPOOL_SIZE)"
  },
  processes: {
    field: 'processes',
    kind: 'int',
    help: 'run the server as this many processes on one port (node:cluster, round-robin)'
  },
  route: { field: 'route', kind: 'enum', help: 'what the crowd asks for (GET /work, or GET / for hello world)' },
  timeout: { field: 'timeoutMs', kind: 'int', help: 'a request without an answer after this many ms fails' },
  subscribers: { field: 'subscribers', kind: 'int', help: 'long-poll subscribers held at GET /wait' },
  'publish-rate': { field: 'publishRatePerS', kind: 'int', help: 'messages published a second' },
  'poll-timeout': { field: 'pollTimeoutMs', kind: 'int', help: 'a held /wait answers [] after this many ms' },
  transport: { field: 'transport', kind: 'enum', help: 'how the subscribers get their messages' },
  'log-size': { field: 'logSize', kind: 'int', help: 'messages kept by the subject' },
  store: {
    field: 'store',
    kind: 'enum',
    help: 'where the broadcast log is kept'
  },
  'redis-url': {
    field: 'redisUrl',
    kind: 'string',
    help: "keep the broadcast log on this Redis server instead of the lab's own (sets --store redis)"
  },
  share: { field: 'share', kind: 'bool', help: 'listen on every network interface, so phones can open /live' },
  'share-port': { field: 'sharePort', kind: 'int', help: 'with --share: the port to listen on, the same at every run' },
  'front-door': {
    field: 'frontDoor',
    kind: 'bool',
    help: 'put the front door (an HTTP proxy that can hold traffic) in front of the app'
  },
  'hold-max': { field: 'holdMaxS', kind: 'int', help: 'a hold is released by itself after this many seconds' }
}

/** What a flag accepts, in the words of the command line: the settings' words, except where they name a JSON value. */
function accepts(field: keyof Settings): string {
  // Settings say "null (no limit) or …", and a command line cannot type null: a run without -n has no limit.
  if (field === 'requests') return `an integer from ${LIMITS.requests.min} to ${LIMITS.requests.max}`
  return ACCEPTS[field]
}

/** Flags that change the subject, the only ones `serve` takes (with --port). */
const SUBJECT_FIELDS = new Set<keyof Settings>([...SUBJECT_KEYS, 'share', 'sharePort'])

const PLAIN_INTEGER = /^-?[0-9]+$/
const PORT_ACCEPTS = 'an integer from 0 to 65535 (0 = chosen by the OS)'

const flagName = (name: string): string => {
  const short = FLAGS[name]?.short
  return short ? `-${short}/--${name}` : `--${name}`
}

function usage(message: string): LabError {
  return new LabError('LOOPSCOPE_ERR_CLI_USAGE', message)
}

export function helpText(): string {
  const lines = Object.entries(FLAGS).map(
    ([name, f]) => `  ${flagName(name).padEnd(22)} ${f.help}${f.kind === 'bool' ? '' : `; ${accepts(f.field)}`}`
  )
  return [
    'Usage: npm run lab -- [flags]          load the subject with the crowd and report (ab-style)',
    '       npm run lab -- serve [--port P] [subject flags]   run the subject alone until interrupted',
    '       npm run lab -- report FILE.json [--html OUT] [--csv OUT]   the report of a saved run; writes the other formats',
    "       npm run lab -- compare A.json B.json   two saved runs' summaries side by side, with the differences",
    '',
    'Flags:',
    ...lines,
    `  ${'--upstream-mode'.padEnd(22)} ${UPSTREAM_MODE_HELP}`,
    `  ${'--json'.padEnd(22)} print one JSON summary on stdout instead of the report`,
    `  ${'--frames'.padEnd(22)} print each frame (10 a second) as a JSON line on stdout`,
    `  ${'--port'.padEnd(22)} the subject's port when it is not shared (0 = chosen by the OS)`,
    `  ${'--save'.padEnd(22)} save the run in the runs folder (LOOPSCOPE_DATA_DIR, else the platform's data folder)`,
    `  ${'--out FILE.json'.padEnd(22)} also write the run to FILE.json (FILE.json.gz: gzipped)`,
    `  ${'--html OUT, --csv OUT'.padEnd(22)} with report: write the HTML report, the frames as CSV`,
    ...Object.entries(SCRIPT_FLAGS).map(([name, f]) => `  ${`--${name} S`.padEnd(22)} ${f.help}; ${f.accepts}`),
    `  ${'-h/--help'.padEnd(22)} this text`,
    '',
    'Without -n or --duration a run lasts 10 s. Example: npm run lab -- -n 1000 -c 100 --delay 2000',
    'A deploy under a hold: npm run lab -- -c 50 --delay 200 --duration 10 --hold-at 3 --hold-for 3 --restart-at 4',
    '(--hold-at and --restart-at put the front door in front of the app, as --front-door does).',
    'A flag with no effect in the chosen mode is refused: -c with --rate, --connections without it, --blocking with',
    "--threads, --threads with --work libuv, --uv-threads without it, and with serve anything but the subject's",
    'flags and --port.'
  ].join('\n')
}

/** The options parseArgs is given: every flag, plus the CLI's own. */
function parseOptions(): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    json: { type: 'boolean' },
    frames: { type: 'boolean' },
    port: { type: 'string' },
    save: { type: 'boolean' },
    out: { type: 'string' },
    html: { type: 'string' },
    csv: { type: 'string' },
    'upstream-mode': { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
  for (const name of Object.keys(SCRIPT_FLAGS)) options[name] = { type: 'string' }
  for (const [name, f] of Object.entries(FLAGS)) {
    options[name] = { type: f.kind === 'bool' ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}) }
  }
  return options
}

/**
 * `--threads -1` and `-c -5` → `--threads=-1`, `--concurrency=-5`: a value-taking flag followed by a negative number
 * takes it as its value (parseArgs calls it ambiguous). A flag followed by nothing or by another flag is refused here,
 * in the flag's own words.
 */
function attachNegativeValues(argv: string[], options: ReturnType<typeof parseOptions>): string[] {
  const longOf = (token: string): string | undefined => {
    if (token.startsWith('--')) return Object.hasOwn(options, token.slice(2)) ? token.slice(2) : undefined
    return Object.entries(options).find(([, o]) => o.short !== undefined && token === `-${o.short}`)?.[0]
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (token === '--') {
      out.push(...argv.slice(i))
      break
    }
    const name = longOf(token)
    if (name === undefined || options[name]!.type !== 'string') {
      out.push(token)
      continue
    }
    const next = argv[i + 1]
    // `-5`, `-1.5` and `-` are values (refused or not by what the flag accepts); `--json` and `-n` are flags.
    if (next === undefined || next.startsWith('--') || /^-[a-zA-Z]/.test(next)) {
      const own =
        name === 'upstream-mode'
          ? UPSTREAM_MODE_ACCEPTS
          : (FILE_FLAGS[name] ?? SCRIPT_FLAGS[name]?.accepts ?? PORT_ACCEPTS)
      const what = Object.hasOwn(FLAGS, name) ? accepts(FLAGS[name]!.field) : own
      throw usage(`${Object.hasOwn(FLAGS, name) ? flagName(name) : `--${name}`} needs a value: ${what}`)
    }
    out.push(`--${name}=${next}`)
    i++
  }
  return out
}

/** "5" → 5; anything that is not plainly an integer is refused, naming the flag and what it accepts. */
function readInteger(flag: string, raw: string, what: string): number {
  if (!PLAIN_INTEGER.test(raw)) throw usage(`${flag} must be ${what} (got ${JSON.stringify(raw)})`)
  return Number(raw)
}

/** A flag's value, validated alone by the settings schema so that a refusal can name the flag in its own words. */
function readFlag(name: string, raw: string | boolean): unknown {
  const f = FLAGS[name]!
  const value = f.kind === 'int' ? readInteger(flagName(name), String(raw), accepts(f.field)) : raw
  try {
    applyPatch(DEFAULT_SETTINGS, { [f.field]: value })
  } catch (err) {
    if (!(err instanceof LabError)) throw err
    throw usage(
      `${flagName(name)} must be ${accepts(f.field)} (got ${typeof raw === 'string' && f.kind !== 'int' ? JSON.stringify(raw) : String(raw)})`
    )
  }
  return value
}

/** Refuses a flag that the chosen mode would ignore (see the top of this file for why refuse). */
function refuseWithoutEffect(command: CliRun['command'], given: Set<string>, patch: Record<string, unknown>): void {
  if (patch.blocking === true && typeof patch.threads === 'number' && patch.threads > 0) {
    throw usage("--blocking has no effect with --threads: the work runs on the pool's threads, never on the event loop")
  }
  if (patch.work === 'libuv' && typeof patch.threads === 'number' && patch.threads > 0) {
    throw usage(
      "--threads has no effect with --work libuv: its work runs on libuv's own pool; size it with --uv-threads"
    )
  }
  if (given.has('uv-threads') && patch.work !== 'libuv') {
    throw usage("--uv-threads has no effect without --work libuv: only that work runs on libuv's thread pool")
  }
  if (command === 'report' || command === 'compare') {
    for (const name of given) {
      if (OWN_FLAG_COMMANDS[name]?.includes(command)) continue
      const own = Object.entries(OWN_FLAG_COMMANDS)
        .filter(([, cs]) => cs.includes(command))
        .map(([n]) => `--${n}`)
      throw usage(
        `${Object.hasOwn(FLAGS, name) ? flagName(name) : `--${name}`} has no effect with ${command}: it reads saved runs` +
          (own.length ? `, and takes only ${own.join(', ')}` : ', and takes no flags')
      )
    }
    return
  }
  for (const name of given) {
    const commands = OWN_FLAG_COMMANDS[name]
    if (commands && !commands.includes(command)) {
      throw usage(
        `--${name} has no effect ${command === 'serve' ? 'with serve' : 'on a run'}: it belongs to ${commands.join(' and ')}`
      )
    }
  }
  if (given.has('share-port') && patch.share !== true) {
    throw usage('--share-port has no effect without --share: an unshared subject listens on 127.0.0.1, on --port')
  }
  if (given.has('port') && patch.share === true) {
    throw usage(
      `--port has no effect with --share: a shared subject listens on --share-port (${DEFAULT_SETTINGS.sharePort} by default)`
    )
  }
  if (command === 'serve') {
    for (const name of given) {
      const f = FLAGS[name]
      if (name === 'port' || name === 'upstream-mode' || (f && SUBJECT_FIELDS.has(f.field))) continue
      const subjectFlags = Object.keys(FLAGS).filter((n) => SUBJECT_FIELDS.has(FLAGS[n]!.field))
      throw usage(
        `${f ? flagName(name) : `--${name}`} has no effect with serve: serve runs the subject alone, with the subject's ` +
          `flags (${subjectFlags.map((n) => `--${n}`).join(', ')}) and --port; drop "serve" for a run`
      )
    }
    return
  }
  if (given.has('rate') && given.has('concurrency')) {
    throw usage(
      '-c/--concurrency has no effect with --rate: the open loop sends R requests a second whatever is in flight; ' +
        '--connections N bounds how many are on the wire'
    )
  }
  if (given.has('connections') && !given.has('rate')) {
    throw usage(
      '--connections has no effect without --rate: the closed loop keeps -c requests in flight, one connection each; ' +
        'add --rate R for the open loop'
    )
  }
}

export function parseCli(argv: string[]): CliRun {
  const options = parseOptions()
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: attachNegativeValues(argv, options), options, allowPositionals: true, strict: true })
  } catch (err) {
    if (err instanceof LabError) throw err
    throw usage(`${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}; see --help`)
  }
  const { values, positionals } = parsed
  const verb = positionals[0]
  if (verb !== undefined && verb !== 'serve' && verb !== 'report' && verb !== 'compare') {
    throw usage(`unknown command "${verb}": the commands are "serve", "report" and "compare"; see --help`)
  }
  const command: CliRun['command'] = values.help ? 'help' : (verb ?? 'run')
  const files = positionals.slice(1)
  const wantFiles = COMMAND_FILES[command] ?? 0
  if (command !== 'help' && files.length !== wantFiles) {
    throw usage(
      wantFiles === 0
        ? `${command} takes no file names (got ${JSON.stringify(files.join(' '))}); see --help`
        : `${command} needs ${wantFiles === 1 ? 'one saved run: report FILE.json' : 'two saved runs: compare A.json B.json'} (got ${files.length} file names)`
    )
  }

  const patch: Record<string, unknown> = {}
  const given = new Set<string>()
  for (const name of Object.keys(OWN_FLAG_COMMANDS)) if (values[name] !== undefined) given.add(name)
  for (const [name, f] of Object.entries(FLAGS)) {
    const raw = values[name]
    if (raw === undefined) continue
    given.add(name)
    patch[f.field] = readFlag(name, raw as string | boolean)
  }
  if (command !== 'help') {
    refuseWithoutEffect(command, given, patch)
    applyUpstreamMode(values['upstream-mode'] as string | undefined, patch)
  }
  const script: HoldScript = { holdAtS: null, holdForS: null, restartAtS: null }
  for (const [name, f] of Object.entries(SCRIPT_FLAGS)) {
    const raw = values[name]
    if (raw !== undefined) script[f.key] = readInteger(`--${name}`, String(raw), f.accepts)
  }
  if (patch.ratePerS !== undefined) patch.mode = 'open'
  if (scriptWanted(script)) patch.frontDoor = true
  if (patch.redisUrl !== undefined) {
    if (patch.store === 'memory')
      throw usage("--redis-url has no effect with --store memory: the log is then in the subject's memory")
    patch.store = 'redis'
  }
  if (command === 'run' && patch.requests === undefined && patch.durationS === undefined) patch.durationS = 10

  let settings: Settings
  try {
    settings = applyPatch(DEFAULT_SETTINGS, patch)
  } catch (err) {
    throw err instanceof LabError ? usage(err.message) : err
  }
  checkScript(script, settings, patch.durationS !== undefined)

  let port = 0
  if (values.port !== undefined) {
    port = readInteger('--port', String(values.port), PORT_ACCEPTS)
    if (port < 0 || port > 65535) throw usage(`--port must be ${PORT_ACCEPTS} (got ${port})`)
  }
  const fileFlag = (name: string): string | null => {
    const v = values[name]
    if (v === undefined) return null
    if (typeof v !== 'string' || v.trim() === '') throw usage(`--${name} needs a value: ${FILE_FLAGS[name]}`)
    return v
  }
  return {
    command,
    patch: patch as SettingsPatch,
    settings,
    json: values.json === true,
    frames: values.frames === true,
    port,
    files,
    save: values.save === true,
    out: fileFlag('out'),
    html: fileFlag('html'),
    csv: fileFlag('csv'),
    script
  }
}
