import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeProblem } from '../../src/main/runs/atomic-write'
import { dataDir, keepRuns, runsDir } from '../../src/main/runs/data-dir'
import { newRunId, RunStore } from '../../src/main/runs/store'
import { runToJson } from '../../src/shared/run-file'
import { fixtureRun } from '../helpers/run-fixture'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loopscope-runs-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const runAt = (i: number) =>
  fixtureRun({
    id: newRunId(new Date(Date.UTC(2026, 11, 2, 0, 0, i))),
    startedAt: new Date(Date.UTC(2026, 11, 2, 0, 0, i)).toISOString(),
    name: `run ${i}`
  })

describe('the runs folder', () => {
  it('lists saved runs newest first with their key figures, and gets, renames and deletes them', async () => {
    const store = new RunStore({ dir })
    await store.save(runAt(1))
    await store.save(runAt(2))
    const list = await store.list()
    expect(list.map((e) => e.name)).toEqual(['run 2', 'run 1'])
    expect(list[0]).toMatchObject({
      rps: 33.2,
      theoryRps: 5,
      p99Ms: 2100,
      maxStallMs: 800,
      held: null,
      endReason: 'requests',
      frames: 30
    })
    const id = list[1]!.id
    await store.rename(id, '  evented, before  ')
    expect((await store.get(id)).name).toBe('evented, before')
    expect((await new RunStore({ dir }).list()).map((e) => e.name)).toEqual(['run 2', 'evented, before'])
    await store.delete(id)
    expect((await store.list()).map((e) => e.name)).toEqual(['run 2'])
    await expect(store.get(id)).rejects.toMatchObject({ code: 'LOOPSCOPE_ERR_RUNS_NOT_FOUND' })
  })

  it('keeps the last 200: the 201st run removes the oldest', async () => {
    const store = new RunStore({ dir })
    for (let i = 0; i < 201; i++) await store.save(runAt(i))
    const list = await store.list()
    expect(list).toHaveLength(200)
    expect(list.at(-1)!.name).toBe('run 1')
    expect(list.some((e) => e.name === 'run 0')).toBe(false)
  }, 120_000)

  it('leaves no entry when the writer is killed mid-write, and removes its temp file', async () => {
    const child = fork(join(import.meta.dirname, '../helpers/killed-writer.ts'), [dir], {
      execArgv: ['--import', 'tsx'],
      stdio: 'ignore'
    })
    const temp = await new Promise<string>((resolve) => child.once('message', (m: { temp: string }) => resolve(m.temp)))
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    expect(existsSync(temp)).toBe(true)
    const store = new RunStore({ dir })
    expect(await store.list()).toEqual([])
    expect(existsSync(temp)).toBe(false)
    // and the next save goes through
    await store.save(runAt(3))
    expect((await store.list()).map((e) => e.name)).toEqual(['run 3'])
  })

  it('leaves a damaged file out of the list, untouched, and lists the rest', async () => {
    const store = new RunStore({ dir })
    await store.save(runAt(1))
    await writeFile(join(dir, '20261202-000009-000-bad0.json.gz'), 'not gzip')
    expect((await store.list()).map((e) => e.name)).toEqual(['run 1'])
    expect(existsSync(join(dir, '20261202-000009-000-bad0.json.gz'))).toBe(true)
  })

  it('imports a run under a new id and refuses a bad one, changing nothing', async () => {
    const store = new RunStore({ dir })
    const entry = await store.import(runToJson(runAt(1)), '"mine.json"')
    expect(entry.name).toBe('run 1')
    await expect(store.import('{"format": "loopscope-run", "version": 9}', '"new.json"')).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_RUNS_NEWER_VERSION',
      message: expect.stringContaining('"new.json" was saved by a newer Loopscope')
    })
    expect(await store.list()).toHaveLength(1)
  })

  it('says where it could not write and why, and keeps what it had', async () => {
    const store = new RunStore({ dir })
    await store.save(runAt(1))
    // a file where the runs folder should be: the save is refused in words, nothing else changes
    await writeFile(join(dir, 'blocked'), 'x')
    const blocked = new RunStore({ dir: join(dir, 'blocked', 'runs') })
    await expect(blocked.save(runAt(2))).rejects.toMatchObject({
      code: 'LOOPSCOPE_ERR_RUNS_WRITE',
      message: expect.stringMatching(
        /^could not create the runs folder .*blocked\/runs: a file stands where the runs folder should be/
      )
    })
    expect((await store.list()).map((e) => e.name)).toEqual(['run 1'])
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('names a full disk, a read-only one and a refused permission in words', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code })
    expect(writeProblem(errno('ENOSPC'))).toBe('the disk is full')
    expect(writeProblem(errno('EROFS'))).toBe('the disk is read-only')
    expect(writeProblem(errno('EACCES'))).toBe('Loopscope is not allowed to write there (permission denied)')
  })
})

describe('where runs live', () => {
  it('is LOOPSCOPE_DATA_DIR, else userData, else the platform data folder', () => {
    expect(runsDir({ env: { LOOPSCOPE_DATA_DIR: '/data/ls' }, userData: '/u' })).toBe('/data/ls/runs')
    expect(runsDir({ env: {}, userData: '/home/a/.config/Loopscope' })).toBe('/home/a/.config/Loopscope/runs')
    expect(dataDir({ env: { XDG_DATA_HOME: '/x' }, platform: 'linux', home: '/home/a' })).toBe('/x/loopscope')
    expect(dataDir({ env: { XDG_DATA_HOME: 'relative' }, platform: 'linux', home: '/home/a' })).toBe(
      '/home/a/.local/share/loopscope'
    )
    expect(dataDir({ env: {}, platform: 'darwin', home: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/Loopscope'
    )
  })

  it('keeps 200 runs unless LOOPSCOPE_KEEP_RUNS says otherwise, and refuses a bad value in words', () => {
    expect(keepRuns({})).toBe(200)
    expect(keepRuns({ LOOPSCOPE_KEEP_RUNS: '5' })).toBe(5)
    expect(() => keepRuns({ LOOPSCOPE_KEEP_RUNS: '0' })).toThrow(
      'LOOPSCOPE_KEEP_RUNS must be an integer number of runs from 1 to 10000 (got "0")'
    )
    expect(() => keepRuns({ LOOPSCOPE_KEEP_RUNS: '1e3' })).toThrow(/got "1e3"/)
  })
})
