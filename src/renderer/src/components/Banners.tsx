/** Errors in words, in the window: dismissable, and with "Restart" when the subject died or could not start. */
import { memo, type ReactNode } from 'react'
import { bannerWords } from '../banner-words'
import type { Banner } from '../hooks/use-run'

export const Banners = memo(function Banners(props: {
  banners: Banner[]
  connected: boolean
  transport: 'ipc' | 'websocket'
  onDismiss(id: number): void
  onRestart(): void
}): ReactNode {
  return (
    <div className="banners" aria-live="assertive">
      {!props.connected && props.transport === 'websocket' && (
        <div className="banner banner-warn" role="alert" data-testid="banner-disconnected">
          <p>
            <strong>Not connected to the Loopscope host.</strong> Reconnecting… (is <code>npm run web</code> still
            running?)
          </p>
        </div>
      )}
      {props.banners.map((b) => {
        const words = bannerWords(b.error)
        return (
          <div className="banner" role="alert" key={b.id} data-testid="banner" data-code={b.error.code}>
            <p>
              <strong>{words.title}</strong>
              {words.detail && ` ${words.detail}`}
            </p>
            {b.restart && (
              <button type="button" data-testid="restart" onClick={props.onRestart}>
                Restart
              </button>
            )}
            <button type="button" className="ghost" aria-label="Dismiss" onClick={() => props.onDismiss(b.id)}>
              ✕
            </button>
          </div>
        )
      })}
    </div>
  )
})
