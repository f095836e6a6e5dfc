import { describe, expect, it } from 'vitest'
import { NODE_2009 } from '../../src/renderer/src/lessons/node-2009'
import { OPEN_CLOSED } from '../../src/renderer/src/lessons/open-closed'
import { PRESETS } from '../../src/renderer/src/presets'
import { THREE_WAYS } from '../../src/renderer/src/lessons/three-ways'
import {
  lessonLength,
  lessonLengthWords,
  runLength,
  runLengthWords,
  spokenSeconds
} from '../../src/renderer/src/run-length'
import { presetAction, stepAction } from '../../src/renderer/src/run-words'

const preset = (id: string) => PRESETS.find((p) => p.id === id)!.patch

describe('how long a run takes, from its settings', () => {
  it("serves a request budget at the Little's-law bound: 1000 requests at 100 / 2 s = 50 req/s is about 20 s", () => {
    expect(runLength(preset('classic'))).toEqual({ kind: 'budget', seconds: 20 })
    expect(runLengthWords(runLength(preset('classic')))).toBe('about 20 s')
    // a pool of 10: 5 req/s, 200 s
    expect(runLengthWords(runLength(preset('threads')))).toBe('about 3 min 20 s')
  })

  it('ends by its duration when the budget would take longer, and says a long one runs until stopped', () => {
    // blocking: 0.5 req/s would take 2,000 s for 1000 requests, past the 600-s duration
    expect(runLength(preset('blocking'))).toEqual({ kind: 'duration', seconds: 600 })
    expect(runLengthWords(runLength(preset('open')))).toBe('runs until you stop it (at most 10 min)')
    expect(runLengthWords(runLength(preset('open')), 'short')).toBe('up to 10 min')
  })

  it("takes the open loop's arrivals at the server's ceiling: 900 at 60/s against 50/s ends in about 18 s", () => {
    const open60 = OPEN_CLOSED.steps[3]!.settings
    expect(runLength(open60)).toEqual({ kind: 'budget', seconds: 18 })
  })

  it("sums a lesson's runs, and names the steps that run until stopped", () => {
    // 15 + 15 + 15 + 18 s
    expect(lessonLength(OPEN_CLOSED)).toEqual({ seconds: 63, openEndedSteps: [] })
    expect(lessonLengthWords(OPEN_CLOSED)).toBe('4 steps · about 1 min of runs')
    // hello world (~1 s), 20 + 20 + 20 s, then step 5's long-poll run (step 6 changes it: nothing to add), then the
    // three restarts' 6 + 6 + 5 s
    expect(lessonLength(NODE_2009)).toEqual({ seconds: 78, openEndedSteps: [5] })
    expect(lessonLengthWords(NODE_2009)).toBe('9 steps · about 1 min 20 s of runs, and step 5 runs until you stop it')
  })

  it('says a lesson that is one open-ended run changed step by step as that, not as a second of runs', () => {
    expect(lessonLength(THREE_WAYS)).toEqual({ seconds: 0, openEndedSteps: [1] })
    expect(lessonLengthWords(THREE_WAYS)).toBe('6 steps in one run, which lasts until you stop it')
  })

  it('says durations as a person would', () => {
    expect(spokenSeconds(0.3)).toBe('1 s')
    expect(spokenSeconds(61)).toBe('1 min')
    expect(spokenSeconds(200)).toBe('3 min 20 s')
    expect(spokenSeconds(599)).toBe('10 min')
  })
})

describe("what a preset's or a step's button says", () => {
  it('starts when idle and changes the run when one is on', () => {
    expect(presetAction('The 2-s experiment', false)).toBe('▶ Start: The 2-s experiment')
    expect(presetAction('The 2-s experiment', true)).toBe('Change this run to: The 2-s experiment')
  })

  it('says a run step stops the run on now, and a change step applies to it', () => {
    expect(stepAction({ kind: 'run', number: 2 }, { running: false, thisStepOn: false })).toBe('▶ Start step 2')
    expect(stepAction({ kind: 'run', number: 2 }, { running: true, thisStepOn: false })).toBe(
      '▶ Stop this run, start step 2'
    )
    expect(stepAction({ kind: 'change', number: 6 }, { running: true, thisStepOn: false })).toBe(
      'Apply step 6 to this run'
    )
  })
})
