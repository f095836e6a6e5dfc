/**
 * The Runs view: every saved run, newest first — when, its name, its key figures (req/s against theory, p99, the
 * longest stall, held) — to rename (inline: Enter keeps, Esc leaves it as it was), open in the dashboard, export
 * (JSON, CSV, the HTML report), delete (a second click confirms: a deleted run's file is gone, there is no undo), or
 * select 2–4 of to compare. A run's JSON, `.json.gz` or HTML report comes in by the picker or by a drop anywhere
 * on the view; a refusal shows the host's words (they name the file) and changes nothing.
 */
import { memo, useRef, useState, type ReactNode } from 'react'
import '../runs.css'
import { RUN_EXPORT_FORMATS } from '../../../shared/contract'
import { toErrorInfo } from '../../../shared/errors'
import { RUN_NAME_MAX_CHARS, type RunEntry } from '../../../shared/run-file'
import { END_REASON } from '../frames/tiles'
import { COMPARE_RUNS, useRuns } from '../hooks/use-runs'
import { formatCount, formatMs } from '../scales'
import { downloadText, IMPORT_ACCEPT, readImportFile } from './RunsFiles'

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** "2 Dec 2026, 01:32:05": when a run started, in the viewer's own clock and words. */
export function runWhen(startedAt: string): string {
  return WHEN.format(new Date(startedAt))
}

function RunName({
  entry,
  busy,
  onRename
}: {
  entry: RunEntry
  busy: boolean
  onRename(name: string): Promise<boolean>
}): ReactNode {
  const [editing, setEditing] = useState<string | null>(null)
  if (editing === null) {
    return (
      <span className="run-name-cell">
        <span className="run-name" data-testid="run-name" title={entry.name}>
          {entry.name}
        </span>
        <button
          type="button"
          className="ghost run-rename"
          data-testid="run-rename"
          aria-label={`Rename ${entry.name}`}
          title="Rename this run"
          onClick={() => setEditing(entry.name)}
        >
          ✎
        </button>
      </span>
    )
  }
  const keep = async (): Promise<void> => {
    const name = editing.trim()
    if (name === entry.name) return setEditing(null)
    if (await onRename(name)) setEditing(null)
  }
  return (
    <input
      className="run-name-input"
      data-testid="run-name-input"
      aria-label={`New name for ${entry.name} (Enter keeps it, Esc leaves it as it was)`}
      value={editing}
      maxLength={RUN_NAME_MAX_CHARS}
      disabled={busy}
      autoFocus
      onChange={(e) => setEditing(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault()
          void keep()
        } else if (e.key === 'Escape') {
          // not the page's Esc (close the summary…): only this field's
          e.preventDefault()
          setEditing(null)
        }
      }}
      onBlur={() => setEditing(null)}
    />
  )
}

function DeleteButton({ entry, busy, onDelete }: { entry: RunEntry; busy: boolean; onDelete(): void }): ReactNode {
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button
        type="button"
        className="ghost"
        data-testid="run-delete"
        title="Delete this run (asks once more)"
        onClick={() => setAsking(true)}
      >
        Delete
      </button>
    )
  }
  return (
    <span className="run-confirm" role="group" aria-label={`Delete ${entry.name}?`}>
      <button
        type="button"
        className="danger"
        data-testid="run-delete-confirm"
        disabled={busy}
        autoFocus
        onClick={onDelete}
      >
        Delete it
      </button>
      <button type="button" className="ghost" data-testid="run-delete-cancel" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  )
}

function RunRow(props: {
  entry: RunEntry
  selected: boolean
  selectable: boolean
  onSelect(on: boolean): void
  onOpen(): void
}): ReactNode {
  const { entry: e } = props
  const { state, actions } = useRuns()
  const rowBusy = state.busy !== null && state.busy.includes(e.id)
  return (
    <tr data-testid="run-row" data-run-id={e.id} data-name={e.name} aria-selected={props.selected}>
      <td>
        <input
          type="checkbox"
          data-testid="run-select"
          aria-label={`Select ${e.name} to compare`}
          checked={props.selected}
          disabled={!props.selected && !props.selectable}
          onChange={(ev) => props.onSelect(ev.target.checked)}
        />
      </td>
      <td className="run-when">{runWhen(e.startedAt)}</td>
      <td className="run-name-col">
        <RunName entry={e} busy={rowBusy} onRename={(name) => actions.rename(e.id, name)} />
        <span className="muted run-ended">
          {END_REASON[e.endReason]}, {formatMs(e.durationMs)}
        </span>
      </td>
      <td className="num" data-testid="run-rps">
        {formatCount(e.rps)}
        {e.theoryRps !== null && <span className="muted"> / {formatCount(e.theoryRps)}</span>}
      </td>
      <td className="num">{formatMs(e.p99Ms)}</td>
      <td className="num">{formatMs(e.maxStallMs)}</td>
      <td className="num">{e.held === null ? '–' : formatCount(e.held)}</td>
      <td className="run-actions">
        <button
          type="button"
          data-testid="run-open"
          disabled={state.busy === 'open'}
          title="Show this run's charts and summary in the dashboard"
          onClick={props.onOpen}
        >
          Open
        </button>
        {RUN_EXPORT_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className="ghost"
            data-testid={`run-export-${format}`}
            disabled={state.busy === `${e.id}:${format}`}
            title={EXPORT_HELP[format]}
            onClick={() =>
              void actions
                .exportRun(e.id, format)
                .then((file) => file && downloadText(file.text, file.fileName, file.mimeType))
            }
          >
            {format.toUpperCase()}
          </button>
        ))}
        <DeleteButton entry={e} busy={rowBusy} onDelete={() => void actions.remove(e.id)} />
      </td>
    </tr>
  )
}

