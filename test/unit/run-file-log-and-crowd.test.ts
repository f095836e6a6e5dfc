/** A saved run keeps what the broadcast log started with, whether Redis went away, and how busy the crowd's own loop was. */
import { describe, expect, it } from 'vitest'
import type { Frame, Summary } from '../../src/shared/frame'
import { parseRunText, runFrames, runSummary, runToJson } from '../../src/shared/run-file'
import { fixtureFrames, fixtureRun, fixtureSummary } from '../helpers/run-fixture'
import { pushFrame, pushSummary } from './renderer-fixtures'

const summary: Summary = {
  ...fixtureSummary(),
  crowdBusy: 0.43,
  push: pushSummary({ redisLost: 1, logStartId: 40 })
}
const frames: Frame[] = fixtureFrames().map((f, i) => ({
  ...f,
  crowdBusy: 0.4 + i / 1000,
  push: pushFrame({ logStartId: 40, redis: { up: i % 2 === 0, lost: i % 2 } })
}))

describe('a saved run of the log on Redis', () => {
  it('gives back the crowd’s loop, the log’s start and Redis up or away, in every frame and in the summary', () => {
    const file = fixtureRun({ name: 'on Redis', settings: { store: 'redis', subscribers: 10 }, frames, summary })
    const back = parseRunText(runToJson(file), 'on-redis.json')
    expect(runSummary(back).crowdBusy).toBe(0.43)
    expect(runSummary(back).push).toMatchObject({ redisLost: 1, logStartId: 40 })
    const decoded = runFrames(back)
    expect(decoded.map((f) => f.crowdBusy)).toEqual(frames.map((f) => f.crowdBusy))
    expect(decoded.map((f) => f.push?.redis)).toEqual(frames.map((f) => f.push?.redis))
    expect(decoded.every((f) => f.push?.logStartId === 40)).toBe(true)
  })
})
