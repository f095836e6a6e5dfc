import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/cli/args'
import { LabError } from '../../src/shared/errors'

function refused(argv: string[]): string {
  try {
    parseCli(argv)
  } catch (err) {
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).code).toBe('LOOPSCOPE_ERR_CLI_USAGE')
    return (err as LabError).message
  }
  throw new Error('expected a refusal')
}

describe('CLI flags', () => {
  it('reads ab\'s flags into settings', () => {
    const cli = parseCli(['-n', '1000', '-c', '100', '--delay', '2000'])
    expect(cli.settings).toMatchObject({ requests: 1000, concurrency: 100, delayMs: 2000, mode: 'closed' })
  })

  it('switches to the open loop when a rate is given', () => {
    expect(parseCli(['--rate', '200', '--duration', '5']).settings).toMatchObject({ mode: 'open', ratePerS: 200, durationS: 5 })
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

  it('refuses an unknown flag and an unknown command', () => {
    expect(refused(['--concurency', '3'])).toContain('--concurency')
    expect(refused(['launch'])).toContain('unknown command')
  })

  it('reads serve with a port', () => {
    expect(parseCli(['serve', '--port', '8080', '--delay', '100'])).toMatchObject({ command: 'serve', port: 8080 })
  })
})
