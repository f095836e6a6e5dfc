/**
 * The host's end of the subject's control line: a TCP connection to the subject's control thread (see
 * subject/control-thread.js for why a thread, why TCP and why the subject listens). Settings only, one line per
 * change: nothing per request crosses it. The other way come the stall watch's events (a stalled loop's stack,
 * a stall's end: protocol.ts StallEvent), at most a few per stall.
 */
import { connect } from 'node:net'
import { LabError } from '../../shared/errors'
import type { SubjectSettings } from '../../shared/settings'
import type { StallEvent } from './protocol'

/** A control thread stores a change in microseconds; one that has not answered by then is gone or wedged. */
export const CONTROL_ACK_TIMEOUT_MS = 2000

export interface SubjectControl {
  /** resolves once the subject's control thread has the settings in shared memory; rejects with a LabError */
  send(settings: SubjectSettings): Promise<void>
  /** the stall watch's events, in the order the subject sent them; `worker` with several processes (else 1) */
  onStallEvent(listener: (event: StallEvent, worker: number) => void): void
  close(): void
}

interface Pending {
  resolve: () => void
  reject: (err: LabError) => void
  timer: NodeJS.Timeout
}

export function connectSubjectControl(
  port: number,
  token: string,
  opts: { ackTimeoutMs?: number } = {}
): Promise<SubjectControl> {
  const ackTimeoutMs = opts.ackTimeoutMs ?? CONTROL_ACK_TIMEOUT_MS
  const socket = connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  socket.setEncoding('utf8')
  const pending = new Map<number, Pending>()
  let lastSeq = 0
  let closed: LabError | null = null
  let buffered = ''
  const stallListeners: ((event: StallEvent, worker: number) => void)[] = []

  const settle = (seq: number, err: LabError | null): void => {
    const p = pending.get(seq)
    if (!p) return
    pending.delete(seq)
    clearTimeout(p.timer)
    if (err) p.reject(err)
    else p.resolve()
  }
  socket.on('data', (chunk: string) => {
    buffered += chunk
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      let ack: { seq?: unknown; error?: unknown; type?: unknown }
      try {
        ack = JSON.parse(line)
      } catch {
        continue
      }
      if (ack.type === 'stack' || ack.type === 'stall-end') {
        for (const listener of stallListeners) listener(ack as StallEvent, 1)
        continue
      }
      if (typeof ack.seq !== 'number') continue
      const err =
        typeof ack.error === 'string'
          ? new LabError('LOOPSCOPE_ERR_IPC_INVALID', `the subject could not take the settings: ${ack.error}`)
          : null
      settle(ack.seq, err)
    }
  })
  socket.on('close', () => {
    closed ??= new LabError(
      'LOOPSCOPE_ERR_IPC_INVALID',
      "the subject's control line closed before it acknowledged the settings"
    )
    for (const seq of [...pending.keys()]) settle(seq, closed)
  })

  const control: SubjectControl = {
    send(settings) {
      if (closed) return Promise.reject(closed)
      const seq = ++lastSeq
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            settle(
              seq,
              new LabError(
                'LOOPSCOPE_ERR_IPC_INVALID',
                `the subject did not acknowledge a settings change within ${ackTimeoutMs / 1000} s on its control line`
              )
            ),
          ackTimeoutMs
        )
        pending.set(seq, { resolve, reject, timer })
        socket.write(`${JSON.stringify({ seq, settings })}\n`)
      })
    },
    onStallEvent(listener) {
      stallListeners.push(listener)
    },
    close() {
      closed ??= new LabError('LOOPSCOPE_ERR_IPC_INVALID', "the subject's control line is closed: the run has ended")
      socket.destroy()
    }
  }

  return new Promise((resolve, reject) => {
    let connected = false
    socket.once('connect', () => {
      connected = true
      socket.write(`${JSON.stringify({ token })}\n`)
      resolve(control)
    })
    socket.on('error', (err) => {
      // Before the connection: the start fails with this. After: 'close' follows and fails what is pending.
      if (!connected)
        reject(
          new LabError('LOOPSCOPE_ERR_SUBJECT_START', `could not reach the subject's control thread: ${err.message}`)
        )
    })
  })
}
