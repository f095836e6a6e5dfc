/**
 * A lesson's settings do not leak into the next run. A lesson step sets every setting it depends on (work = CPU,
 * a 20-ms delay, …) and the Lab keeps them for the next run, as it keeps any setting; so the settings the next run
 * would have had before the lesson's first step are kept here, and put back as soon as the lesson's run ends (its
 * budget, its duration, or Stop). The line that says so offers to keep the lesson's settings instead. A run that
 * ended by an error (a dead subject) is the exception: its banner offers Restart, "a new run with the same
 * settings", so they stay until the restarted run ends (or the next lesson step starts). A step started while a lesson's run is on keeps the same "before": it is the settings before the lesson,
 * not before the step.
 */
import { DEFAULT_SETTINGS, diffSettings, type Settings, type SettingsPatch } from '../../../shared/settings'
import type { LabClient } from '../client/lab-client'
import { createClientState, type Store } from './client-state'
import { useRun } from './use-run'

export interface LessonRunsState {
  /** the next run's settings before the lesson's first run; null when no lesson's run is on */
  before: Settings | null
  /** a step is starting its run (stopping the one on now first): that stop is not the lesson's run ending */
  starting: boolean
  /** the lesson's run ended by an error: its settings stay for Restart */
  crashed: boolean
  /** the settings just put back, to say which, and the lesson's values of them, to keep those instead */
  restored: { fields: (keyof Settings)[]; lessonValues: SettingsPatch } | null
}

/** The name a lesson step's run is saved under: "<lesson title> · step N" (N from 1, as the panel counts). */
export function lessonStepLabel(lessonTitle: string, index: number): string {
  return `${lessonTitle} · step ${index + 1}`
}

const initial = (): LessonRunsState => ({ before: null, starting: false, crashed: false, restored: null })

async function restore(client: LabClient, store: Store<LessonRunsState>, current: Settings): Promise<void> {
  const { before, starting, crashed } = store.get()
  if (before === null || starting || crashed) return
  store.set((s) => ({ ...s, before: null }))
  const back = diffSettings(current, before)
  const fields = Object.keys(back) as (keyof Settings)[]
  if (fields.length === 0) return
  const reply = await useRun.storeFor(client).actions.update(back)
  if (!reply.ok) return
  const lessonValues = Object.fromEntries(fields.map((k) => [k, current[k]])) as SettingsPatch
  store.set((s) => ({ ...s, restored: { fields, lessonValues } }))
}

export const useLessonRuns = createClientState({
  initial,
  connect(client, store) {
    // the summary comes before the status that says the run is over
    client.onSummary((summary) =>
      store.set((s) => ({ ...s, crashed: s.before !== null && summary.reason === 'error' }))
    )
    client.onStatus((status) => {
      if (!status.running) void restore(client, store, status.settings)
      // a new run of any kind: the line about the last one has had its moment
      else if (!store.get().starting && store.get().restored) store.set((s) => ({ ...s, restored: null }))
    })
  },
  actions(client, store) {
    const run = () => useRun.storeFor(client)
    return {
      /** a 'run' step: stops the run on now, if any, then starts one with the step's settings */
      async runStep(settings: SettingsPatch, label?: string): Promise<void> {
        const now = run().store.get().status
        store.set((s) => ({
          before: s.before ?? now?.settings ?? DEFAULT_SETTINGS,
          starting: true,
          crashed: false,
          restored: null
        }))
        await run().actions.runFresh(settings, label)
        store.set((s) => ({ ...s, starting: false }))
        // a start that failed leaves the step's settings in the Lab and no run whose end would put them back
        const after = run().store.get().status
        if (!after?.running) await restore(client, store, after?.settings ?? DEFAULT_SETTINGS)
      },
      /** a 'change' step: applied to the run on now (or, with none on, a run with it, saved under `label`) */
      async changeStep(patch: SettingsPatch, label?: string): Promise<void> {
        await run().actions.applyPreset(patch, label)
      },
      /** the lesson's values of the settings put back, for the next run */
      async keepLessonSettings(): Promise<void> {
        const restored = store.get().restored
        if (!restored) return
        const reply = await run().actions.update(restored.lessonValues)
        if (reply.ok) store.set((s) => ({ ...s, restored: null }))
      },
      dismiss: () => store.set((s) => ({ ...s, restored: null }))
    }
  }
})
