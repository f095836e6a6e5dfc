/**
 * THE CONTROL THREAD: a worker thread of the subject process (started by control.ts) through which settings reach
 * the subject. It has an event loop of its own, so a main loop held by blocking work cannot delay a change: the
 * change lands in shared memory (settings-block.js) at once, and the next request to start reads it there.
 *
 * Transport: TCP on 127.0.0.1, newline-delimited JSON. TCP because Electron's utilityProcess cannot be handed extra
 * stdio fds or pipes, and its MessagePorts arrive on the main thread (the one that may be blocked); a Unix socket
 * or named pipe would need a path to create, clean up and keep short on each platform. This thread listens (port 0)
 * and the host connects, rather than the other way round: the port is known before the subject says `listening`,
 * so the host has the line before its first update and before the crowd starts, with no server of its own to keep
 * across runs and Labs, and nothing to retry here if the host were not ready yet.
 *
 * Any local process can connect to 127.0.0.1, so the first line must be `{"token"}` with the random token the host
 * put in the launch; anything else and the connection is closed. Then each `{"seq", "settings"}` line is stored
 * and acknowledged as `{"seq"}` (or `{"seq", "error"}` if it cannot be stored), so the host's update resolves once
 * the change has landed. Validation is the main thread's, when it reads the block (parseSubjectSettings): this
 * file stays plain JavaScript with no dependencies, and loads in ~35 ms with no loader (see pool-task.js).
 *
 * The thread has a second job on the same line, the other way: when the launch gives it the heartbeat's cell
 * (`beat`), it watches for stalls and sends the stack the loop is stuck in (stall-watch.js, stack-capture.js) as
 * `{"type": "stack" | "stall-end", …}` lines to the host — out of band, since a blocked loop can send nothing.
 *
 * App build: emitted unchanged beside the chunk that refers to it, with settings-block.js, beat-cell.js,
 * stall-watch.js and stack-capture.js (electron.vite.config.ts).
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { openBeatCell } from './beat-cell.js'
import { openSettingsBlock } from './settings-block.js'
import { openStackCapture } from './stack-capture.js'
import { startStallWatch } from './stall-watch.js'

/** A connection that has not shown the token by then is not the host's. */
const HELLO_TIMEOUT_MS = 2000
/** Settings lines are ~150 bytes; a longer line without a newline is not the contract. */
const MAX_LINE_CHARS = 64 * 1024

const { token, block: buffer, beat, stallThresholdMs } = workerData
const block = openSettingsBlock(buffer)
const expected = Buffer.from(String(token))
/** the host's connections that have shown the token: where stall events go (none yet: they are dropped) */
const hosts = new Set()

let stacks = null
if (beat) {
  const capture = openStackCapture()
  const watch = startStallWatch({
    cell: openBeatCell(beat),
    capture: capture.capture,
    thresholdMs: stallThresholdMs,
    send: (event) => {
      const line = `${JSON.stringify(event)}\n`
      for (const socket of hosts) socket.write(line)
    }
  })
  stacks = { close: () => (watch.stop(), capture.close()) }
}

// Before the subject exits: a session still connected to the main thread can make Node print "Waiting for the
// debugger to disconnect..." on the way out.
parentPort.on('message', (message) => {
  if (message?.type !== 'close-stacks') return
  stacks?.close()
  stacks = null
  parentPort.postMessage({ type: 'stacks-closed' })
})

function authentic(candidate) {
  const given = Buffer.from(String(candidate))
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function store(message) {
  try {
    block.write(JSON.stringify(message.settings))
    return { seq: message.seq }
  } catch (err) {
    return { seq: message.seq, error: err instanceof Error ? err.message : String(err) }
  }
}

function serve(socket) {
  let authenticated = false
  let buffered = ''
  const hello = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS)
  socket.setNoDelay(true)
  socket.setEncoding('utf8')
  // The host went away or closed us: nothing to do here, the subject's exit is the main thread's business.
  socket.on('error', () => {})
  socket.on('close', () => {
    clearTimeout(hello)
    hosts.delete(socket)
  })
  socket.on('data', (chunk) => {
    buffered += chunk
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      let message
      try {
        message = JSON.parse(line)
      } catch {
        socket.destroy()
        return
      }
      if (!authenticated) {
        if (!authentic(message?.token)) {
          socket.destroy()
          return
        }
        authenticated = true
        hosts.add(socket)
        clearTimeout(hello)
      } else if (Number.isInteger(message?.seq) && message.settings !== undefined) {
        socket.write(`${JSON.stringify(store(message))}\n`)
      } else {
        socket.destroy()
        return
      }
    }
    if (buffered.length > MAX_LINE_CHARS) socket.destroy()
  })
}

const server = createServer(serve)
server.on('error', (err) => {
  throw err
})
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }))
