import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import {
  HEARTBEAT_INTERVAL_MS,
  REPORT_INTERVAL_MS,
  type SubjectReport,
  type SubjectToHost
} from '../../src/main/lab/protocol'
import { pickSubject, withDefaults } from '../../src/shared/settings'
import { buildSubject } from '../../src/main/lab/subject/build-subject'
import { LOOP_DELAY_RESOLUTION_MS, startInstrument, type Instrument } from '../../src/main/lab/subject/instrument'
import { waitBlocking } from '../../src/main/lab/subject/work'

const COUNTERS = { active: 3, held: 1, published: 7 }

let instrument: Instrument | null = null
let app: FastifyInstance | null = null

function instrumented(): SubjectToHost[] {
  const sent: SubjectToHost[] = []
  instrument = startInstrument({ send: (message) => sent.push(message), read: () => COUNTERS })
  return sent
}

/** Starts the instrument and notes when each message came. */
function timedSends(): { sent: SubjectToHost[]; at: number[] } {
  const sent: SubjectToHost[] = []
  const at: number[] = []
  instrument = startInstrument({
    send: (message) => (sent.push(message), at.push(performance.now())),
    read: () => COUNTERS
  })
  return { sent, at }
}

const until = async (ok: () => boolean): Promise<void> => {
  while (!ok()) await sleep(5)
}

const reports = (sent: SubjectToHost[]): SubjectReport[] =>
  sent.filter((message): message is SubjectReport => message.type === 'report')

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(async () => {
  instrument?.stop()
  instrument = null
  await app?.close()
  app = null
})

describe('the instrument', () => {
  // Timers fire late on a loaded machine, never early: what is checked is that the beats and reports come, and no
  // much more often than their interval (half of it: a timer rescheduled from a cached loop time can come a few ms early by performance.now()). How late they come is not a test.
  it('sends heartbeats, spaced by its 10-ms interval, each with the active count', async () => {
    const { sent, at } = timedSends()
    await until(() => sent.filter((m) => m.type === 'hb').length >= 10)
    const beats = at.filter((_, i) => sent[i]!.type === 'hb')
    for (let i = 1; i < beats.length; i++)
      expect(beats[i]! - beats[i - 1]!).toBeGreaterThanOrEqual(0.5 * HEARTBEAT_INTERVAL_MS)
    expect(sent.find((m) => m.type === 'hb')).toEqual({ type: 'hb', active: COUNTERS.active })
  })

  it('sends reports, spaced by its 100-ms interval, with the counters it reads', async () => {
    const { sent, at } = timedSends()
    await until(() => reports(sent).length >= 3)
    const times = at.filter((_, i) => sent[i]!.type === 'report')
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(0.5 * REPORT_INTERVAL_MS)
    expect(reports(sent)[0]).toMatchObject(COUNTERS)
  })

  it('reports sane loop delay, utilization and memory for an idle loop', async () => {
    const sent = instrumented()
    await sleep(2.5 * REPORT_INTERVAL_MS)
    const report = reports(sent).at(-1)!
    // the monitor's 10-ms resolution is not delay: an idle loop reads near 0, not near 10 (half the resolution is a
    // wide margin for a busy machine; unsubtracted, the median is the resolution itself)
    expect(report.loopDelay.p50Ms).toBeLessThan(LOOP_DELAY_RESOLUTION_MS / 2)
    expect(report.loopDelay.p50Ms).toBeLessThanOrEqual(report.loopDelay.p99Ms)
    expect(report.loopDelay.p99Ms).toBeLessThanOrEqual(report.loopDelay.maxMs)
    expect(report.utilization).toBeGreaterThanOrEqual(0)
    expect(report.utilization).toBeLessThan(0.9)
    expect(report.rssBytes).toBeGreaterThan(process.memoryUsage().heapUsed)
  })

  it('reports a blocked loop as loop delay and full utilization', async () => {
    const sent = instrumented()
    // the loop monitor needs its first few samples before it can see a late one
    await sleep(1.5 * REPORT_INTERVAL_MS)
    waitBlocking(150)
    // the loop monitor's own timer records the late sample; it may land in the report after the first one, or later
    // on a loaded machine: give it up to ten reports
    const deadline = Date.now() + 10 * REPORT_INTERVAL_MS
    let blocked = reports(sent).find((report) => report.loopDelay.maxMs >= 100)
    while (!blocked && Date.now() < deadline) {
      await sleep(REPORT_INTERVAL_MS / 2)
      blocked = reports(sent).find((report) => report.loopDelay.maxMs >= 100)
    }
    expect(blocked).toBeDefined()
    expect(blocked!.utilization).toBeGreaterThan(0.5)
  })

  it('sends nothing once stopped', async () => {
    const sent = instrumented()
    await sleep(50)
    instrument!.stop()
    const count = sent.length
    await sleep(2 * REPORT_INTERVAL_MS)
    expect(sent.length).toBe(count)
  })

  it('runs with an instrumented subject from ready to close, reading its counters', async () => {
    const sent: SubjectToHost[] = []
    app = buildSubject({
      settings: pickSubject(withDefaults({ delayMs: 0 })),
      instrument: true,
      send: (message) => sent.push(message)
    })
    await app.ready()
    await sleep(1.5 * REPORT_INTERVAL_MS)
    expect(reports(sent)[0]).toMatchObject({ active: 0, held: 0, published: 0 })
    await app.close()
    app = null
    const count = sent.length
    await sleep(REPORT_INTERVAL_MS + 20)
    expect(sent.length).toBe(count)
  })

  it('sends nothing from a subject that is not instrumented', async () => {
    const sent: SubjectToHost[] = []
    app = buildSubject({ settings: pickSubject(withDefaults()), send: (message) => sent.push(message) })
    await app.ready()
    await sleep(50)
    expect(sent).toEqual([])
  })
})
