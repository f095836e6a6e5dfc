/**
 * A frame as the host sends it, for the renderer's unit tests: a healthy evented run of the 2-s experiment with a
 * full 5-s rate window, every field the contract (src/shared/frame.ts) has. One copy, so a change to the contract
 * is made here once.
 */
import type { Frame, PushFrame, PushSummary } from '../../src/shared/frame'

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
    push: null,
    ...extra
  }
}

/** The subscribers' part of a frame: long polling, 1,000 subscribers, nothing unusual; `over` changes any of it. */
export function pushFrame(over: Partial<PushFrame> = {}): PushFrame {
  return {
    transport: 'long-poll',
    subscribers: 1000,
    held: 1000,
    deliveriesPerS: 1000,
    deliveryMs: { p50: 20, p90: 25, p99: 30, max: 40 },
    timeoutsPerS: 0,
    requestsPerS: 1000,
    bytesInPerDelivery: 310,
    bytesOutPerDelivery: 90,
    published: 1,
    cpuPerDeliveryUs: 40,
    bytesPerHeld: 9000,
    limitNote: null,
    others: [],
    ...over
  }
}

/** The subscribers' part of a summary (long polling, 10 subscribers, 5 messages, every one delivered). */
export function pushSummary(over: Partial<PushSummary> = {}): PushSummary {
  return {
    transport: 'long-poll',
    subscribers: 10,
    held: 9,
    published: 5,
    delivered: 45,
    owed: 45,
    undelivered: 0,
    missed: 0,
    inFlight: 0,
    drainMs: 3,
    deliveryP50Ms: 1,
    deliveryP99Ms: 3,
    deliveryMaxMs: 4,
    timeouts: 0,
    requests: 50,
    bytesInPerDelivery: 310,
    bytesOutPerDelivery: 90,
    cpuPerDeliveryUs: 40,
    slowConsumersCut: 0,
    refused: 0,
    bytesPerHeld: 8192,
    byTransport: null,
    ...over
  }
}
