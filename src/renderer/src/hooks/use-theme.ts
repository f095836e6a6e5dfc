/** Follows the system's light/dark preference, live. */
import { useSyncExternalStore } from 'react'
import { DARK, LIGHT, type Palette } from '../palette'

const query = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)')

function subscribe(listener: () => void): () => void {
  const mq = query()
  mq.addEventListener('change', listener)
  return () => mq.removeEventListener('change', listener)
}

export function usePalette(): Palette {
  const dark = useSyncExternalStore(subscribe, () => query().matches)
  return dark ? DARK : LIGHT
}
