import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { dispatch, forwardEvents, type RunsLike } from '../../src/main/control'
import { exportRun } from '../../src/main/runs/runs'
import type { RunExportFormat } from '../../src/shared/contract'
import { runEntry, type RunEntry, type RunFile } from '../../src/shared/run-file'
import { fixtureRun } from '../helpers/run-fixture'
import { FakeLab } from './control-fake-lab'

/** Records the calls the run requests make; answers from one fixture run. */
class FakeRuns extends EventEmitter implements RunsLike {
  calls: unknown[][] = []
  run = fixtureRun()
  async list(): Promise<RunEntry[]> {
    this.calls.push(['list'])
    return [runEntry(this.run)]
  }
  async get(id: string): Promise<RunFile> {
    this.calls.push(['get', id])
    return this.run
  }
  async rename(id: string, name: string): Promise<RunEntry> {
    this.calls.push(['rename', id, name])
    return { ...runEntry(this.run), name }
  }
  async delete(id: string): Promise<null> {
    this.calls.push(['delete', id])
    return null
  }
  async import(text: string, fileName: string | null): Promise<RunEntry> {
    this.calls.push(['import', text.length, fileName])
    return runEntry(this.run)
  }
  async export(id: string, format: RunExportFormat) {
    this.calls.push(['export', id, format])
    return exportRun(this.run, format)
  }
}

const ID = '20261202-000000-000-abcd'

describe('the run requests', () => {
  it('list, get, rename, delete, import and export reach the runs with validated arguments', async () => {
    const runs = new FakeRuns()
    const lab = new FakeLab()
    expect(await dispatch(lab, 'runList', null, runs)).toMatchObject({
      ok: true,
      value: [{ id: ID, rps: 33.2, p99Ms: 2100 }]
    })
    expect(await dispatch(lab, 'runGet', { id: ID }, runs)).toMatchObject({
      ok: true,
      value: { format: 'loopscope-run', id: ID }
    })
    expect(await dispatch(lab, 'runRename', { id: ID, name: ' before ' }, runs)).toMatchObject({
      ok: true,
      value: { name: 'before' }
    })
    expect(await dispatch(lab, 'runDelete', { id: ID }, runs)).toEqual({ ok: true, value: null })
    expect(await dispatch(lab, 'runImport', { text: '{}', fileName: 'a.json' }, runs)).toMatchObject({ ok: true })
    const csv = await dispatch(lab, 'runExport', { id: ID, format: 'csv' }, runs)
    expect(csv).toMatchObject({ ok: true, value: { fileName: `loopscope-${ID}.csv`, mimeType: 'text/csv' } })
    expect(runs.calls).toEqual([
      ['list'],
      ['get', ID],
      ['rename', ID, 'before'],
      ['delete', ID],
      ['import', 2, 'a.json'],
      ['export', ID, 'csv']
    ])
    expect(lab.calls).toEqual([])
  })

  it('refuses bad arguments in words without calling the runs', async () => {
    const runs = new FakeRuns()
    const cases: [string, unknown, RegExp][] = [
      ['runGet', { id: '../../etc/passwd' }, /^runGet: id must be a saved run's id/],
      ['runGet', null, /^runGet needs \{ id \}/],
      ['runRename', { id: ID, name: '' }, /^runRename: name must be 1 to 200 characters \(got 0\)/],
      ['runRename', { id: ID, name: 'x'.repeat(201) }, /got 201/],
      ['runExport', { id: ID, format: 'pdf' }, /^runExport: format must be "json", "csv", "html" \(got "pdf"\)/],
      ['runImport', { text: 5 }, /^runImport: text must be the run's JSON/],
      ['runList', { all: true }, /^runList takes no arguments/]
    ]
    for (const [name, args, message] of cases) {
      const reply = await dispatch(new FakeLab(), name, args, runs)
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'LOOPSCOPE_ERR_IPC_INVALID', message: expect.stringMatching(message) }
      })
    }
    expect(runs.calls).toEqual([])
  })

  it('says so when the host keeps no runs', async () => {
    expect(await dispatch(new FakeLab(), 'runList', null)).toMatchObject({
      ok: false,
      error: { code: 'LOOPSCOPE_ERR_RUNS_NOT_FOUND' }
    })
  })

  it("passes a start's label to the Lab apart from its settings", async () => {
    const lab = new FakeLab()
    expect((await dispatch(lab, 'start', { delayMs: 300, label: 'Same handler, blocking' })).ok).toBe(true)
    expect(lab.calls).toEqual([{ name: 'start', args: { delayMs: 300 } }])
    expect(lab.labels).toEqual(['Same handler, blocking'])
    const refused = await dispatch(lab, 'start', { label: 42 })
    expect(refused).toMatchObject({ ok: false, error: { message: 'start: label must be a text (got 42)' } })
  })

  it('forwards a saved run as runSaved and a failed save as an error', () => {
    const runs = new FakeRuns()
    const seen: [string, unknown][] = []
    const stop = forwardEvents(new FakeLab(), (name, data) => seen.push([name, data]), runs)
    runs.emit('saved', { id: ID })
    runs.emit('error', { code: 'LOOPSCOPE_ERR_RUNS_WRITE', message: 'could not write x: the disk is full' })
    stop()
    runs.emit('saved', { id: 'later' })
    expect(seen).toEqual([
      ['runSaved', { id: ID }],
      ['error', { code: 'LOOPSCOPE_ERR_RUNS_WRITE', message: 'could not write x: the disk is full' }]
    ])
  })
})