const EXPORT_HELP = {
  json: 'Download the run as JSON: every frame and the summary (it can be imported again)',
  csv: 'Download one row per frame, one column per figure, for a spreadsheet',
  html: 'Download a one-file report that opens offline in any browser (it can be imported again)'
} as const

export const RunsView = memo(function RunsView(props: { onOpened(): void; onCompare(): void }): ReactNode {
  const { state, actions } = useRuns()
  const [selected, setSelected] = useState<string[]>([])
  const [dropping, setDropping] = useState(false)
  const picker = useRef<HTMLInputElement>(null)
  const entries = state.entries ?? []
  // a run deleted (here or elsewhere) is no longer selected
  const chosen = selected.filter((id) => entries.some((e) => e.id === id))

  const importFiles = async (files: readonly File[]): Promise<void> => {
    for (const file of files) {
      let text: string
      try {
        text = await readImportFile(file)
      } catch (err) {
        actions.refuse(toErrorInfo(err, 'LOOPSCOPE_ERR_RUNS_NOT_A_RUN'))
        return
      }
      if (!(await actions.importText(text, file.name))) return
    }
  }
  const canCompare = chosen.length >= COMPARE_RUNS.min && chosen.length <= COMPARE_RUNS.max
  return (
    <section
      className={`runs${dropping ? ' runs-dropping' : ''}`}
      data-testid="runs-view"
      aria-labelledby="runs-h"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
        setDropping(true)
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false)
      }}
      onDrop={(e) => {
        e.preventDefault()
        setDropping(false)
        void importFiles([...e.dataTransfer.files])
      }}
    >
      <header className="runs-head">
        <h2 id="runs-h">Saved runs</h2>
        <div className="runs-tools">
          <button
            type="button"
            className="primary"
            data-testid="runs-compare"
            disabled={!canCompare || state.busy === 'compare'}
            title={`Compare the selected runs side by side (select ${COMPARE_RUNS.min} to ${COMPARE_RUNS.max})`}
            onClick={() => void actions.compare(chosen).then((ok) => ok && props.onCompare())}
          >
            Compare{chosen.length > 0 ? ` ${chosen.length}` : ''}
          </button>
          <button
            type="button"
            data-testid="runs-import"
            disabled={state.busy === 'import'}
            title="Import a run's JSON, .json.gz or HTML report"
            onClick={() => picker.current?.click()}
          >
            Import…
          </button>
          <input
            ref={picker}
            type="file"
            hidden
            multiple
            accept={IMPORT_ACCEPT}
            data-testid="runs-import-file"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])]
              e.target.value = ''
              void importFiles(files)
            }}
          />
        </div>
      </header>
      <p className="muted runs-lead">
        Every run is saved when it ends. Select {COMPARE_RUNS.min}–{COMPARE_RUNS.max} to compare; drop a run's .json,
        .json.gz or .html report here to import it.
      </p>
      {state.error && (
        <p className="runs-error" role="alert" data-testid="runs-error" data-code={state.error.code}>
          <span data-testid="runs-error-text">{state.error.message}</span>
          <button type="button" className="ghost" aria-label="Dismiss" onClick={actions.dismissError}>
            ✕
          </button>
        </p>
      )}
      {state.entries !== null && entries.length === 0 ? (
        <p className="runs-empty" data-testid="runs-empty">
          No saved runs yet: start a preset or a lesson, and it is saved here when it ends.
        </p>
      ) : (
        <div className="runs-table-wrap">
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Compare</span>
                </th>
                <th scope="col">When</th>
                <th scope="col">Name</th>
                <th scope="col" className="num" title="Requests per second, measured / the theory's bound">
                  req/s / theory
                </th>
                <th scope="col" className="num">
                  p99
                </th>
                <th scope="col" className="num">
                  Longest stall
                </th>
                <th scope="col" className="num">
                  Held
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <RunRow
                  key={e.id}
                  entry={e}
                  selected={chosen.includes(e.id)}
                  selectable={chosen.length < COMPARE_RUNS.max}
                  onSelect={(on) => setSelected(on ? [...chosen, e.id] : chosen.filter((id) => id !== e.id))}
                  onOpen={() => void actions.openRun(e.id).then((ok) => ok && props.onOpened())}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
})
