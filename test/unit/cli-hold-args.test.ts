import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/cli/args'
import { refusal } from '../helpers/refusal'

const refused = (argv: string[]): string => {
  const err = refusal(() => parseCli(argv))
  expect(err.code).toBe('LOOPSCOPE_ERR_CLI_USAGE')
  return err.message
}

describe('the scripted hold on the command line', () => {
  it('reads --hold-at, --hold-for and --restart-at, and puts the front door in front of the app', () => {
    const cli = parseCli(['--duration', '10', '--hold-at', '3', '--hold-for', '3', '--restart-at', '4'])
    expect(cli.script).toEqual({ holdAtS: 3, holdForS: 3, restartAtS: 4 })
    expect(cli.settings.frontDoor).toBe(true)
    expect(parseCli(['--restart-at', '2']).settings.frontDoor).toBe(true)
    expect(parseCli([]).settings.frontDoor).toBe(false)
    expect(parseCli(['--front-door', '--hold-max', '5']).settings).toMatchObject({ frontDoor: true, holdMaxS: 5 })
  })

  it('refuses a hold longer than holdMaxS, naming the flag and the range', () => {
    expect(refused(['--hold-at', '1', '--hold-for', '31'])).toBe(
      '--hold-for must be an integer number of seconds from 1 to 30 (--hold-max, holdMaxS: a hold is released by itself then) (got 31)'
    )
    expect(refused(['--hold-max', '5', '--hold-at', '1', '--hold-for', '6'])).toContain('from 1 to 5')
    expect(refused(['--hold-max', '61'])).toBe('--hold-max must be an integer number of seconds from 1 to 60 (got 61)')
  })

  it('refuses half a hold, a time after the run, and a time that is not whole seconds', () => {
    expect(refused(['--hold-at', '1'])).toBe('--hold-at needs --hold-for: how long to hold')
    expect(refused(['--hold-for', '1'])).toBe('--hold-for needs --hold-at: when to hold')
    expect(refused(['--duration', '5', '--restart-at', '5'])).toBe(
      '--restart-at must be less than --duration (5 s): the run has ended by then (got 5)'
    )
    expect(refused(['--hold-at', '1.5', '--hold-for', '1'])).toMatch(
      /^--hold-at must be an integer number of seconds from 0/
    )
    expect(refused(['--restart-at', '-1'])).toBe('--restart-at must be an integer number of seconds from 0 (got -1)')
  })

  it('refuses the script with serve, where there is no run to script', () => {
    expect(refused(['serve', '--restart-at', '1'])).toMatch(/^--restart-at has no effect with serve/)
  })
})
