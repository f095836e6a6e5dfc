/** Listens for the speaker's keys (keys.ts) on the whole window and calls the matching handler. */
import { useEffect, useRef } from 'react'
import { focusKind, keyAction, type KeyAction } from '../keys'

export function useShortcuts(handlers: Record<KeyAction, () => void>): void {
  // the latest handlers, without re-adding the listener at every render
  const ref = useRef(handlers)
  ref.current = handlers
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.repeat) return
      const focused = document.activeElement === document.body ? null : document.activeElement
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        focus: focusKind(focused as HTMLInputElement | null)
      })
      if (action === null) return
      e.preventDefault()
      ref.current[action]()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
