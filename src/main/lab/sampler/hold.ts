/**
 * The front door's figures as a frame and a summary see them: whether traffic is held, how many requests wait at
 * the door and how many are at the app, and the app's process (which a restart replaces). The door counts; this
 * part reads its counts at each frame and keeps the run's restarts. Exact counts: nothing here is sampled.
 */
import type { HoldFrame, HoldSummary } from '../../../shared/frame'
import type { FrontDoorCounts } from '../front-door'

export class HoldFigures {
  private readonly appPids: number[]
  private restarting = false
  private appDown = false

  constructor(
    private readonly counts: (now: number) => FrontDoorCounts,
    appPid: number
  ) {
    this.appPids = [appPid]
  }

  restartBegan(): void {
    this.restarting = true
  }

  /** The old app's process is gone (after the drain): until the new one listens, there is no app. */
  appGone(): void {
    this.appDown = true
  }

  /** The new app is listening; `pid` is its process. */
  restartEnded(pid: number): void {
    this.restarting = false
    this.appDown = false
    this.appPids.push(pid)
  }

  frame(now: number): HoldFrame {
    const c = this.counts(now)
    return {
      held: c.held,
      waiting: c.waiting,
      atApp: c.atApp,
      restarting: this.restarting,
      appDown: this.appDown,
      appPid: this.appPids.at(-1)!
    }
  }

  summary(now: number): HoldSummary {
    const c = this.counts(now)
    return {
      holds: c.holds,
      heldRequests: c.heldRequests,
      longestHoldMs: c.longestHoldMs,
      restarts: this.appPids.length - 1,
      appPids: [...this.appPids],
      failedAtApp: c.failedAtApp
    }
  }
}
