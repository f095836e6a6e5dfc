/**
 * The run state: whether a run is on, its settings, the last summary, and the errors to show in words (a banner for
 * the run, a line next to the field a refused value came from). Actions go through the LabClient only.
 */
import type { LabStatus, Reply } from '../../../shared/contract'
import type { ErrorCode, ErrorInfo } from '../../../shared/errors'
import type { Summary } from '../../../shared/frame'
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../../shared/settings'
import { createClientState, type Store } from './client-state'
import { useFrames } from './use-frames'
import { useRuns } from './use-runs'

export interface Banner {
  id: number
  error: ErrorInfo
  /** offers "Restart": start a new run with the same settings */
  restart: boolean
}

/** a refused value, kept as data (its code and the value sent), so the form can say it in its own words */
export interface FieldError {
  code: ErrorCode
  value: unknown
}
export type FieldErrors = Partial<Record<keyof Settings, FieldError>>

export interface RunState {
  connected: boolean
  status: LabStatus | null
  summary: Summary | null
  busy: 'start' | 'stop' | null
  fieldErrors: FieldErrors
  banners: Banner[]
}

const initial = (): RunState => ({
  connected: false,
  status: null,
  summary: null,
  busy: null,
  fieldErrors: {},
  banners: []
})

let bannerId = 0
const MAX_BANNERS = 4

function addBanner(store: Store<RunState>, error: ErrorInfo): void {
  const restart =
    error.code === 'LOOPSCOPE_ERR_SUBJECT_EXITED' ||
    error.code === 'LOOPSCOPE_ERR_SUBJECT_START' ||
    error.code === 'LOOPSCOPE_ERR_CROWD_FAILED'
  store.set((s) => {
    // the same error again replaces the old banner instead of stacking up
    const others = s.banners.filter((b) => b.error.code !== error.code || b.error.message !== error.message)
    return { ...s, banners: [...others, { id: ++bannerId, error, restart }].slice(-MAX_BANNERS) }
  })
}

function withoutFields(errors: FieldErrors, patch: SettingsPatch): FieldErrors {
  const next = { ...errors }
  for (const key of Object.keys(patch)) delete next[key as keyof Settings]
  return next
}

/**
 * The setting a refusal is about, when it is one of the patch's: the host says which as data (`ErrorInfo.field`),
 * never to be read back out of the message's words.
 */
export function fieldOfRefusal(error: ErrorInfo, patch: SettingsPatch): keyof Settings | null {
  const field = error.field
  return field !== undefined && Object.hasOwn(patch, field) ? (field as keyof Settings) : null
}

