/**
 * The subject's heartbeat in shared memory: the main thread's heartbeat (instrument.ts) stores the time of each beat
 * here, and the control thread's stall watch (stall-watch.js) reads it, so that thread knows the loop is stalled
 * without the loop's help. One Atomics.store every 10 ms is all an unstalled loop pays for the stack view.
 *
 * Epoch microseconds (performance.timeOrigin + now(), the same clock on every thread) in a BigInt64: a float
 * cannot be stored atomically, and a torn read would look like a stall. Plain JavaScript, like settings-block.js,
 * so the control thread needs no loader.
 */

export function createBeatCell() {
  return new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT)
}

export function openBeatCell(buffer) {
  const cell = new BigInt64Array(buffer)
  return {
    beat(atMs = performance.timeOrigin + performance.now()) {
      Atomics.store(cell, 0, BigInt(Math.round(atMs * 1000)))
    },
    lastBeatMs() {
      const us = Atomics.load(cell, 0)
      return us === 0n ? null : Number(us) / 1000
    }
  }
}
