/** The CLI's `--work libuv --uv-threads N`: the subject it starts has that many pool threads, and the report says so. */
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli'

describe("the CLI with work on libuv's pool", () => {
  it('runs on a pool of --uv-threads threads: ≈ N / delay, and the JSON summary has the libuvPool block', async () => {
    const { code, stdout } = await cli([
      '--work',
      'libuv',
      '--uv-threads',
      '2',
      '-c',
      '6',
      '--delay',
      '300',
      '-n',
      '12',
      '--json'
    ])
    expect(code).toBe(0)
    const s = JSON.parse(stdout.trim())
    expect(s).toMatchObject({
      completed: 12,
      errors: 0,
      theoryRps: 6.67,
      settings: { work: 'libuv', uvThreadpoolSize: 2 }
    })
    expect(s.rps / s.theoryRps).toBeGreaterThan(0.7)
    expect(s.rps / s.theoryRps).toBeLessThanOrEqual(1.05)
    expect(s.libuvPool).toMatchObject({ size: 2, maxBusy: 2 })
    expect(s.libuvPool.maxWaiting).toBeGreaterThanOrEqual(3)
    expect(s.libuvPool.maxWaiting).toBeLessThanOrEqual(4)
  })

  it('prints the pool in the ab-style report and the theory in its words', async () => {
    const { code, stdout } = await cli(['--work', 'libuv', '-c', '8', '--delay', '500', '-n', '8'])
    expect(code).toBe(0)
    expect(stdout).toContain("GET /work — libuv 500 ms, evented on libuv's pool of 4")
    expect(stdout).toMatch(/Theory \(Little's law\):\s+8\.00 \[#\/sec\] = min\(c = 8, libuv pool = 4\) \/ 500 ms/)
    expect(stdout).toMatch(/libuv pool:\s+4 threads · busy at most 4 · waiting for a thread at most 4/)
  })
})
