import { describe, expect, it } from 'vitest'
import { Sampler } from '../../src/main/lab/sampler/sampler'
import type { StallEvent, SubjectReport } from '../../src/main/lab/protocol'
import { stackKey, stackLabel, stackLines, type BlockedStack, type StackFrame } from '../../src/shared/blocked-stack'
import { withDefaults } from '../../src/shared/settings'

const user = (functionName: string, file = 'work.js', line = 3): StackFrame => ({
  functionName,
  file,
  line,
  column: 1,
  kind: 'user'
})
const lib = (functionName: string): StackFrame => ({
  functionName,
  file: 'handle-request.js',
  line: 190,
  column: 24,
  kind: 'library'
})
const stackOf = (...frames: StackFrame[]): BlockedStack => ({ frames, native: null })
const SLEEP = stackOf(
  user('waitBlocking', 'pool-task.js', 16),
  user('run'),
  user('work'),
  user('workHandler', 'routes.ts', 15),
  lib('preHandlerCallback')
)
const PARSE = stackOf(user('parseBig', 'parse.js', 40), user('workHandler', 'routes.ts', 15))

const stack = (stallId: number, atStallMs: number, s: BlockedStack): StallEvent => ({
  type: 'stack',
  stallId,
  atStallMs,
  stack: s
})
const end = (stallId: number, stallMs: number): StallEvent => ({ type: 'stall-end', stallId, stallMs })

function report(loopCount: number, events: number): SubjectReport {
  return {
    type: 'report',
    active: 1,
    held: 0,
    published: 0,
    loopDelay: { p50Ms: 1, p99Ms: 2, maxMs: 2 },
    utilization: 0.1,
    rssBytes: 50e6,
    uv: { loopCount, events, eventsWaiting: 0 }
  }
}

describe('what is blocking the loop, as the sampler tells it', () => {
  it('gives a stalled frame the latest stack of its stall, and an unstalled one none', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.heartbeat(0, 1)
    s.stallEvent(stack(1, 60, PARSE))
    s.stallEvent(stack(1, 310, SLEEP))
    expect(s.frame(400).blockedStack).toEqual(SLEEP)
    s.stallEvent(end(1, 420))
    s.heartbeat(420, 1)
    expect(s.frame(430).blockedStack).toBeNull()
  })

  it('ranks the stacks that held the loop longest, sharing a stall among its captures', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    // a 1-s stall caught in parseBig, then at 500 ms in waitBlocking; then two 300-ms stalls in waitBlocking
    s.stallEvent(stack(1, 60, PARSE))
    s.stallEvent(stack(1, 500, SLEEP))
    s.stallEvent(end(1, 1000))
    for (const id of [2, 3]) {
      s.stallEvent(stack(id, 70, { ...SLEEP, frames: [{ ...SLEEP.frames[0]!, line: 17 }, ...SLEEP.frames.slice(1)] }))
      s.stallEvent(end(id, 300))
    }
    const top = s.summary('requests', 5000).blockedStacks
    expect(top.map((t) => [t.stack.frames[0]!.functionName, t.stalledMs, t.stalls])).toEqual([
      ['waitBlocking', 500 + 600, 3],
      ['parseBig', 500, 1]
    ])
  })

  it('counts a stall still open when the run ends up to the stall so far', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.heartbeat(100, 1)
    s.stallEvent(stack(1, 60, SLEEP))
    expect(s.summary('stopped', 2000, null, 1300).blockedStacks).toEqual([{ stack: SLEEP, stalledMs: 1200, stalls: 1 }])
  })

  it('keeps five stacks at most', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    for (let id = 1; id <= 7; id++) {
      s.stallEvent(stack(id, 60, stackOf(user(`f${id}`))))
      s.stallEvent(end(id, 100 * id))
    }
    expect(s.summary('requests', 5000).blockedStacks.map((t) => t.stack.frames[0]!.functionName)).toEqual([
      'f7',
      'f6',
      'f5',
      'f4',
      'f3'
    ])
  })
})

