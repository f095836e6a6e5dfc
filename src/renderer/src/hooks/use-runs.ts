/**
 * The saved runs as the Runs view sees them: the list (newest first, refreshed when a run is saved), the last
 * refusal in words (an import, a rename…: it names the file or the run, and nothing was changed), a saved run open
 * in the dashboard (its frames in a window of their own, so live frames never mix into it), and the runs being
 * compared. Actions go through the LabClient only.
 */
import type { RunExport, RunExportFormat } from '../../../shared/contract'
import type { ErrorInfo } from '../../../shared/errors'
import type { Summary } from '../../../shared/frame'
import { runFrames, runSummary, type RunEntry, type RunFile } from '../../../shared/run-file'
import { EMPTY_WINDOW, pushFrame, type FrameWindow } from '../frames/frame-window'
import { createClientState } from './client-state'

/** A saved run shown in the dashboard: what it is, its charts' window (as at its end) and its summary. */
export interface OpenRun {
  id: string
  name: string
  startedAt: string
  window: FrameWindow
  summary: Summary
  /** its summary panel is open (closing it keeps the run open; the tiles still show its figures) */
  summaryShown: boolean
}

export interface RunsState {
  /** null until the first list arrives */
  entries: RunEntry[] | null
  /** the last refusal, to show in the Runs view until the next action */
  error: ErrorInfo | null
  open: OpenRun | null
  /** the runs in the compare view, in the order chosen */
  comparing: RunFile[] | null
  /** the run saved last while this page was open (a run that ended here or in another window) */
  lastSaved: RunEntry | null
  /** a run has ended and its save has not been said yet (saved, or failed): "compare with the previous" waits */
  saving: boolean
  /** what is in progress, to disable its button: an import, an open, a compare, or an export "id:format" */
  busy: string | null
}

const initial = (): RunsState => ({
  entries: null,
  error: null,
  open: null,
  comparing: null,
  lastSaved: null,
  saving: false,
  busy: null
})

/** The frames replayed through the same path live frames take: the charts show the run as they did at its end. */
export function openRunOf(run: RunFile): OpenRun {
  let window = EMPTY_WINDOW
  for (const frame of runFrames(run)) window = pushFrame(window, frame)
  return { id: run.id, name: run.name, startedAt: run.startedAt, window, summary: runSummary(run), summaryShown: true }
}

/** The most runs the compare view takes (and the fewest). */
export const COMPARE_RUNS = { min: 2, max: 4 } as const

export const useRuns = createClientState({
  initial,
  connect(client, store) {
    const refresh = async (): Promise<void> => {
      const reply = await client.runList()
      if (reply.ok) store.set((s) => ({ ...s, entries: reply.value }))
    }
    // every summary is of a run that the host then saves (or says it could not)
    client.onSummary(() => store.set((s) => ({ ...s, saving: true })))
    client.onError((error) => {
      if (error.code === 'LOOPSCOPE_ERR_RUNS_WRITE') store.set((s) => ({ ...s, saving: false }))
    })
    client.onRunSaved((entry) => {
      store.set((s) => ({ ...s, lastSaved: entry, saving: false }))
      void refresh()
    })
    client.onConnection((connected) => {
      if (connected) void refresh()
    })
  },
  actions(client, store) {
    const refresh = async (): Promise<void> => {
      const reply = await client.runList()
      if (reply.ok) store.set((s) => ({ ...s, entries: reply.value }))
      else store.set((s) => ({ ...s, error: reply.error }))
    }
    /** runs `work` with `busy` set, and says its refusal; returns its value, or null when refused */
    async function doing<T>(
      busy: string,
      work: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>
    ): Promise<T | null> {
      store.set((s) => ({ ...s, busy, error: null }))
      const reply = await work()
      store.set((s) => ({ ...s, busy: null, error: reply.ok ? null : reply.error }))
      return reply.ok ? reply.value : null
    }
    async function getAll(ids: readonly string[]): Promise<RunFile[] | null> {
      const runs: RunFile[] = []
      for (const id of ids) {
        const run = await doing('compare', () => client.runGet(id))
        if (!run) return null
        runs.push(run)
      }
      return runs
    }
    return {
      refresh,
      async rename(id: string, name: string): Promise<boolean> {
        const entry = await doing(`rename:${id}`, () => client.runRename(id, name))
        if (!entry) return false
        store.set((s) => ({
          ...s,
          entries: s.entries?.map((e) => (e.id === id ? entry : e)) ?? null,
          open: s.open?.id === id ? { ...s.open, name: entry.name } : s.open
        }))
        return true
      },
      async remove(id: string): Promise<void> {
        await doing(`delete:${id}`, () => client.runDelete(id))
        if (store.get().error) return
        store.set((s) => ({
          ...s,
          entries: s.entries?.filter((e) => e.id !== id) ?? null,
          open: s.open?.id === id ? null : s.open
        }))
      },
      async importText(text: string, fileName: string): Promise<RunEntry | null> {
        const entry = await doing('import', () => client.runImport(text, fileName))
        if (entry) await refresh()
        return entry
      },
      /** a refusal the page itself makes (a file it cannot read), shown as the host's are */
      refuse: (error: ErrorInfo) => store.set((s) => ({ ...s, error })),
      /** the export as text, for the view to save as a download; null when refused (the refusal is shown) */
      exportRun: (id: string, format: RunExportFormat): Promise<RunExport | null> =>
        doing(`${id}:${format}`, () => client.runExport(id, format)),
      async openRun(id: string): Promise<boolean> {
        const run = await doing('open', () => client.runGet(id))
        if (!run) return false
        store.set((s) => ({ ...s, open: openRunOf(run) }))
        return true
      },
      closeRun: () => store.set((s) => ({ ...s, open: null })),
      hideSummary: () => store.set((s) => ({ ...s, open: s.open && { ...s.open, summaryShown: false } })),
      async compare(ids: readonly string[]): Promise<boolean> {
        const runs = await getAll(ids)
        if (runs) store.set((s) => ({ ...s, comparing: runs }))
        return runs !== null
      },
      /** the run saved last and the one before it (the list is newest first) */
      async comparePrevious(): Promise<boolean> {
        await refresh()
        const entries = store.get().entries ?? []
        if (entries.length < COMPARE_RUNS.min) return false
        const runs = await getAll([entries[1]!.id, entries[0]!.id])
        if (runs) store.set((s) => ({ ...s, comparing: runs }))
        return runs !== null
      },
      closeCompare: () => store.set((s) => ({ ...s, comparing: null })),
      dismissError: () => store.set((s) => ({ ...s, error: null }))
    }
  }
})
