/**
 * The runs as the control requests see them (src/main/control.ts): the store, every run of a Lab saved when it
 * ends, and the export formats as text. A save that fails (a full or read-only disk) is said as an error event in
 * words; the run's summary has already been shown, and nothing else is changed.
 */
import { EventEmitter } from 'node:events'
import { toErrorInfo, type ErrorInfo } from '../../shared/errors'
import { runCsv } from '../../shared/run-csv'
import { runToJson, type RunEntry, type RunFile } from '../../shared/run-file'
import { reportHtml } from '../../shared/report/report-html'
import type { RunExport, RunExportFormat } from '../../shared/contract'
import { recordRuns, type RecordableLab } from './record'
import { RunStore, type RunStoreOptions } from './store'

export interface RunsEvents {
  saved: [RunEntry]
  error: [ErrorInfo]
}

/** A file name for an export: the run's id and the format's extension. */
function exportName(run: RunFile, format: RunExportFormat): string {
  return `loopscope-${run.id}.${format === 'json' ? 'json' : format === 'csv' ? 'csv' : 'html'}`
}

const MIME: Record<RunExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html'
}

/** A run in one of the export formats, as text. */
export function exportRun(run: RunFile, format: RunExportFormat): RunExport {
  const text = format === 'json' ? runToJson(run) : format === 'csv' ? runCsv(run) : reportHtml(run)
  return { fileName: exportName(run, format), mimeType: MIME[format], text }
}

export class Runs extends EventEmitter<RunsEvents> {
  readonly store: RunStore
  /** the save in progress, if any: the CLI and the tests wait for it */
  private saving: Promise<unknown> = Promise.resolve()

  constructor(options: RunStoreOptions) {
    super()
    this.store = new RunStore(options)
  }

  /** Saves every run of `lab` when it ends; returns the function that stops. */
  record(lab: RecordableLab, appVersion: string): () => void {
    return recordRuns(lab, {
      appVersion,
      onRun: (run) => {
        this.saving = this.store.save(run).then(
          (entry) => this.emit('saved', entry),
          (err: unknown) => this.emit('error', toErrorInfo(err, 'LOOPSCOPE_ERR_RUNS_WRITE'))
        )
      }
    })
  }

  /** Resolves once the last run handed over is on disk (or its failure said). */
  settled(): Promise<void> {
    return this.saving.then(() => {})
  }

  list(): Promise<RunEntry[]> {
    return this.store.list()
  }
  get(id: string): Promise<RunFile> {
    return this.store.get(id)
  }
  rename(id: string, name: string): Promise<RunEntry> {
    return this.store.rename(id, name)
  }
  delete(id: string): Promise<null> {
    return this.store.delete(id)
  }
  import(text: string, fileName: string | null): Promise<RunEntry> {
    return this.store.import(text, fileName ? `"${fileName}"` : 'the imported text')
  }
  async export(id: string, format: RunExportFormat): Promise<RunExport> {
    return exportRun(await this.store.get(id), format)
  }
}
