/**
 * The front door's part of the frames (sampler/hold.ts) through a restart: restarting from the drain on, "no app"
 * only from the old process's end to the new one's start, and the app's processes the summary names.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { HoldFigures } from '../../src/main/lab/sampler/hold'
import type { FrontDoorCounts } from '../../src/main/lab/front-door'
import { withDefaults } from '../../src/shared/settings'

const counts = (): FrontDoorCounts => ({
  held: true,
  waiting: 20,
  atApp: 0,
  holds: 1,
  heldRequests: 20,
  longestHoldMs: 500,
  failedAtApp: { reset: 0, refused: 0 }
})

describe('a restart behind the front door, frame by frame', () => {
  it('restarting from the drain on; no app only between the old process going and the new one listening', () => {
    const s = new Sampler(withDefaults({ frontDoor: true }), 0)
    s.useFrontDoor(new HoldFigures(counts, 1000))
    expect(s.frame(100).hold).toMatchObject({ restarting: false, appDown: false, appPid: 1000 })
    s.restartBegan()
    // the drain: what is at the old app finishes first; the old app is there
    expect(s.frame(200).hold).toMatchObject({ restarting: true, appDown: false, appPid: 1000 })
    s.appGone()
    expect(s.frame(300).hold).toMatchObject({ restarting: true, appDown: true })
    s.restartEnded(1001)
    expect(s.frame(400).hold).toMatchObject({ restarting: false, appDown: false, appPid: 1001 })
    expect(s.summary('stopped', 400, null, 400).hold).toMatchObject({ restarts: 1, appPids: [1000, 1001] })
  })
})
