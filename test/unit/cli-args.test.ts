import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/cli/args'
import { cliRefusal as refused } from '../helpers/refusal'

describe('CLI flags', () => {
  it("reads ab's flags into settings", () => {
    const cli = parseCli(['-n', '1000', '-c', '100', '--delay', '2000'])
    expect(cli.settings).toMatchObject({ requests: 1000, concurrency: 100, delayMs: 2000, mode: 'closed' })
  })

  it('reads --transport and refuses a transport it does not know, naming the three it takes', () => {
    expect(parseCli(['--subscribers', '100', '--transport', 'sse']).settings).toMatchObject({
      subscribers: 100,
      transport: 'sse'
    })
    expect(refused(['--transport', 'udp'])).toBe(
      '--transport must be "long-poll" (GET /wait), "sse" (Server-Sent Events, GET /events) or "websocket" (GET /ws) (got "udp")'
    )
  })

  it('switches to the open loop when a rate is given', () => {
    expect(parseCli(['--rate', '200', '--duration', '5']).settings).toMatchObject({
      mode: 'open',
      ratePerS: 200,
      durationS: 5
    })
  })

  it('bounds a run without -n or --duration to 10 s', () => {
    expect(parseCli([]).settings.durationS).toBe(10)
  })

  it('names the flag, not the internal field, when a value is out of range', () => {
    expect(refused(['-c', '0'])).toBe('-c/--concurrency must be an integer from 1 to 10000 (got 0)')
    expect(refused(['--delay', '90000'])).toMatch(/^--delay must be an integer number of milliseconds from 0 to 60000/)
  })

  it('refuses a value that is not a number', () => {
    expect(refused(['-n', 'lots'])).toContain('-n/--requests must be')
  })

  it('refuses a hexadecimal number, naming the flag and its range', () => {
    expect(refused(['-c', '0x10'])).toBe('-c/--concurrency must be an integer from 1 to 10000 (got "0x10")')
  })

  it('refuses a number in exponent notation', () => {
    expect(refused(['-n', '1e3'])).toBe('-n/--requests must be an integer from 1 to 10000000 (got "1e3")')
  })

  it('refuses a number wrapped in spaces', () => {
    expect(refused(['-c', ' 5 '])).toBe('-c/--concurrency must be an integer from 1 to 10000 (got " 5 ")')
  })

  it('refuses 1.0 where an integer is asked for', () => {
    expect(refused(['--delay', '1.0'])).toBe(
      '--delay must be an integer number of milliseconds from 0 to 60000 (got "1.0")'
    )
  })

  it('refuses a word where a number is asked for', () => {
    expect(refused(['--threads', 'abc'])).toBe(
      '--threads must be an integer from 0 to 64 (0 = work on the event loop) (got "abc")'
    )
  })

  it('refuses a port that is not plainly a number', () => {
    expect(refused(['serve', '--port', '0x10'])).toBe(
      '--port must be an integer from 0 to 65535 (0 = chosen by the OS) (got "0x10")'
    )
  })

  it('refuses -n 0 with a range a command line can type, not null', () => {
    const message = refused(['-n', '0'])
    expect(message).toBe('-n/--requests must be an integer from 1 to 10000000 (got 0)')
    expect(message).not.toContain('null')
  })

  it("refuses a negative number by the flag's range, not as an ambiguous argument", () => {
    expect(refused(['--threads', '-1'])).toBe(
      '--threads must be an integer from 0 to 64 (0 = work on the event loop) (got -1)'
    )
    expect(refused(['-c', '-5'])).toBe('-c/--concurrency must be an integer from 1 to 10000 (got -5)')
  })

  it('refuses a flag left without its value, naming what it takes', () => {
    expect(refused(['-c', '--json'])).toBe('-c/--concurrency needs a value: an integer from 1 to 10000')
  })

  it('refuses -c with --rate, where the open loop ignores it', () => {
    expect(refused(['--rate', '100', '-c', '10'])).toMatch(/^-c\/--concurrency has no effect with --rate: /)
  })

  it('refuses --connections without --rate, where the closed loop ignores it', () => {
    expect(refused(['--connections', '10'])).toMatch(/^--connections has no effect without --rate: /)
  })

  it('takes --connections with --rate', () => {
    expect(parseCli(['--rate', '100', '--connections', '10']).settings).toMatchObject({ mode: 'open', connections: 10 })
  })

  it('refuses --blocking with --threads, where the work never runs on the loop', () => {
    expect(refused(['--threads', '4', '--blocking'])).toMatch(/^--blocking has no effect with --threads: /)
  })

  it('reads --work libuv --uv-threads N, and refuses a pool size out of range naming the flag and its range', () => {
    expect(parseCli(['--work', 'libuv', '--uv-threads', '16']).settings).toMatchObject({
      work: 'libuv',
      uvThreadpoolSize: 16,
      threads: 0
    })
    expect(parseCli(['serve', '--work', 'libuv', '--uv-threads', '2']).settings.uvThreadpoolSize).toBe(2)
    expect(refused(['--work', 'libuv', '--uv-threads', '129'])).toBe(
      '--uv-threads must be an integer number of threads from 1 to 128 (applies when a run starts) (got 129)'
    )
    expect(refused(['--work', 'libuv', '--uv-threads', '0'])).toMatch(/^--uv-threads must be .* from 1 to 128/)
  })

  it('refuses --uv-threads without --work libuv, and --threads with it', () => {
    expect(refused(['--uv-threads', '8'])).toMatch(/^--uv-threads has no effect without --work libuv: /)
    expect(refused(['--work', 'libuv', '--threads', '4'])).toMatch(/^--threads has no effect with --work libuv: /)
  })

  it('refuses a crowd flag with serve, which runs the subject alone', () => {
    expect(refused(['serve', '-c', '10'])).toMatch(/^-c\/--concurrency has no effect with serve: /)
    expect(refused(['serve', '--json'])).toMatch(/^--json has no effect with serve: /)
  })

  it('refuses an unknown flag and an unknown command', () => {
    expect(refused(['--concurency', '3'])).toContain('--concurency')
    expect(refused(['launch'])).toContain('unknown command')
  })

  it('reads serve with a port', () => {
    expect(parseCli(['serve', '--port', '8080', '--delay', '100'])).toMatchObject({ command: 'serve', port: 8080 })
  })

  it('reads --share-port with --share, for a run and for serve', () => {
    expect(parseCli(['--share', '--share-port', '5050']).settings).toMatchObject({ share: true, sharePort: 5050 })
    expect(parseCli(['serve', '--share', '--share-port', '5050']).settings).toMatchObject({
      share: true,
      sharePort: 5050
    })
    expect(parseCli(['--share']).settings.sharePort).toBe(4242)
  })

  it('refuses a share port below 1024 or above 65535, naming the flag and its range', () => {
    expect(refused(['--share', '--share-port', '80'])).toBe(
      '--share-port must be an integer port number from 1024 to 65535 (applies when a run starts) (got 80)'
    )
    expect(refused(['--share', '--share-port', '65536'])).toContain('from 1024 to 65535')
  })

  it('refuses --share-port without --share and --port with it, where either would have no effect', () => {
    expect(refused(['--share-port', '5050'])).toMatch(/^--share-port has no effect without --share/)
    expect(refused(['serve', '--share', '--port', '5050'])).toMatch(
      /^--port has no effect with --share: a shared subject listens on --share-port \(4242 by default\)/
    )
  })
})

