/**
 * Measurement hooks for the renderer bench, only with `?probe=1` in the URL: the time from a frame's arrival to the
 * page having applied it (store update, React render and commit, effects), read after a macrotask so work React
 * defers to microtasks is included.
 */
import type { LabClient } from './client/lab-client'
import { frameHooks, useFrames } from './hooks/use-frames'
import type { Frame } from '../../shared/frame'

declare global {
  interface Window {
    __loopscopeProbe?: {
      applyMs: number[]
      apply(frame: Frame): Promise<number>
      drawn(): number
    }
  }
}

const MAX_SAMPLES = 10_000

function afterMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => resolve()
    ch.port2.postMessage(null)
  })
}

export function installProbe(client: LabClient): void {
  if (!new URLSearchParams(location.search).has('probe')) return
  const applyMs: number[] = []
  const record = (ms: number): void => {
    if (applyMs.length >= MAX_SAMPLES) applyMs.shift()
    applyMs.push(ms)
  }
  frameHooks.onApplied = (t0) => void afterMacrotask().then(() => record(performance.now() - t0))
  const frames = useFrames.storeFor(client)
  window.__loopscopeProbe = {
    applyMs,
    async apply(frame) {
      const t0 = performance.now()
      frames.actions.push(frame)
      await afterMacrotask()
      const ms = performance.now() - t0
      record(ms)
      return ms
    },
    drawn: () => frames.store.get().drawn
  }
}
