/**
 * Captures the JavaScript stack the subject's main thread is running, from another thread of the subject (the
 * control thread), through an inspector session on the main thread: Debugger.pause, read the call frames, resume.
 *
 * Why Debugger.pause and not Profiler sampling: a pause costs one round trip (~0.2–0.4 ms measured, see the bench),
 * while Profiler.start logs every compiled function first, a cost paid during the very stall it would sample. The
 * Debugger domain is enabled once, at start-up (enabling it lists every script to the session, which would
 * lengthen a stall if done then); with no breakpoints it costs an unstalled loop nothing measurable (bench).
 *
 * V8 takes the pause at its next interrupt check: in any JavaScript, and inside Atomics.wait (V8 wakes the wait to
 * serve interrupts, then waits out the rest). Inside a system call that does not return (a synchronous read of a
 * pipe nobody writes) no JavaScript runs, so there is no stack to have: after PAUSE_TIMEOUT_MS the capture says
 * "native code" with what Linux says the thread is doing (/proc/self/task/<tid>/syscall and wchan), never a guess.
 * The pause asked for stays pending and is taken, and at once resumed, when the call comes back. A thread that is
 * runnable but has not taken the pause (a garbage collection, a process not given a core) is waited for.
 *
 * The call frames become the wire's frames (stack-frames.js) after the resume, on this thread: nothing of that
 * is the stall's. Plain JavaScript, like the control thread that loads it.
 */
import { readFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { toFrames } from './stack-frames.js'

/** V8 serves an interrupt within microseconds of JavaScript running; a pause not taken by then is in native code. */
export const PAUSE_TIMEOUT_MS = 50

/** The system calls a blocked loop is likely to be in, by number (Linux x64 and arm64). */
const SYSCALLS = {
  x64: { 0: 'read', 1: 'write', 7: 'poll', 17: 'pread64', 23: 'select', 35: 'nanosleep', 42: 'connect', 43: 'accept',
    45: 'recvfrom', 61: 'wait4', 202: 'futex', 230: 'clock_nanosleep', 232: 'epoll_wait', 257: 'openat',
    270: 'pselect6', 271: 'ppoll', 281: 'epoll_pwait' },
  arm64: { 22: 'epoll_pwait', 56: 'openat', 63: 'read', 64: 'write', 67: 'pread64', 72: 'pselect6', 73: 'ppoll',
    98: 'futex', 101: 'nanosleep', 115: 'clock_nanosleep', 202: 'accept', 203: 'connect', 207: 'recvfrom', 260: 'wait4' }
}

/** Linux's word for a thread on a core or waiting for one: not in a system call, so the pause will come. */
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
 * pause was taken, or `native` (words) when it was not within pauseTimeoutMs. One pause at a time: while one is
 * still pending, a capture says native again without asking for another.
 */
export function openStackCapture(opts = {}) {
  const pauseTimeoutMs = opts.pauseTimeoutMs ?? PAUSE_TIMEOUT_MS
  const session = new Session()
  session.connectToMainThread()
  let pending = false
  let taken = null
  /** every script by id, from the scriptParsed events (all of them at enable, then each new one) */
  const scripts = new Map()
  session.on('Debugger.scriptParsed', ({ params }) => scripts.set(params.scriptId, { url: params.url, sourceMapURL: params.sourceMapURL }))
  session.on('Debugger.paused', (message) => {
    // Resume before anything else: every microsecond until then is added to the stall.
    session.post('Debugger.resume')
    pending = false
    const done = taken
    taken = null
    done?.(message.params.callFrames)
  })
  const ready = new Promise((resolve) => session.post('Debugger.enable', (err) => resolve(!err)))

  return {
    /** resolves true once the Debugger domain is on (false: this Node cannot, and captures say native) */
    ready,
    capture() {
      if (pending) return Promise.resolve({ frames: [], native: nativeNote() })
      pending = true
      return new Promise((resolve) => {
        // Not taken in time: in a system call, say so. Runnable but not taken (a collection, or the process not
        // given a core): wait on, since the stack will come — unless the stall ends first and the watch drops it.
        const check = () => {
          const note = nativeNote()
          if (note === RUNNING) timer = setTimeout(check, pauseTimeoutMs)
          else {
            taken = null
            resolve({ frames: [], native: note })
          }
        }
        let timer = setTimeout(check, pauseTimeoutMs)
        taken = (callFrames) => {
          clearTimeout(timer)
          resolve({ frames: toFrames(callFrames, (id) => scripts.get(id)), native: null })
        }
        session.post('Debugger.pause')
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
