/** The frames state: the rolling window the charts and KPI tiles draw, cleared by "Reset" and by a new run. */
import { createClientState } from './client-state'
import { EMPTY_WINDOW, pushFrame, type FrameWindow } from '../frames/frame-window'
import type { Frame } from '../../../shared/frame'

/** Set by the bench/test probe (see probe.ts): called around each frame's application. */
export const frameHooks: { onApplied: ((t0: number) => void) | null } = { onApplied: null }

export const useFrames = createClientState({
  initial: (): FrameWindow => EMPTY_WINDOW,
  connect(client, store) {
    client.onFrame((frame: Frame) => {
      const t0 = performance.now()
      store.set((w) => pushFrame(w, frame))
      frameHooks.onApplied?.(t0)
    })
  },
  actions: (_client, store) => ({
    reset: () => store.set(EMPTY_WINDOW),
    /** the same path a frame from the Lab takes; used by the renderer bench */
    push: (frame: Frame) => store.set((w) => pushFrame(w, frame))
  })
})
