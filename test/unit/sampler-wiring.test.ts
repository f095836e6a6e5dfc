/**
 * The Sampler as the composer of its parts: each input reaches the part that owns its figure, at the run's own
 * time (ms since it started, not the host's clock), and a stall is a block only while the work holds the loop.
 */
import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import { buildHistogram, encodeHistogram } from '../../src/main/lab/histogram'
import { emptyErrorCounts } from '../../src/shared/frame'
import { withDefaults, type Settings } from '../../src/shared/settings'
import type { CrowdTick, SubjectReport } from '../../src/main/lab/protocol'
import { pushTick, transportTick } from '../helpers/push-ticks'
import { workerReport } from '../helpers/subject-report'

const STARTED = 10_000

function tick(sent: number, extra: Partial<CrowdTick> = {}): CrowdTick {
  return {
    type: 'tick',
    at: 0,
    sent,
    completed: 0,
    errors: emptyErrorCounts(),
    latencyHistogram: encodeHistogram(buildHistogram()),
    latencyMinMs: null,
    latencyMaxMs: null,
    inFlight: sent,
    push: null,
    ...extra
  }
}

const upstreamReport = (worker: number, waitingForConnection: number): SubjectReport => ({
  ...workerReport(worker),
  upstream: { up: true, waitingForConnection, failed: 0 }
})

describe('the Sampler hands each input to its part', () => {
  it('times frames, changes and notes from the run’s start, and puts each in the next frame only', () => {
    const s = new Sampler(withDefaults({}), STARTED)
    s.change(withDefaults({ concurrency: 10 }), { label: 'c 100 → 10', patch: { concurrency: 10 } }, STARTED + 1249)
    s.note('app restarted', STARTED + 1300)
    const f = s.frame(STARTED + 1400)
    expect(f.t).toBe(1400)
    expect(f.marks).toEqual([
      { t: 1249, label: 'c 100 → 10', patch: { concurrency: 10 } },
      { t: 1300, label: 'app restarted', patch: {} }
    ])
    expect(s.frame(STARTED + 1500).marks).toEqual([])
    expect(s.summary('stopped', 1500, null, STARTED + 1500).marks.map((m) => m.t)).toEqual([1249, 1300])
  })

  it('takes the backend’s own lines, and drops a gone process’s calls waiting for a connection', () => {
    const s = new Sampler(withDefaults({ work: 'upstream', processes: 2 }), 0)
    s.subjectReport(upstreamReport(1, 6), 100)
    s.subjectReport(upstreamReport(2, 4), 100)
    s.backendReport({ inFlight: 7, answered: 3, answerMs: [200, 210, 220] }, 100)
    expect(s.frame(150).upstream).toMatchObject({ backendInFlight: 7, waitingForConnection: 10 })
    s.processGone(2)
    expect(s.frame(250).upstream).toMatchObject({ waitingForConnection: 6 })
    expect(s.summary('stopped', 250, null, 250).upstream).toMatchObject({ answered: 3, maxBackendInFlight: 7 })
    // no backend: no block at all
    const plain = new Sampler(withDefaults({}), 0)
    expect('upstream' in plain.frame(100)).toBe(false)
    expect('upstream' in plain.summary('stopped', 100, null, 100)).toBe(false)
  })

  it('takes the timeline sent while the loop is held, in run time', () => {
    const s = new Sampler(withDefaults({}), STARTED)
    const at = performance.timeOrigin + STARTED
    s.subjectTimeline({
      answered: 1,
      bars: [
        {
          sentAt: at + 100,
          readAt: at + 101,
          handlerAt: at + 102,
          workStartAt: at + 102,
          workEndAt: at + 2102,
          where: 'loop',
          writtenAt: at + 2103
        }
      ]
    })
    expect(s.frame(STARTED + 2200).timeline).toEqual({
      answered: 1,
      bars: [
        {
          sentAt: 100,
          readAt: 101,
          handlerAt: 102,
          workStartAt: 102,
          workEndAt: 2102,
          where: 'loop',
          writtenAt: 2103
        }
      ]
    })
  })

  it("counts a tick at the time the crowd took it, and at its arrival when the crowd's clock is over 2 s off", () => {
    // a closed loop answering 10 every 100 ms, and a wave of 1,000 taken at 8,950 ms
    const rpsWith = (wave: { takenAt: number; arrivesAt: number }): number | null => {
      const s = new Sampler(withDefaults({ concurrency: 10, delayMs: 100 }), 0)
      let rps: number | null = null
      for (let t = 100; t <= 9500; t += 100) {
        s.crowdTick(tick(10, { completed: 10, at: performance.timeOrigin + t - 50 }), t - 50)
        // the wave's tick, on time (before the frame at 9,000 closes) or after
        const due = wave.arrivesAt < 9000 ? 9000 : 9100
        if (t === due)
          s.crowdTick(
            tick(0, { completed: 1000, inFlight: 10, at: performance.timeOrigin + wave.takenAt }),
            wave.arrivesAt
          )
        rps = s.frame(t).rps
      }
      return rps
    }
    const onTime = rpsWith({ takenAt: 8950, arrivesAt: 8950 })
    // 100 a second, and the wave on top
    expect(onTime).toBeGreaterThan(150)
    // 100 ms late, after its frame closed: still counted where it was taken
    expect(rpsWith({ takenAt: 8950, arrivesAt: 9050 })).toBe(onTime)
    // stamped 5 s before it arrived: a clock to distrust, so counted as it arrives, not 5 s back (out of the window)
    expect(rpsWith({ takenAt: 3950, arrivesAt: 8950 })).toBe(onTime)
  })

  it("reads the crowd's own loop from its ticks, and has no figure before one", () => {
    const s = new Sampler(withDefaults({}), 0)
    expect('crowdBusy' in s.frame(50)).toBe(false)
    expect('crowdBusy' in s.summary('stopped', 50, null, 50)).toBe(false)
    s.crowdTick(tick(10, { loop: { idle: 25, active: 75 } }), 100)
    expect(s.frame(150).crowdBusy).toBe(0.75)
    expect(s.summary('stopped', 150, null, 150).crowdBusy).toBe(0.75)
  })

  it('owes the subscribers only the messages after the log’s start', () => {
    const s = new Sampler(withDefaults({ subscribers: 10 }), 0)
    s.logAtStart(40)
    s.crowdTick(tick(0, { push: pushTick('long-poll', [transportTick('long-poll', 0, { subscribers: 10 })]) }), 100)
    expect(s.frame(150).push).toMatchObject({ logStartId: 40 })
    expect(s.summary('stopped', 150, null, 150).push).toMatchObject({ logStartId: 40 })
  })
})

