/**
 * The capturing side of bench/stacks.ts: while the main thread says (in shared memory) that it is in its fixed
 * work, capture its stack one capture after another through stack-capture.js — the subject's own capture — and
 * count the captures that caught it there. Plain JavaScript, like the control thread it stands for.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openStackCapture } from '../src/main/lab/subject/stack-capture.js'

const flag = new Int32Array(workerData.flag)
/** per capture: ms from asking the main thread to its answer, as this thread sees it */
let resumedMs = []
const capture = openStackCapture({ onServed: (ms) => resumedMs.push(ms) })
const idle = () => new Promise((resolve) => setTimeout(resolve, 1))

parentPort.on('message', async (message) => {
  if (message === 'close') {
    capture.close()
    parentPort.postMessage({ closed: true })
    return
  }
  // one block: wait for it to start, capture until it ends
  let caught = 0
  resumedMs = []
  while (Atomics.load(flag, 0) === 0) await idle()
  while (Atomics.load(flag, 0) === 1) {
    const { frames } = await capture.capture()
    if (frames[0]?.functionName === 'fixedWork') caught++
    // a breath between captures, as the subject's 250 ms are: the wait is the worker's, not the stall's
    await idle()
  }
  const sorted = resumedMs.sort((a, b) => a - b)
  parentPort.postMessage({ caught, resumedMedianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN })
})
void capture.ready.then(() => parentPort.postMessage({ ready: true }))