describe('CLI verbs on saved runs', () => {
  it('reads report and compare with their files and flags, and --save/--out on a run', () => {
    expect(parseCli(['report', 'a.json', '--html', 'a.html', '--csv', 'a.csv'])).toMatchObject({
      command: 'report',
      files: ['a.json'],
      html: 'a.html',
      csv: 'a.csv'
    })
    expect(parseCli(['compare', 'a.json', 'b.json.gz'])).toMatchObject({
      command: 'compare',
      files: ['a.json', 'b.json.gz']
    })
    expect(parseCli(['-n', '10', '--save', '--out', 'run.json'])).toMatchObject({
      command: 'run',
      save: true,
      out: 'run.json',
      files: []
    })
  })

  it('refuses a verb with the wrong number of files, and a flag of another verb', () => {
    expect(refused(['compare', 'a.json', 'b.json', 'c.json'])).toBe(
      'compare needs two saved runs: compare A.json B.json (got 3 file names)'
    )
    expect(refused(['report', 'a.json', '--save'])).toBe(
      '--save has no effect with report: it reads saved runs, and takes only --json, --html, --csv'
    )
    expect(refused(['--csv', 'x.csv'])).toBe('--csv has no effect on a run: it belongs to report')
    expect(refused(['serve', '--out', 'x.json'])).toBe('--out has no effect with serve: it belongs to run')
    expect(refused(['report', 'a.json', '--html'])).toBe(
      '--html needs a value: a file name to write the HTML report to (FILE.html)'
    )
    expect(refused(['replay', 'a.json'])).toBe(
      'unknown command "replay": the commands are "serve", "report" and "compare"; see --help'
    )
  })
})
