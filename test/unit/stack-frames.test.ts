import { describe, expect, it } from 'vitest'
import { toFrames } from '../../src/main/lab/subject/stack-frames.js'

/** Error.stack as the capture takes it on a subject blocked in a synchronous sleep (run under tsx). */
const SLEEPING = `Error
    at <anonymous>:8:3
    at Atomics.wait (<anonymous>)
    at waitBlocking (file:///app/src/main/lab/subject/pool-task.js:16:11)
    at run (file:///app/src/main/lab/subject/subject-state.ts:80:16)
    at Object.work (file:///app/src/main/lab/subject/subject-state.ts:101:15)
    at Object.workHandler (file:///app/src/main/lab/subject/routes.ts:15:49)
    at preHandlerCallbackInner (/app/node_modules/fastify/lib/handle-request.js:190:24)
    at async Promise.all (index 0)
    at listOnTimeout (node:internal/timers:581:17)`

describe('a captured stack, as the wire carries it', () => {
  it('leaves the capture’s own script out and says which frames are the user’s, a package’s and Node’s', () => {
    expect(toFrames(SLEEPING).map((f) => [f.functionName, f.file, f.line, f.kind])).toEqual([
      ['Atomics.wait', '<anonymous>', 0, 'node'],
      ['waitBlocking', 'pool-task.js', 16, 'user'],
      ['run', 'subject-state.ts', 80, 'user'],
      ['work', 'subject-state.ts', 101, 'user'],
      ['workHandler', 'routes.ts', 15, 'user'],
      ['preHandlerCallbackInner', 'handle-request.js', 190, 'library'],
      ['Promise.all', 'index 0', 0, 'node'],
      ['listOnTimeout', 'timers', 581, 'node']
    ])
  })

  it('leaves Loopscope’s own instrumentation out', () => {
    const text = `Error
    at Timeout._onTimeout (file:///app/src/main/lab/subject/instrument.ts:70:5)
    at cpuBlocking (file:///app/src/main/lab/subject/pool-task.js:24:5)`
    expect(toFrames(text).map((f) => f.functionName)).toEqual(['cpuBlocking'])
  })

  it('keeps at most 16 frames', () => {
    const text = ['Error', ...Array.from({ length: 30 }, (_, i) => `    at f${i} (file:///app/x.js:${i + 1}:1)`)].join(
      '\n'
    )
    expect(toFrames(text)).toHaveLength(16)
  })
})
