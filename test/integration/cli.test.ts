import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port'
import { cli } from '../helpers/cli'

describe('the headless CLI', () => {
  it('prints one JSON summary with the agreed fields', async () => {
    const { code, stdout } = await cli(['-n', '40', '-c', '20', '--delay', '100', '--json'])
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const s = JSON.parse(lines[0]!)
    expect(s).toMatchObject({
      completed: 40,
      errors: 0,
      theoryRps: 200,
      settings: { requests: 40, concurrency: 20, delayMs: 100 }
    })
    for (const k of ['min', 'mean', 'p50', 'p90', 'p99', 'max']) expect(s.latencyMs[k]).toBeGreaterThanOrEqual(100)
    expect(Object.keys(s.loop).sort()).toEqual(['delayP99Ms', 'maxStallMs', 'utilization'])
    expect(s.durationMs).toBeGreaterThan(190)
    expect(s.rps).toBeGreaterThan(0)
  })

  it('prints an ab-style report by default', async () => {
    const { code, stdout } = await cli(['-n', '10', '-c', '5', '--delay', '50'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/Complete requests:\s+10/)
    expect(stdout).toMatch(/Requests per second:\s+[\d.]+ \[#\/sec\] \(mean\)/)
    expect(stdout).toContain("Theory (Little's law)")
    expect(stdout).toContain('100% ')
  })

  it('streams frames as JSON lines with --frames', async () => {
    const { code, stdout } = await cli(['--duration', '1', '-c', '2', '--delay', '100', '--frames'])
    expect(code).toBe(0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const frames = lines.filter((l) => 't' in l)
    expect(frames.length).toBeGreaterThanOrEqual(5)
    expect(frames[frames.length - 1]).toHaveProperty('stallMs')
    expect(lines.at(-1)).toHaveProperty('summary')
  })

  it('exits with status 2 and names the flag and its range for a bad value', async () => {
    const { code, stderr, stdout } = await cli(['-c', '0'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('-c/--concurrency must be an integer from 1 to 10000 (got 0)')
  })
})

describe('npm run lab -- serve', () => {
  it('runs the subject alone, prints its URL, answers outside clients, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--delay', '50'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
        if (m) resolve(m[1]!)
      })
      child.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)))
    })
    const res = await fetch(url + '/work')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, delayMs: 50 })
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })

  it("says a taken share port in the flag's words and exits 1", async () => {
    const port = await freePort()
    const squatter = createServer()
    await new Promise<void>((r) => squatter.listen(port, '0.0.0.0', r))
    try {
      const { code, stderr } = await cli(['serve', '--share', '--share-port', String(port)])
      expect(code).toBe(1)
      expect(stderr).toContain(
        `LOOPSCOPE_ERR_SUBJECT_PORT_IN_USE: port ${port} is in use by another program: choose another with --share-port`
      )
    } finally {
      await new Promise((r) => squatter.close(r))
    }
  })
})
