/**
 * work "libuv": each request's work is one `fs.write` on libuv's thread pool that holds a pool thread for delayMs,
 * blocked in the kernel (no CPU), timed from the moment a thread actually starts it — so requests beyond the pool's
 * size queue inside libuv, as a slow fs/crypto/dns.lookup call does in a real server.
 *
 * The construction, and why: a read from a pipe that is written after the delay would not do. The delay would run
 * from the submission, and a request still queued for a thread would find its byte waiting and return at once (8
 * requests on 4 threads would all finish in one delay). So the thread *writes* instead: 1 MiB into a FIFO (a named
 * pipe) whose read end is on this loop (a net.Socket: epoll, not the pool). The pipe holds 64 KiB, so the write
 * blocks in the thread until the loop drains it. The first bytes to arrive say the thread has started; the loop
 * then stops reading for delayMs and drains the rest, and the write's callback — libuv's "work done" — answers.
 *
 * What is real: the pool (UV_THREADPOOL_SIZE, set in the subject's spawn env), its FIFO queue, a thread held in a
 * blocking write(2). What is constructed: the reason the write blocks (our reader pausing, where a real server
 * waits on a disk or a DNS server), and ~1 MiB of memory copying per request (well under a millisecond).
 *
 * Counted here, where we submit and complete (libuv gives no queue API): outstanding = submitted − completed,
 * busy = min(outstanding, pool size), waiting = the rest. Only our own submissions: anything else on the pool (the
 * file-read probe's one read, for microseconds) is not seen. FIFOs are made in batches with `mkfifo` (POSIX only;
 * unlinked, their folder removed, once both ends are open, so a killed subject leaves no file behind) and reused;
 * past MAX_FIFOS, a request waits for a free one before it submits (not counted as waiting: that queue is ours).
 */
import { execFile } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, rmSync, unlinkSync, write } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { epochMs } from '../../../shared/epoch'
import { LabError } from '../../../shared/errors'
import { waitEvented } from './work'

/** Far more than the pipe (64 KiB) plus what the reader takes before it pauses (a read and a stream buffer). */
const WRITE_BYTES = 1 << 20
const FIFOS_PER_BATCH = 32
/** 2 descriptors each, beside up to 10,000 connections, under an open-file limit of 20,000 */
const MAX_FIFOS = 2000

export interface LibuvWork {
  /** one request's work; resolves with the thread's start and end, epoch ms */
  run(delayMs: number): Promise<{ startedAtMs: number; endedAtMs: number }>
  /** tasks submitted to libuv's pool and not yet completed */
  outstanding(): number
  close(): void
}

interface Job {
  delayMs: number
  startedAtMs: number | null
  received: number
  drained: () => void
}

interface Fifo {
  writeFd: number
  socket: Socket
  job: Job | null
}

const PAYLOAD = Buffer.alloc(WRITE_BYTES, 0x2e)

export function buildLibuvWork(): LibuvWork {
  const free: Fifo[] = []
  const all = new Set<Fifo>()
  const waitingForFifo: { resolve: (fifo: Fifo) => void; reject: (err: unknown) => void }[] = []
  let making: Promise<void> | null = null
  let made = 0
  let submitted = 0
  let completed = 0
  let closed = false

  const onData = (fifo: Fifo, chunk: Buffer): void => {
    const job = fifo.job
    if (!job) return
    job.received += chunk.length
    if (job.startedAtMs === null) {
      // a pool thread has begun the write: hold it for the delay, then let it finish
      job.startedAtMs = epochMs()
      fifo.socket.pause()
      void waitEvented(job.delayMs).then(() => {
        if (!closed) fifo.socket.resume()
      })
    }
    if (job.received >= WRITE_BYTES) job.drained()
  }

  const open = (path: string): Fifo => {
    // The read end first and non-blocking (it opens with no writer); then the write end, blocking, finds a reader.
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
    const writeFd = openSync(path, constants.O_WRONLY)
    unlinkSync(path)
    const socket = new Socket({ fd: readFd, readable: true, writable: false })
    const fifo: Fifo = { writeFd, socket, job: null }
    socket.on('data', (chunk: Buffer) => onData(fifo, chunk))
    all.add(fifo)
    return fifo
  }

  const makeBatch = async (): Promise<void> => {
    if (process.platform === 'win32') {
      throw new LabError('LOOPSCOPE_ERR_SUBJECT_START', 'work "libuv" needs named pipes (mkfifo): not on Windows')
    }
    // a folder of its own per batch, gone once its FIFOs are open: nothing is left on disk, even if the subject is killed
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-uv-'))
    try {
      const count = Math.min(FIFOS_PER_BATCH, MAX_FIFOS - made)
      const paths = Array.from({ length: count }, (_, i) => join(dir, `f${i}`))
      await promisify(execFile)('mkfifo', ['-m', '600', ...paths])
      for (const path of paths) {
        const fifo = open(path)
        made++
        const next = waitingForFifo.shift()
        if (next) next.resolve(fifo)
        else free.push(fifo)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  const takeFifo = (): Promise<Fifo> => {
    const fifo = free.pop()
    if (fifo) return Promise.resolve(fifo)
    const taken = new Promise<Fifo>((resolve, reject) => waitingForFifo.push({ resolve, reject }))
    if (made < MAX_FIFOS && making === null) {
      making = makeBatch().finally(() => {
        making = null
      })
      // a failed batch fails the requests waiting for it; the next request tries again
      making.catch((err: unknown) => {
        for (const waiter of waitingForFifo.splice(0)) waiter.reject(err)
      })
    }
    return taken
  }

  const release = (fifo: Fifo): void => {
    fifo.job = null
    const next = waitingForFifo.shift()
    if (next) next.resolve(fifo)
    else free.push(fifo)
  }

  return {
    async run(delayMs) {
      if (closed) throw new Error('the libuv work is closed')
      const fifo = await takeFifo()
      let drained!: () => void
      const allRead = new Promise<void>((resolve) => (drained = resolve))
      const job: Job = { delayMs, startedAtMs: null, received: 0, drained }
      fifo.job = job
      fifo.socket.resume()
      submitted++
      try {
        await new Promise<void>((resolve, reject) => {
          write(fifo.writeFd, PAYLOAD, 0, WRITE_BYTES, null, (err) => (err ? reject(err) : resolve()))
        })
      } finally {
        completed++
      }
      const endedAtMs = epochMs()
      // the last bytes of the write may still be in the pipe; the FIFO is reused only once they are read
      await allRead
      release(fifo)
      return { startedAtMs: job.startedAtMs ?? endedAtMs, endedAtMs }
    },
    outstanding: () => submitted - completed,
    close() {
      closed = true
      for (const fifo of all) {
        fifo.socket.destroy()
        closeSync(fifo.writeFd)
      }
      all.clear()
      free.length = 0
    }
  }
}