export const useRun = createClientState({
  initial,
  connect(client, store) {
    // a run that starts (here, or from another window of the same host) clears the last one's summary: the tiles
    // and the lessons then read the new run, never the old run's figures as if they were its own
    client.onStatus((status) =>
      store.set((s) => ({ ...s, status, summary: status.running && !s.status?.running ? null : s.summary }))
    )
    client.onSummary((summary) => store.set((s) => ({ ...s, summary })))
    client.onError((error) => addBanner(store, error))
    client.onConnection((connected) => {
      store.set((s) => ({ ...s, connected }))
      if (connected) {
        void client.status().then((reply) => {
          if (reply.ok) store.set((s) => ({ ...s, status: reply.value }))
        })
      }
    })
  },
  actions(client, store) {
    const frames = () => useFrames.storeFor(client).actions

    /** `label` names the saved run (a preset's title, a lesson step); without one the host names it by its settings */
    async function start(patch?: SettingsPatch, label?: string): Promise<boolean> {
      const settings = { ...(store.get().status?.settings ?? DEFAULT_SETTINGS), ...patch }
      store.set((s) => ({ ...s, busy: 'start' }))
      const reply = await client.start(label === undefined ? settings : { ...settings, label })
      if (reply.ok) {
        frames().reset()
        // a run started here is what the user wants to watch: a saved run open in the dashboard gives way to it
        useRuns.storeFor(client).actions.closeRun()
        // a new run has its settings from the start: a value refused before it is no longer the form's concern
        store.set((s) => ({
          ...s,
          busy: null,
          status: reply.value,
          summary: null,
          fieldErrors: {},
          banners: s.banners.filter((b) => !b.restart)
        }))
        return true
      }
      store.set((s) => ({ ...s, busy: null }))
      addBanner(store, reply.error)
      return false
    }

    async function stop(): Promise<Summary | null> {
      store.set((s) => ({ ...s, busy: 'stop' }))
      const reply = await client.stop()
      store.set((s) => ({ ...s, busy: null, summary: reply.ok ? (reply.value ?? s.summary) : s.summary }))
      if (!reply.ok) addBanner(store, reply.error)
      const status = await client.status()
      if (status.ok) store.set((s) => ({ ...s, status: status.value }))
      return reply.ok ? reply.value : null
    }

    /** Applies a change at once (to the running experiment, or to the next run). Refusals land next to the field. */
    async function update(patch: SettingsPatch): Promise<Reply<LabStatus>> {
      const reply = await client.update(patch)
      if (reply.ok) {
        store.set((s) => ({ ...s, status: reply.value, fieldErrors: withoutFields(s.fieldErrors, patch) }))
      } else {
        const field = fieldOfRefusal(reply.error, patch)
        if (field)
          store.set((s) => ({
            ...s,
            fieldErrors: { ...s.fieldErrors, [field]: { code: reply.error.code, value: patch[field] } }
          }))
        else addBanner(store, reply.error)
      }
      return reply
    }

    /**
     * A new run with these settings, stopping the one on now first: busy from the first click to the new run, so
     * neither Start nor a second click can slip in between, and the stopped run's summary is not shown.
     */
    async function runFresh(patch: SettingsPatch, label?: string): Promise<boolean> {
      if (store.get().busy !== null) return false
      store.set((s) => ({ ...s, busy: 'start' }))
      if (store.get().status?.running) {
        const stopped = await client.stop()
        if (!stopped.ok && stopped.error.code !== 'LOOPSCOPE_ERR_RUN_IDLE') {
          store.set((s) => ({ ...s, busy: null }))
          addBanner(store, stopped.error)
          return false
        }
      }
      return start(patch, label)
    }

    return {
      start,
      stop,
      runFresh,
      update,
      /** a dead subject, or a failed start: a new run with the same settings */
      restart: (): Promise<boolean> => runFresh({}),
      /** a preset: its settings, then a run with them if none is on */
      applyPreset: async (patch: SettingsPatch, label?: string): Promise<void> => {
        if (store.get().status?.running) {
          const reply = await update(patch)
          if (!reply.ok) addBanner(store, reply.error)
        } else {
          await start(patch, label)
        }
      },
      broadcast: async (text: string): Promise<boolean> => {
        const reply = await client.broadcast(text)
        if (!reply.ok) addBanner(store, reply.error)
        return reply.ok
      },
      restartApp: async (): Promise<boolean> => {
        const reply = await client.restartApp()
        if (!reply.ok) addBanner(store, reply.error)
        return reply.ok
      },
      dismiss: (id: number) => store.set((s) => ({ ...s, banners: s.banners.filter((b) => b.id !== id) })),
      /** drops the banners of one error code (one that no longer says how things are) */
      dismissCode: (code: ErrorCode) =>
        store.set((s) =>
          s.banners.some((b) => b.error.code === code)
            ? { ...s, banners: s.banners.filter((b) => b.error.code !== code) }
            : s
        ),
      clearFieldError: (field: keyof Settings) =>
        store.set((s) => ({ ...s, fieldErrors: withoutFields(s.fieldErrors, { [field]: undefined }) })),
      closeSummary: () => store.set((s) => ({ ...s, summary: null }))
    }
  }
})
