/**
 * A saved run for unit tests, built the way the recorder builds one: frames of a run that goes blocking at 1 s (a
 * mark), stalls, and has a long-poll part on some frames; its summary has every field the contract has.
 */
import { makeFrame } from '../unit/renderer-fixtures'
import type { BlockedStack } from '../../src/shared/blocked-stack'
import { emptyErrorCounts, type Frame, type Summary } from '../../src/shared/frame'
import { buildRunFile, type RunFile } from '../../src/shared/run-file'
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings'
import type { TimelineBar } from '../../src/shared/timeline'

export const MARK = { t: 1000, label: 'blocking on', patch: { blocking: true } }
/** What the stalled frames were stuck in: the frames from 13 on carry it (the first stall frame has none yet). */
export const FIXTURE_STACK: BlockedStack = {
  frames: [
    { functionName: 'waitBlocking', file: 'pool-task.js', line: 16, column: 3, kind: 'user' },
    { functionName: '', file: 'routes.ts', line: 15, column: 5, kind: 'user' },
    { functionName: 'runPreParsing', file: 'handleRequest.js', line: 90, column: 7, kind: 'library' }
  ],
  native: null
}

export function fixtureFrames(count = 30): Frame[] {
  return Array.from({ length: count }, (_, i) =>
    makeFrame(i * 100 + 3, {
      completed: i * 5,
      rps: i < 3 ? null : 50 - i,
      latencyMs: i < 2 ? null : { p50: 200 + i, p90: 210 + i, p99: 220 + i, max: 230 + i },
      stalled: i >= 12 && i < 20,
      stallMs: i >= 12 && i < 20 ? (i - 11) * 100 : 3,
      blockedStack: i >= 13 && i < 20 ? FIXTURE_STACK : null,
      loopTurnsPerS: i >= 12 && i < 20 ? 0 : 1200 + i,
      eventsPerTurn: i >= 12 && i < 20 ? null : 1.5,
      marks: i === 10 ? [MARK] : [],
      push:
        i % 2 === 0
          ? {
              transport: i < 20 ? 'long-poll' : 'sse',
              subscribers: 10,
              held: 9,
              deliveriesPerS: i < 4 ? null : 4.5,
              deliveryMs: i < 4 ? null : { p50: 1, p90: 2, p99: 3, max: 4 },
              timeoutsPerS: 0,
              requestsPerS: i < 4 ? null : 4.5,
              bytesInPerDelivery: i < 4 ? null : 310.5,
              bytesOutPerDelivery: i < 4 ? null : 92,
              cpuPerDeliveryUs: i < 4 ? null : 40.2,
              published: i,
              bytesPerHeld: i > 6 ? 7000 : null,
              limitNote: i === 8 ? 'only 9, because, of "limits"' : null,
              others:
                i === 20
                  ? [
                      {
                        transport: 'long-poll',
                        subscribers: 3,
                        deliveriesPerS: 1,
                        deliveryMs: null,
                        timeoutsPerS: 0,
                        requestsPerS: 1,
                        bytesInPerDelivery: 300,
                        bytesOutPerDelivery: 90
                      }
                    ]
                  : []
            }
          : null
    })
  )
}

export function fixtureSummary(): Summary {
  return {
    settings: { ...DEFAULT_SETTINGS, blocking: true, delayMs: 200, concurrency: 20, requests: 100 },
    reason: 'requests',
    completed: 100,
    errors: 0,
    errorsByKind: emptyErrorCounts(),
    durationMs: 3012,
    rps: 33.2,
    theoryRps: 5,
    latencyMs: { min: 200.1, mean: 800.5, p50: 700, p90: 1500, p99: 2100, max: 2200 },
    percentilesMs: [50, 66, 75, 80, 90, 95, 98, 99, 100].map((percentile) => ({
      percentile,
      ms: 200 + percentile * 20
    })),
    loop: { delayP99Ms: 800, maxStallMs: 800, utilization: 0.7 },
    maxInFlight: 20,
    maxQueued: 19,
    unanswered: { count: 0, oldestWaitMs: null },
    marks: [MARK],
    push: null,
    blockedStacks: [{ stack: FIXTURE_STACK, stalledMs: 800, stalls: 4 }]
  }
}

/** A saved run of the fixture's frames and summary; `settings` goes over the fixture's (blocking 200 ms, c 20). */
export function fixtureRun(
  overrides: Partial<{
    id: string
    name: string
    startedAt: string
    frames: Frame[]
    settings: Partial<Settings>
    summary: Summary
    timelineBars: TimelineBar[]
  }> = {}
): RunFile {
  return buildRunFile({
    id: overrides.id ?? '20261202-000000-000-abcd',
    name: overrides.name ?? 'blocking at 1 s',
    startedAt: overrides.startedAt ?? '2026-12-02T00:00:00.000Z',
    appVersion: '0.1.0',
    settings: { ...DEFAULT_SETTINGS, delayMs: 200, concurrency: 20, requests: 100, ...overrides.settings },
    frames: overrides.frames ?? fixtureFrames(),
    summary: overrides.summary ?? fixtureSummary(),
    errors: [],
    subjectUrl: 'http://127.0.0.1:40000',
    ...(overrides.timelineBars && { timelineBars: overrides.timelineBars })
  })
}
