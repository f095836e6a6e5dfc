/**
 * Captures the JavaScript stack the subject's main thread is running, from another thread of the subject (the
 * control thread), through an inspector session on the main thread: Runtime.evaluate of a tiny function that takes
 * `Error.captureStackTrace` where the main thread is. The inspector serves the call through V8's interrupt, on top
 * of whatever JavaScript is running, so the stack below it is the stalled code's.
 *
 * Why not Debugger.pause (read the paused call frames, resume), the first version: it needs the Debugger domain
 * enabled, and an enabled debugger makes V8 take its slow paths (promise hooks for async stacks) on every unstalled
 * request too; enabling it only for a stall would list every script to the session during the stall. V8 also drops
 * a pause asked for just as the previous one resumed (seen in the bench). Runtime.evaluate needs no domain
 * enabled: an unstalled loop pays nothing. Profiler sampling was not taken either: Profiler.start logs every
 * compiled function first, during the very stall it would sample.
 *
 * V8 serves the interrupt in any JavaScript, and inside Atomics.wait (it wakes the wait to serve interrupts, then
 * waits out the rest). Inside a system call that does not return (a synchronous read of a pipe nobody writes) no
 * JavaScript runs, so there is no stack to have: after PAUSE_TIMEOUT_MS the capture says "native code" with what
 * Linux says the thread is doing (/proc/self/task/<tid>/syscall and wchan), never a guess; the call asked for is
 * served, and its answer dropped, when the system call returns. A thread that is runnable but has not served it
 * (a garbage collection, a process not given a core) is waited for.
 *
 * The stack text becomes the wire's frames (stack-frames.js) here, after the main thread has moved on. Plain
 * JavaScript, like the control thread that loads it.
 */
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { toFrames } from './stack-frames.js'

/**
 * Run on the main thread, in the middle of whatever it is doing: its stack without this function's own frame, up to
 * 32 frames, with the program's own Error settings put back at once.
 */
const CAPTURE_EXPRESSION = `(function loopscopeCaptureStack() {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 32
  const holder = {}
  Error.captureStackTrace(holder, loopscopeCaptureStack)
  Error.stackTraceLimit = limit
  return holder.stack
})()`

/** V8 serves an interrupt within microseconds of JavaScript running; a call not served by then is in native code. */
export const PAUSE_TIMEOUT_MS = 50

/** The system calls a blocked loop is likely to be in, by number (Linux x64 and arm64). */
const SYSCALLS = {
  x64: {
    0: 'read',
    1: 'write',
    7: 'poll',
    17: 'pread64',
    23: 'select',
    35: 'nanosleep',
    42: 'connect',
    43: 'accept',
    45: 'recvfrom',
    61: 'wait4',
    202: 'futex',
    230: 'clock_nanosleep',
    232: 'epoll_wait',
    257: 'openat',
    270: 'pselect6',
    271: 'ppoll',
    281: 'epoll_pwait'
  },
  arm64: {
    22: 'epoll_pwait',
    56: 'openat',
    63: 'read',
    64: 'write',
    67: 'pread64',
    72: 'pselect6',
    73: 'ppoll',
    98: 'futex',
    101: 'nanosleep',
    115: 'clock_nanosleep',
    202: 'accept',
    203: 'connect',
    207: 'recvfrom',
    260: 'wait4'
  }
}

/** Linux's word for a thread on a core or waiting for one: not in a system call, so the answer will come. */
const RUNNING = 'running outside JavaScript, not in a system call'

/** What Linux says the main thread is doing, in words; where it cannot say, that much. */
export function nativeNote(tid = process.pid) {
  if (process.platform !== 'linux') return 'not in JavaScript; this system does not say where'
  try {
    const syscall = readFileSync(`/proc/self/task/${tid}/syscall`, 'utf8').trim()
    if (syscall === 'running') return RUNNING
    const number = Number(syscall.split(' ')[0])
    const name = SYSCALLS[process.arch]?.[number] ?? `number ${number}`
    const wchan = readFileSync(`/proc/self/task/${tid}/wchan`, 'utf8').trim()
    return `system call ${name}${wchan && wchan !== '0' ? `, waiting in ${wchan}` : ''}`
  } catch {
    return 'not in JavaScript; the system did not say where'
  }
}

/**
 * An inspector session on the main thread. `capture()` resolves to `{frames, native}`: frames (top first) when the
 * main thread served the call, or `native` (words) when it did not within pauseTimeoutMs and is in a system call.
 * One capture at a time (the stall watch waits for each); `opts.onServed(ms)`, the bench's probe, hears how long
 * each call took from asking to the answer.
 */
export function openStackCapture(opts = {}) {
  const pauseTimeoutMs = opts.pauseTimeoutMs ?? PAUSE_TIMEOUT_MS
  const session = new Session()
  session.connectToMainThread()
  /** the call asked for and not answered yet: a new capture waits for it rather than queue another */
  let asked = null
  let taken = null

  const ask = () => {
    const askedAt = performance.now()
    asked = askedAt
    session.post(
      'Runtime.evaluate',
      { expression: CAPTURE_EXPRESSION, returnByValue: true, silent: true },
      (err, result) => {
        if (asked === askedAt) asked = null
        opts.onServed?.(performance.now() - askedAt)
        const done = taken
        taken = null
        const text = err ? null : result?.result?.value
        done?.(typeof text === 'string' ? toFrames(text) : [])
      }
    )
  }

  return {
    /** the session is usable at once: nothing to enable */
    ready: Promise.resolve(true),
    capture() {
      return new Promise((resolve) => {
        // Not served in time: in a system call, say so; runnable (a collection, a process not given a core): wait.
        const check = () => {
          const note = nativeNote()
          if (note === RUNNING) timer = setTimeout(check, pauseTimeoutMs)
          else {
            taken = null
            resolve({ frames: [], native: note })
          }
        }
        let timer = setTimeout(check, pauseTimeoutMs)
        taken = (frames) => {
          clearTimeout(timer)
          resolve({ frames, native: null })
        }
        if (asked === null) ask()
      })
    },
    close() {
      try {
        session.disconnect()
      } catch {
        // already closed
      }
    }
  }
}
