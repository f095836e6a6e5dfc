/**
 * The stall watch, on the subject's control thread: reads the main thread's heartbeat from shared memory
 * (beat-cell.js) and, while no beat has come for longer than the stall threshold, captures the stack the loop is
 * stuck in (stack-capture.js): once when the stall is seen, then every RESAMPLE_MS while it lasts, so a stall that
 * moves on (a call, then a parse) is followed. Nothing runs on the main thread unless it is stalled.
 *
 * It says, through `send`, `{type:'stack', stallId, atStallMs, stack}` for each capture and `{type:'stall-end',
 * stallId, stallMs}` when the beats come back (stallMs: from the beat before the stall to the one after, as the
 * host's stall reads). The host's sampler (sampler/stacks.ts) turns these into the live badge and the summary.
 * A capture whose stall ended before it came back, or with no frame and no native note, is dropped: it is not
 * what held the loop.
 */

/** Often enough that a capture comes within ~10 ms of the threshold; a timer on this thread, not on the loop. */
export const WATCH_INTERVAL_MS = 10
/** One more capture each this often while a stall lasts: each costs the stall a fraction of a millisecond. */
export const RESAMPLE_MS = 250

export function startStallWatch(opts) {
  const { cell, capture, send, thresholdMs } = opts
  const nowMs = () => performance.timeOrigin + performance.now()
  let seenBeatMs = null
  let stall = null
  let stalls = 0

  const sample = (current, atStallMs) => {
    current.capturing = true
    current.lastCaptureAt = nowMs()
    void capture().then((result) => {
      current.capturing = false
      if (stall !== current || cell.lastBeatMs() !== current.beatMs) return
      if (result.frames.length === 0 && result.native === null) return
      send({ type: 'stack', stallId: current.id, atStallMs: Math.round(atStallMs), stack: result })
    })
  }

  const timer = setInterval(() => {
    const beatMs = cell.lastBeatMs()
    if (beatMs === null) return
    if (beatMs !== seenBeatMs) {
      if (stall) send({ type: 'stall-end', stallId: stall.id, stallMs: Math.round(beatMs - stall.beatMs) })
      stall = null
      seenBeatMs = beatMs
      return
    }
    const sinceMs = nowMs() - beatMs
    if (sinceMs <= thresholdMs) return
    stall ??= { id: ++stalls, beatMs, capturing: false, lastCaptureAt: -Infinity }
    if (!stall.capturing && nowMs() - stall.lastCaptureAt >= RESAMPLE_MS) sample(stall, sinceMs)
  }, WATCH_INTERVAL_MS)
  timer.unref?.()

  return {
    stop() {
      clearInterval(timer)
    }
  }
}
