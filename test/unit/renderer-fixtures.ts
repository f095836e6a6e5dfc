/**
 * A frame as the host sends it, for the renderer's unit tests: a healthy evented run of the 2-s experiment with a
 * full 5-s rate window, every field the contract (src/shared/frame.ts) has. One copy, so a change to the contract
 * is made here once.
 */
import type { Frame } from '../../src/shared/frame'

export function makeFrame(t: number, extra: Partial<Frame> = {}): Frame {
  return {
    t,
    inFlight: 100,
    active: 100,
    queued: 0,
    window: { windowMs: 5000, spanMs: 5000, state: 'full' },
    rps: 50,
    errorsPerS: 0,
    latencyMs: { p50: 2000, p90: 2001, p99: 2010, max: 2020 },
    loopDelayP99Ms: 1,
    loopUtilization: 0.01,
    stallMs: 3,
    stalled: false,
    blockedStack: null,
    loopTurnsPerS: 900,
    eventsPerTurn: 1.2,
    theoryRps: 50,
    rssBytes: 1e8,
    completed: 0,
    errors: 0,
    maxInFlight: 100,
    maxQueued: 0,
    maxStallMs: 8,
    marks: [],
    longPoll: null,
    ...extra
  }
}
