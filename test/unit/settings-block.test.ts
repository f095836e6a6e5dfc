import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { createSettingsBlock, openSettingsBlock } from '../../src/main/lab/subject/settings-block.js'

let worker: Worker | null = null
afterEach(async () => {
  await worker?.terminate()
  worker = null
})

/** A writer on another thread, as the control thread is: plain JS, eval'd, touching the block's layout directly. */
function writerThread(buffer: SharedArrayBuffer, source: string): Worker {
  const w = new Worker(`const { parentPort, workerData: buffer } = require('node:worker_threads');\n${source}`, {
    eval: true,
    workerData: buffer
  })
  worker = w
  return w
}

describe('the settings block', () => {
  it('reads back the text last written, with a new even seq for each write', () => {
    const block = openSettingsBlock(createSettingsBlock())
    expect(block.seq()).toBe(0)
    const first = block.write('{"delayMs":100}')
    const second = block.write('{"delayMs":2}')
    expect([first, second]).toEqual([2, 4])
    expect(block.read()).toEqual({ seq: 4, text: '{"delayMs":2}', retries: 0 })
  })

  it('keeps non-ASCII text whole', () => {
    const block = openSettingsBlock(createSettingsBlock())
    block.write('{"note":"délai — 2 s"}')
    expect(block.read()?.text).toBe('{"note":"délai — 2 s"}')
  })

  it('refuses a payload larger than the block and keeps the previous one', () => {
    const block = openSettingsBlock(createSettingsBlock(16))
    block.write('{"delayMs":1}')
    expect(() => block.write(`{"pad":"${'x'.repeat(32)}"}`)).toThrow(/do not fit the 16-byte settings block/)
    expect(block.read()).toMatchObject({ seq: 2, text: '{"delayMs":1}' })
  })

  it('retries a read that meets a write in progress and returns the finished payload', async () => {
    const buffer = createSettingsBlock()
    const block = openSettingsBlock(buffer)
    block.write('{"old":true}')
    // The writer makes seq odd, says so, holds the write open for a moment, then finishes it and notifies.
    const w = writerThread(
      buffer,
      `
      const header = new Int32Array(buffer, 0, 2)
      const bytes = new TextEncoder().encode('{"new":true}')
      Atomics.add(header, 0, 1)
      parentPort.postMessage('odd')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2)
      new Uint8Array(buffer, 8).set(bytes)
      Atomics.store(header, 1, bytes.length)
      Atomics.add(header, 0, 1)
      Atomics.notify(header, 0)
    `
    )
    await new Promise((resolve) => w.once('message', resolve))
    expect(block.seq() % 2).toBe(1)
    // Up to a few ms of waiting; on a busy machine the writer may be slower: then read says null and a later look works.
    let read = block.read()
    for (let i = 0; i < 100 && read === null; i++) read = block.read()
    expect(read).toMatchObject({ seq: 4, text: '{"new":true}' })
    expect(read!.retries).toBeGreaterThan(0)
  })

  it('never hands out a torn payload while another thread rewrites it', async () => {
    const buffer = createSettingsBlock()
    const block = openSettingsBlock(buffer)
    const long = JSON.stringify({ pad: 'x'.repeat(2000) })
    const short = JSON.stringify({ pad: 'y' })
    block.write(short)
    // Alternating lengths and bytes: a read that mixed two writes would show both x and y, or a cut-off text.
    const w = writerThread(
      buffer,
      `
      const header = new Int32Array(buffer, 0, 2)
      const payload = new Uint8Array(buffer, 8)
      const texts = [${JSON.stringify(long)}, ${JSON.stringify(short)}].map((t) => new TextEncoder().encode(t))
      parentPort.postMessage('writing')
      for (let i = 0; ; i++) {
        const bytes = texts[i % 2]
        Atomics.add(header, 0, 1)
        payload.set(bytes)
        Atomics.store(header, 1, bytes.length)
        Atomics.add(header, 0, 1)
        Atomics.notify(header, 0)
      }
    `
    )
    await new Promise((resolve) => w.once('message', resolve))
    let retries = 0
    let whole = 0
    const deadline = performance.now() + 300
    while (performance.now() < deadline) {
      const read = block.read()
      if (read === null) continue
      expect([long, short]).toContain(read.text)
      retries += read.retries
      whole++
    }
    expect(whole).toBeGreaterThan(0)
    expect(retries).toBeGreaterThan(0)
  })
})
