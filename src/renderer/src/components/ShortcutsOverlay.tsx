/** The `?` overlay: every key the dashboard answers to, from the same map the keys go through. */
import { memo, useEffect, useRef, type ReactNode } from 'react'
import { SHORTCUTS } from '../keys'

export const ShortcutsOverlay = memo(function ShortcutsOverlay({ onClose }: { onClose(): void }): ReactNode {
  const closeRef = useRef<HTMLButtonElement>(null)
  // opened from the keyboard, it takes focus, and gives it back to what had it when it closes
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    closeRef.current?.focus()
    return () => before?.focus()
  }, [])
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-h" data-testid="shortcuts">
      <header>
        <h2 id="shortcuts-h">Keys</h2>
        <button ref={closeRef} type="button" className="ghost" aria-label="Close the list of keys" onClick={onClose}>
          ✕
        </button>
      </header>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.action} className="shortcut" data-testid={`shortcut-${s.action}`}>
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' or '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Keys do nothing while you type in a field. F11 is the browser&apos;s own full screen.</p>
    </div>
  )
})
