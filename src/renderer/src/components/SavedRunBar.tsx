/**
 * The line over a saved run open in the dashboard: it says, before any figure, that this is not live — the run's
 * name and when it ran — and offers the way back to live (the live charts kept going meanwhile, in their own window).
 */
import type { ReactNode } from 'react'
import { runWhen } from './RunsView'

export function SavedRunBar(props: {
  name: string
  startedAt: string
  onBack(): void
  onRuns(): void
  onPng(): void
}): ReactNode {
  return (
    <div className="saved-run-bar" role="status" data-testid="saved-run" data-name={props.name}>
      <span className="saved-run-text">
        <strong>Saved run, not live:</strong> <span data-testid="saved-run-name">{props.name}</span>,{' '}
        {runWhen(props.startedAt)}
      </span>
      <span className="saved-run-actions" data-png-skip>
        <button
          type="button"
          className="ghost"
          data-testid="png"
          title="Download a PNG of the dashboard as it is on screen"
          onClick={props.onPng}
        >
          ⤓ PNG
        </button>
        <button type="button" className="ghost" data-testid="saved-run-list" onClick={props.onRuns}>
          ☰ All runs
        </button>
        <button type="button" className="primary" data-testid="back-to-live" onClick={props.onBack}>
          ● Back to live
        </button>
      </span>
    </div>
  )
}
