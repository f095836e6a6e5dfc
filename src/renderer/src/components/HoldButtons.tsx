/**
 * Hold traffic and Restart the app: the front door's two actions, with what it holds now (from the latest frame).
 * Both need a run started with the front door on; without one they say so instead of acting.
 */
import type { ReactNode } from 'react'
import type { HoldFrame } from '../../../shared/frame'
import { keyHint } from '../keys'

interface Props {
  held: boolean
  holdMaxS: number
  /** the latest frame's; null without a run through the front door */
  hold: HoldFrame | null
  /** a run is on, started with the front door */
  ready: boolean
  /** the Front door setting: on, a run started now has one */
  frontDoor: boolean
  onHold(held: boolean): void
  onRestart(): void
}

export function HoldButtons({ held, holdMaxS, hold, ready, frontDoor, onHold, onRestart }: Props): ReactNode {
  // the last frame of a run stopped mid-restart still says restarting: no run, no restart going on
  const restarting = ready && hold?.restarting === true
  return (
    <div className="field" data-testid="hold-controls">
      <span className="field-label">Traffic</span>
      <div className="hold-buttons">
        <button
          type="button"
          data-testid="hold"
          aria-pressed={held}
          disabled={!ready}
          title={`Hold every request at the front door, or release them in the order they came.${keyHint('hold')}`}
          onClick={() => onHold(!held)}
        >
          {held ? 'Release traffic' : 'Hold traffic'}
        </button>
        <button
          type="button"
          data-testid="restart-app"
          disabled={!ready || restarting}
          title="Replace the app's process with a new one behind the front door (a deploy)."
          onClick={onRestart}
        >
          {restarting ? 'Restarting…' : 'Restart the app'}
        </button>
      </div>
      <p className="field-help" data-testid="hold-status" aria-live="polite">
        {!ready
          ? notReady(frontDoor)
          : hold
            ? `${hold.held ? `Held: ${hold.waiting} waiting at the door` : 'Flowing'} · ${hold.atApp} at the app · process ${hold.appPid}` +
              (held ? ` · released by itself after ${holdMaxS} s` : '')
            : ''}
      </p>
    </div>
  )
}

/** Why the buttons are off: no run, or a run started without the door (the setting applies when a run starts). */
function notReady(frontDoor: boolean): string {
  return frontDoor
    ? 'Front door is on: it takes effect when a run starts; then hold traffic or restart the app here.'
    : 'Needs a run started with Front door on.'
}