describe('a stall as a block', () => {
  // 100 requests on the wire, all of them active at the loop's last beat
  function sampler(settings: Partial<Settings>): Sampler {
    const s = new Sampler(withDefaults({ concurrency: 100, ...settings }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.heartbeat(100, 100)
    return s
  }

  it('is not one when the work is on threads, or for hello world, whatever blocking says', () => {
    for (const settings of [
      { blocking: true, threads: 4 },
      { blocking: true, route: 'hello' as const }
    ]) {
      expect(sampler(settings).frame(400)).toMatchObject({ stalled: true, active: 100, queued: 0 })
    }
  })

  it('is one from a change to blocking on', () => {
    const s = new Sampler(withDefaults({ concurrency: 100 }), 0)
    s.useInFlightGauge(new Int32Array([100]))
    s.change(
      withDefaults({ concurrency: 100, blocking: true }),
      { label: 'blocking on', patch: { blocking: true } },
      50
    )
    s.heartbeat(100, 100)
    expect(s.frame(400)).toMatchObject({ stalled: true, active: 1, queued: 99 })
  })

  it('still is one for the stall under way when blocking goes off, and is not for a later one', () => {
    const s = sampler({ blocking: true })
    s.change(withDefaults({ concurrency: 100 }), { label: 'blocking off', patch: { blocking: false } }, 200)
    expect(s.frame(400)).toMatchObject({ stalled: true, active: 1, queued: 99 })
    s.heartbeat(1000, 100)
    expect(s.frame(1300)).toMatchObject({ stalled: true, active: 100, queued: 0 })
  })

  it('is not one for a stall that began the very moment blocking went off', () => {
    // the last beat at 100 ms, blocking off at 100 ms: the stall from then on began with the loop no longer held
    const s = sampler({ blocking: true })
    s.change(withDefaults({ concurrency: 100 }), { label: 'blocking off', patch: { blocking: false } }, 100)
    expect(s.frame(400)).toMatchObject({ stalled: true, active: 100, queued: 0 })
  })

  it('is not one after a change of something else on evented work', () => {
    const s = sampler({})
    s.change(withDefaults({ concurrency: 100, timeoutMs: 5000 }), { label: 'timeout', patch: { timeoutMs: 5000 } }, 200)
    expect(s.frame(400)).toMatchObject({ stalled: true, active: 100, queued: 0 })
  })
})