describe('a blocked stack in words', () => {
  it('says the innermost user function where it is and the handler, leaving the framework out', () => {
    expect(stackLabel(SLEEP)).toBe('in waitBlocking (pool-task.js:16) ← … ← workHandler')
    expect(stackLabel(PARSE)).toBe('in parseBig (parse.js:40) ← workHandler')
  })

  it('says native code, and what the system says, when no JavaScript could be asked', () => {
    expect(stackLabel({ frames: [], native: 'system call read, waiting in pipe_read' })).toBe(
      'in native code (system call read, waiting in pipe_read)'
    )
  })

  it('falls back to the framework’s frames when no user code is on the stack', () => {
    expect(stackLabel(stackOf(lib('serialize'), lib('send')))).toBe('in serialize (handle-request.js:190) ← send')
  })

  it('names an anonymous function, and says native code for a stack with no frames', () => {
    expect(stackLabel(stackOf(user(''), user('workHandler')))).toBe('in (anonymous) (work.js:3) ← workHandler')
    expect(stackLabel(stackOf(user('spin')))).toBe('in spin (work.js:3)')
    expect(stackLabel(stackOf())).toBe('in native code (no JavaScript on the stack)')
  })

  it('lists every frame for a hover or a report, the user’s code first, the others marked', () => {
    const mixed = stackOf(lib('serialize'), user('', 'a.js', 7), { ...lib('emit'), kind: 'node', file: 'events' })
    expect(stackLines(mixed)).toEqual([
      '(anonymous) (a.js:7)',
      'serialize (handle-request.js:190) · library',
      'emit (events:190) · node'
    ])
    expect(stackLines({ frames: [], native: 'system call read' })).toEqual(['in native code (system call read)'])
  })
})

describe('which stalls are the same stack', () => {
  it('the same functions in the same files, whatever the line', () => {
    expect(stackKey(stackOf(user('spin', 'a.js', 3), user('h')))).toBe(
      stackKey(stackOf(user('spin', 'a.js', 9), user('h')))
    )
    expect(stackKey(stackOf(user('spin', 'a.js')))).not.toBe(stackKey(stackOf(user('spin', 'b.js'))))
    expect(stackKey(stackOf(user('spin'), user('h')))).not.toBe(stackKey(stackOf(user('h'), user('spin'))))
    expect(stackKey({ frames: [], native: 'read' })).not.toBe(stackKey({ frames: [], native: 'poll' }))
    expect(stackKey({ frames: [], native: 'read' })).not.toBe(stackKey(stackOf()))
    // two frames are not one frame whose file name runs on into the next frame's words
    expect(stackKey(stackOf(user('spin', 'a.js'), user('h', 'b.js')))).not.toBe(
      stackKey(stackOf(user('spin', 'a.jsh@b.js')))
    )
  })
})

describe('how often the loop turns', () => {
  it('reads turns a second and events per turn from libuv’s counts between reports', () => {
    const s = new Sampler(withDefaults({}), 0)
    s.heartbeat(0, 0)
    s.subjectReport(report(1000, 500), 100)
    s.subjectReport(report(1300, 1100), 200)
    s.heartbeat(200, 0)
    const f = s.frame(205)
    expect(f.loopTurnsPerS).toBe(3000)
    expect(f.eventsPerTurn).toBe(2)
  })

  it('reads 0 turns while the loop is stalled, whatever it did the second before', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.subjectReport(report(1000, 500), 100)
    s.subjectReport(report(1300, 1100), 200)
    s.heartbeat(200, 1)
    expect(s.frame(400)).toMatchObject({ stalled: true, loopTurnsPerS: 0, eventsPerTurn: null })
  })

  it('says nothing, rather than 0, where the subject’s Node does not count turns', () => {
    const s = new Sampler(withDefaults({}), 0)
    const { uv: _uv, ...old } = report(0, 0)
    s.subjectReport(old, 100)
    s.subjectReport(old, 200)
    s.heartbeat(200, 0)
    expect(s.frame(205)).toMatchObject({ loopTurnsPerS: null, eventsPerTurn: null })
  })
})

describe('one stall caught several times', () => {
  it('shows the latest capture, and counts the stall once for a stack caught twice in it', () => {
    const s = new Sampler(withDefaults({ blocking: true }), 0)
    s.heartbeat(0, 1)
    s.stallEvent(stack(1, 60, SLEEP))
    s.stallEvent(stack(1, 310, PARSE))
    s.stallEvent(stack(1, 560, SLEEP))
    expect(s.frame(600).blockedStack).toEqual(SLEEP)
    s.stallEvent(end(1, 700))
    s.heartbeat(700, 1)
    const [first, second] = s.summary('stopped', 700, null, 700).blockedStacks
    // SLEEP: 0–310 and 560–700; PARSE: 310–560
    expect(first).toMatchObject({ stack: SLEEP, stalledMs: 450, stalls: 1 })
    expect(second).toMatchObject({ stack: PARSE, stalledMs: 250, stalls: 1 })
  })
})
