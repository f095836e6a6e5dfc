/**
 * THE SETTINGS BLOCK: the subject's live settings in a SharedArrayBuffer, written by the control thread
 * (control-thread.js) and read by the main thread at the start of each request (subject-state.ts). A seqlock, so
 * the reader never waits on a lock the writer holds and a change costs the writer no message to the main thread:
 *
 *   Int32 [0] seq          odd while a write is in progress, even when the payload is whole; +2 per write
 *   Int32 [1] byteLength   of the payload
 *   bytes [8 …]            the settings as UTF-8 JSON
 *
 * One writer only (the control thread). Plain JavaScript, like pool-task.js, because the control thread loads it
 * with no TypeScript loader; the app build emits it beside control-thread.js (electron.vite.config.ts).
 */

const SEQ = 0
const LENGTH = 1
const HEADER_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT
/** Subject settings are ~120 bytes of JSON: room to spare, and still one page. */
export const SETTINGS_PAYLOAD_BYTES = 4096
/**
 * A write takes microseconds, so a reader that meets one waits for it (woken by the writer's notify) a few times at
 * most, then gives up until its next look rather than hold a request.
 */
const READ_ATTEMPTS = 5
const WRITE_WAIT_MS = 1

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function createSettingsBlock(payloadBytes = SETTINGS_PAYLOAD_BYTES) {
  return new SharedArrayBuffer(HEADER_BYTES + payloadBytes)
}

export function openSettingsBlock(buffer) {
  const header = new Int32Array(buffer, 0, 2)
  const payload = new Uint8Array(buffer, HEADER_BYTES)
  return {
    seq: () => Atomics.load(header, SEQ),
    write(text) {
      const bytes = encoder.encode(text)
      if (bytes.length > payload.length) {
        throw new RangeError(`settings of ${bytes.length} bytes do not fit the ${payload.length}-byte settings block`)
      }
      Atomics.add(header, SEQ, 1)
      payload.set(bytes)
      Atomics.store(header, LENGTH, bytes.length)
      const seq = Atomics.add(header, SEQ, 1) + 1
      Atomics.notify(header, SEQ)
      return seq
    },
    read() {
      for (let retries = 0; retries < READ_ATTEMPTS; retries++) {
        const before = Atomics.load(header, SEQ)
        if (before & 1) {
          Atomics.wait(header, SEQ, before, WRITE_WAIT_MS)
          continue
        }
        const length = Atomics.load(header, LENGTH)
        // A copy, then the check: bytes taken while a write overlapped are thrown away, never decoded as settings.
        const bytes = payload.slice(0, Math.min(length, payload.length))
        if (Atomics.load(header, SEQ) === before) return { seq: before, text: decoder.decode(bytes), retries }
      }
      return null
    }
  }
}
