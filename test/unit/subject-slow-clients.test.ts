import { EventEmitter } from 'node:events'
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildUnreadGuard } from '../../src/main/lab/subject/slow-clients'

const timeout = Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' })

function fakeSocket(bytesRead = 0): Socket & { destroy: ReturnType<typeof vi.fn> } {
  return { bytesRead, destroy: vi.fn() } as unknown as Socket & { destroy: ReturnType<typeof vi.fn> }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the unread-connection guard', () => {
  it('spares a silent connection the loop has not come round to read since its accept, and cuts it a timeout later', () => {
    vi.useFakeTimers()
    const server = new EventEmitter() as Server
    const guard = buildUnreadGuard(1000)
    guard.watch(server)
    const socket = fakeSocket()
    server.emit('connection', socket)
    vi.advanceTimersByTime(250) // the one turn that ends the block
    expect(guard.spares(timeout, socket)).toBe(true)
    vi.advanceTimersByTime(999)
    expect(socket.destroy).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(socket.destroy).toHaveBeenCalled()
    server.emit('close')
  })

  it('leaves to the timeout a connection the loop had time to read, one that sent bytes, and other errors', () => {
    vi.useFakeTimers()
    const server = new EventEmitter() as Server
    const guard = buildUnreadGuard(1000)
    guard.watch(server)
    const silent = fakeSocket()
    const slow = fakeSocket(12)
    server.emit('connection', silent)
    server.emit('connection', slow)
    expect(guard.spares(Object.assign(new Error('parse'), { code: 'HPE_INVALID_METHOD' }), silent)).toBe(false)
    expect(guard.spares(timeout, slow)).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(guard.spares(timeout, silent)).toBe(false)
    server.emit('close')
  })
})
