/**
 * A key that flips a switch of the settings (b: blocking, g: hold). Each press flips what was last asked for, not
 * what the host last said: the host's answer to the first press comes a round trip later, so a quick second press
 * that read the settings on screen would ask for the same value again (seen: b, b left the loop blocked). What was
 * asked is forgotten once the settings on screen show it, or the host refuses it.
 */
import { useCallback, useEffect, useRef } from 'react'

export function useSwitch(shown: boolean, ask: (next: boolean) => Promise<{ ok: boolean }>): () => void {
  const asked = useRef<boolean | null>(null)
  useEffect(() => {
    if (asked.current === shown) asked.current = null
  }, [shown])
  return useCallback(() => {
    const next = !(asked.current ?? shown)
    asked.current = next
    void ask(next).then((reply) => {
      if (!reply.ok && asked.current === next) asked.current = null
    })
  }, [shown, ask])
}
