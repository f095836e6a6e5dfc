/**
 * The CLI's flags at their edges (src/cli/args.ts), as a person at a terminal meets them: --help lists every flag
 * with what it takes, a flag left without its value names what it takes in its own words, each verb refuses what it
 * cannot honour with the flags it does take, and the run's own flags reach the run.
 */
import { describe, expect, it } from 'vitest'
import { helpText, parseCli } from '../../src/cli/args'
import { SCRIPT_FLAGS } from '../../src/cli/hold-script'
import { refusal } from '../helpers/refusal'

const refused = (argv: string[]): string => {
  const err = refusal(() => parseCli(argv))
  expect(err.code).toBe('LOOPSCOPE_ERR_CLI_USAGE')
  return err.message
}

describe('--help', () => {
  it('ends with the default length, two examples and the flags each mode refuses, after a blank line', () => {
    expect(helpText().split('\n').slice(-8)).toEqual([
      `  ${'-h/--help'.padEnd(22)} this text`,
      '',
      'Without -n or --duration a run lasts 10 s. Example: npm run lab -- -n 1000 -c 100 --delay 2000',
      'A deploy under a hold: npm run lab -- -c 50 --delay 200 --duration 10 --hold-at 3 --hold-for 3 --restart-at 4',
      '(--hold-at and --restart-at put the front door in front of the app, as --front-door does).',
      'A flag with no effect in the chosen mode is refused: -c with --rate, --connections without it, --blocking with',
      "--threads, --threads with --work libuv, --uv-threads without it, and with serve anything but the subject's",
      'flags and --port.'
    ])
  })

  // read inside each test, so that a mutation run knows which tests read it
  const lines = (): string[] => helpText().split('\n')
  const line = (flag: string): string => lines().find((l) => l.trimStart().startsWith(flag)) ?? ''

  it('is asked for with -h or --help, whatever else is on the line', () => {
    expect(parseCli(['--help']).command).toBe('help')
    expect(parseCli(['-h', 'report']).command).toBe('help')
    expect(parseCli(['report', 'a.json', 'b.json', '--help']).command).toBe('help')
    expect(parseCli(['--help', '--rate', '1', '-c', '2']).command).toBe('help')
  })

  it('shows the four ways to run it and an example', () => {
    expect(lines()[0]).toMatch(/^Usage: npm run lab -- \[flags\] +load the subject with the crowd and report/)
    for (const verb of ['serve [--port P]', 'report FILE.json', 'compare A.json B.json'])
      expect(helpText()).toContain(`npm run lab -- ${verb}`)
    expect(helpText()).toContain('Example: npm run lab -- -n 1000 -c 100 --delay 2000')
    expect(helpText()).toContain('Without -n or --duration a run lasts 10 s.')
  })

  it('names the choices of a flag once', () => {
    for (const [flag, choice] of [
      ['--work', '"upstream"'],
      ['--store', '"redis"'],
      ['--transport', '"sse"'],
      ['--route', '"hello"']
    ] as const) {
      expect(line(flag).split(choice).length - 1, flag).toBe(1)
    }
  })

  it('has a line for each flag, with its short form, what it does and what it takes', () => {
    expect(line('-n/--requests')).toBe(
      `  ${'-n/--requests'.padEnd(22)} number of requests to perform; an integer from 1 to 10000000`
    )
    expect(line('-c/--concurrency')).toContain(
      'requests kept in flight at once (closed loop); an integer from 1 to 10000'
    )
    expect(line('--delay')).toContain('; an integer number of milliseconds from 0 to 60000')
    // a switch takes no value: no range after its words
    expect(line('--blocking')).toBe(`  ${'--blocking'.padEnd(22)} the work holds the event loop`)
    for (const flag of [
      '--upstream-mode',
      '--json',
      '--frames',
      '--port',
      '--save',
      '--out FILE.json',
      '--html OUT, --csv OUT',
      '-h/--help'
    ]) {
      expect(line(flag).length, flag).toBeGreaterThan(26)
    }
    for (const [name, f] of Object.entries(SCRIPT_FLAGS))
      expect(line(`--${name} S`)).toContain(`${f.help}; ${f.accepts}`)
  })

  it('says in words what every flag does: none is a bare name', () => {
    const all = lines()
    const flagLines = all.slice(all.indexOf('Flags:') + 1, all.indexOf('', all.indexOf('Flags:')))
    expect(flagLines.length).toBeGreaterThan(30)
    for (const l of flagLines) expect(l, l).toMatch(/^ {2}\S.{21} [a-z"(]\S* \S+/)
  })

  it('says which flags are refused in which mode', () => {
    expect(helpText()).toContain(
      'A flag with no effect in the chosen mode is refused: -c with --rate, --connections without it'
    )
  })
})

describe('a flag without its value', () => {
  it("names what the flag takes, for the settings' flags and the CLI's own", () => {
    expect(refused(['-n'])).toBe('-n/--requests needs a value: an integer from 1 to 10000000')
    expect(refused(['--delay', '-c', '3'])).toBe(
      '--delay needs a value: an integer number of milliseconds from 0 to 60000'
    )
    expect(refused(['serve', '--port'])).toBe('--port needs a value: an integer from 0 to 65535 (0 = chosen by the OS)')
    expect(refused(['--out'])).toBe(
      '--out needs a value: a file name to write the run to (FILE.json, or FILE.json.gz for gzip)'
    )
    expect(refused(['report', 'a.json', '--html', '--json'])).toBe(
      '--html needs a value: a file name to write the HTML report to (FILE.html)'
    )
    expect(refused(['--hold-at'])).toBe(`--hold-at needs a value: ${SCRIPT_FLAGS['hold-at']!.accepts}`)
    expect(refused(['--upstream-mode'])).toBe('--upstream-mode needs a value: "evented", "blocking" or "pool"')
  })

  it('refuses an empty file name', () => {
    expect(refused(['--out', ' '])).toBe(
      '--out needs a value: a file name to write the run to (FILE.json, or FILE.json.gz for gzip)'
    )
    expect(refused(['report', 'a.json', '--csv', ''])).toBe(
      '--csv needs a value: a file name to write the frames to as CSV (FILE.csv)'
    )
  })

  it("takes a negative number or a lone minus as a value, refused by the flag's range", () => {
    expect(refused(['-n', '-3'])).toBe('-n/--requests must be an integer from 1 to 10000000 (got -3)')
    expect(refused(['-c', '-'])).toBe('-c/--concurrency must be an integer from 1 to 10000 (got "-")')
    expect(refused(['--port', '-1'])).toBe('--port must be an integer from 0 to 65535 (0 = chosen by the OS) (got -1)')
  })

  it('leaves what follows -- alone: positionals, not flags', () => {
    expect(refused(['--', '-n'])).toBe(
      'unknown command "-n": the commands are "serve", "report" and "compare"; see --help'
    )
  })
})

describe('values', () => {
  it('quotes a word it refuses, and shows a number as typed', () => {
    expect(refused(['--work', 'gpu'])).toMatch(/^--work must be .* \(got "gpu"\)$/)
    expect(refused(['--route', 'home'])).toMatch(/^--route must be .* \(got "home"\)$/)
    expect(refused(['--duration', '3601'])).toBe(
      '--duration must be an integer number of seconds from 1 to 3600 (got 3601)'
    )
  })

  it('reads a port from 0 to 65535 and refuses one past it', () => {
    expect(parseCli(['serve', '--port', '65535']).port).toBe(65535)
    expect(parseCli(['serve', '--port', '0']).port).toBe(0)
    expect(parseCli(['serve']).port).toBe(0)
    expect(refused(['serve', '--port', '65536'])).toBe(
      '--port must be an integer from 0 to 65535 (0 = chosen by the OS) (got 65536)'
    )
  })

  it("passes the run's switches and files on, and nothing the user did not give", () => {
    expect(parseCli(['-n', '5', '--json', '--frames'])).toMatchObject({
      json: true,
      frames: true,
      save: false,
      out: null,
      html: null,
      csv: null
    })
    const plain = parseCli(['-n', '5'])
    expect(plain).toMatchObject({ command: 'run', json: false, frames: false, port: 0, files: [] })
    expect(plain.patch).toEqual({ requests: 5 })
    expect(parseCli(['--duration', '3']).patch).toEqual({ durationS: 3 })
    expect(parseCli(['--rate', '50', '-n', '100']).patch).toEqual({ ratePerS: 50, mode: 'open', requests: 100 })
    expect(parseCli(['--blocking', '-n', '1']).settings.blocking).toBe(true)
    expect(parseCli(['serve']).patch).toEqual({})
    expect(parseCli(['report', 'a.json', '--json'])).toMatchObject({ command: 'report', json: true })
  })
})

describe('each verb refuses what it cannot honour', () => {
  it('says what to use instead of -c with --rate and of --connections without it', () => {
    expect(refused(['--rate', '5', '-c', '2'])).toBe(
      '-c/--concurrency has no effect with --rate: the open loop sends R requests a second whatever is in flight; ' +
        '--connections N bounds how many are on the wire'
    )
    expect(refused(['--connections', '2'])).toBe(
      '--connections has no effect without --rate: the closed loop keeps -c requests in flight, one connection each; ' +
        'add --rate R for the open loop'
    )
  })

  it('names the flags report takes, and that compare takes none', () => {
    expect(refused(['report', 'a.json', '-c', '3'])).toBe(
      '-c/--concurrency has no effect with report: it reads saved runs, and takes only --json, --html, --csv'
    )
    expect(refused(['compare', 'a.json', 'b.json', '--json'])).toBe(
      '--json has no effect with compare: it reads saved runs, and takes no flags'
    )
  })

  it("names the subject's flags when serve is given a crowd's flag", () => {
    const message = refused(['serve', '--rate', '5'])
    expect(message).toMatch(
      /^--rate has no effect with serve: serve runs the subject alone, with the subject's flags \(--delay, /
    )
    expect(message).toContain('--threads')
    expect(message).toContain('--share-port')
    expect(message).not.toContain('--rate,')
    expect(message).toMatch(/\) and --port; drop "serve" for a run$/)
    expect(parseCli(['serve', '--upstream-mode', 'pool', '--work', 'upstream']).command).toBe('serve')
  })

  it('says which verb a flag belongs to', () => {
    expect(refused(['serve', '--save'])).toBe('--save has no effect with serve: it belongs to run')
    expect(refused(['--html', 'a.html'])).toBe('--html has no effect on a run: it belongs to report')
    expect(refused(['report', 'a.json', '--port', '1'])).toMatch(/^--port has no effect with report/)
  })

  it('counts the files each verb takes', () => {
    expect(refused(['report'])).toBe('report needs one saved run: report FILE.json (got 0 file names)')
    expect(refused(['compare', 'a.json'])).toBe(
      'compare needs two saved runs: compare A.json B.json (got 1 file names)'
    )
    expect(refused(['serve', 'x.json'])).toBe('serve takes no file names (got "x.json"); see --help')
  })

  it("refuses --blocking and --threads with libuv's work only when threads are asked for", () => {
    expect(parseCli(['--blocking', '--threads', '0']).settings).toMatchObject({ blocking: true, threads: 0 })
    expect(parseCli(['--work', 'libuv', '--threads', '0']).settings.work).toBe('libuv')
    expect(refused(['--threads', '1', '--blocking'])).toMatch(/^--blocking has no effect with --threads/)
    expect(refused(['--work', 'libuv', '--threads', '1'])).toMatch(/^--threads has no effect with --work libuv/)
  })

  it("cuts parseArgs' advice to the point and sends to --help", () => {
    expect(refused(['--nope'])).toMatch(/--nope.*; see --help$/)
    expect(refused(['--nope'])).not.toContain('To specify a positional argument')
  })
})

describe('--redis-url', () => {
  it('puts the log on that Redis, and is refused beside --store memory, which it would contradict', () => {
    const parsed = parseCli(['--redis-url', 'redis://127.0.0.1:6379'])
    expect(parsed.command).toBe('run')
    expect(parsed).toMatchObject({ patch: { redisUrl: 'redis://127.0.0.1:6379', store: 'redis' } })
    expect(refused(['--redis-url', 'redis://127.0.0.1:6379', '--store', 'memory'])).toBe(
      "--redis-url has no effect with --store memory: the log is then in the subject's memory"
    )
  })
})

describe("a flag of the CLI's own on a command it does not belong to", () => {
  it('names every command it belongs to, and says a run or serve as such', () => {
    expect(refused(['serve', '--json'])).toBe('--json has no effect with serve: it belongs to run and report')
    expect(refused(['--html', 'a.html'])).toBe('--html has no effect on a run: it belongs to report')
  })
})
