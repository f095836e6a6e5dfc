import { describe, expect, it } from 'vitest'
import type { Summary } from '../../src/shared/frame'
import { cli } from '../helpers/cli'

describe('npm run lab -- --hold-at --hold-for --restart-at', () => {
  it('deploys under the scripted hold: a new app process and not one failed request, said in the report', async () => {
    const args = [
      '-c',
      '20',
      '--delay',
      '200',
      '--duration',
      '6',
      '--hold-at',
      '1',
      '--hold-for',
      '2',
      '--restart-at',
      '2'
    ]
    const { code, stdout } = await cli([...args, '--json'])
    expect(code).toBe(0)
    const s = JSON.parse(stdout) as Summary
    expect(s.errors).toBe(0)
    expect(s.hold).toMatchObject({ holds: 1, heldRequests: 20, restarts: 1, failedAtApp: { reset: 0, refused: 0 } })
    expect(new Set(s.hold!.appPids).size).toBe(2)
    expect(s.marks.map((m) => m.label)).toEqual(['hold', `restart (process ${s.hold!.appPids[0]})`, 'release'])
  })
})
