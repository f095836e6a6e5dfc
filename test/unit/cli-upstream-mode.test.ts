import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/cli/args'
import { cliRefusal as refused } from '../helpers/refusal'

describe("the CLI's --upstream-mode shorthand", () => {
  it('sets the same two toggles as every work: evented, blocking, or a pool of threads (4 without --threads)', () => {
    expect(
      parseCli(['--work', 'upstream', '--upstream-mode', 'evented', '--upstream-connections', '10']).settings
    ).toMatchObject({
      work: 'upstream',
      blocking: false,
      threads: 0,
      upstreamConnections: 10
    })
    expect(parseCli(['--upstream-mode', 'blocking']).settings).toMatchObject({
      work: 'upstream',
      blocking: true,
      threads: 0
    })
    expect(parseCli(['--upstream-mode', 'pool']).settings).toMatchObject({
      work: 'upstream',
      blocking: false,
      threads: 4
    })
    expect(parseCli(['--upstream-mode', 'pool', '--threads', '16']).settings).toMatchObject({ threads: 16 })
    expect(parseCli(['--work', 'upstream', '--upstream-jitter', '50']).settings).toMatchObject({ upstreamJitterMs: 50 })
    expect(parseCli(['serve', '--upstream-mode', 'blocking']).settings).toMatchObject({
      work: 'upstream',
      blocking: true
    })
  })

  it('refuses a mode it does not know and values out of range, naming the flag and what it takes', () => {
    expect(refused(['--upstream-mode', 'async'])).toBe(
      '--upstream-mode must be "evented", "blocking" or "pool" (got "async")'
    )
    expect(refused(['--upstream-mode'])).toBe('--upstream-mode needs a value: "evented", "blocking" or "pool"')
    expect(refused(['--work', 'upstream', '--upstream-connections', '1001'])).toBe(
      '--upstream-connections must be an integer number of connections to the backend from 1 to 1000 (got 1001)'
    )
    expect(refused(['--work', 'upstream', '--upstream-connections', '0'])).toContain('from 1 to 1000 (got 0)')
    expect(refused(['--work', 'upstream', '--upstream-jitter', '10001'])).toBe(
      '--upstream-jitter must be an integer number of milliseconds from 0 to 10000 (got 10001)'
    )
  })

  it('refuses what would have no effect or contradicts the mode', () => {
    expect(refused(['--work', 'cpu', '--upstream-mode', 'evented'])).toContain('no effect with --work cpu')
    expect(refused(['--upstream-mode', 'evented', '--threads', '4'])).toContain('contradicts --upstream-mode evented')
    expect(refused(['--upstream-mode', 'pool', '--blocking'])).toContain('--blocking contradicts --upstream-mode pool')
    expect(refused(['--upstream-mode', 'pool', '--threads', '0'])).toContain('needs --threads of at least 1')
    expect(refused(['--upstream-connections', '5'])).toBe(
      '--upstream-connections has no effect without --work upstream (or --upstream-mode)'
    )
    expect(refused(['--upstream-mode', 'blocking', '--upstream-connections', '5'])).toContain(
      'no effect on synchronous calls'
    )
  })
})
