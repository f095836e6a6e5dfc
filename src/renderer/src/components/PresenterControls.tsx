/**
 * Presenter mode's part of the top bar: the button that enters and leaves it, and, while it is on (the settings
 * panel is hidden then), whether the handler blocks the loop, which the `b` key turns on and off.
 */
import { memo, type ReactNode } from 'react'
import { keyHint } from '../keys'

export const PresenterControls = memo(function PresenterControls(props: {
  on: boolean
  blocking: boolean
  onToggle(): void
}): ReactNode {
  return (
    <>
      {props.on && (
        <span
          className={`pill presenter-blocking${props.blocking ? ' presenter-blocking-on' : ''}`}
          data-testid="presenter-blocking"
          data-blocking={props.blocking}
          role="status"
          title={`Whether each request's work holds the event loop.${keyHint('blocking')}`}
        >
          {props.blocking ? 'Blocking on' : 'Blocking off'}
        </span>
      )}
      <button
        type="button"
        className="ghost"
        data-testid="toggle-presenter"
        aria-pressed={props.on}
        aria-label={props.on ? 'Leave presenter mode' : 'Presenter mode'}
        title={`${props.on ? 'Leave presenter mode' : 'Presenter mode: tiles and charts only, in large type, full screen'}.${keyHint('presenter')}`}
        onClick={props.onToggle}
      >
        {/* the word goes where the top bar is narrow (styles.css): the icon and the tooltip stay */}
        {props.on ? '✕' : '▣'}
        <span className="presenter-word"> {props.on ? 'Leave presenter' : 'Presenter'}</span>
      </button>
    </>
  )
})
