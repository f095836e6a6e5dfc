/**
 * How long the subject waits for a client, and whom it cuts. Node's HTTP server does the timing: a request whose
 * headers have not all arrived `headersMs` after it began, or whose body has not `requestMs` after it began, is
 * answered 408 and closed (the check runs every `checkEveryMs`, so a cut comes up to that much late). Both clocks
 * stop once the request has arrived whole, so a held /wait or a 60-s demo request, having sent everything, is never
 * cut by them; between requests a keep-alive connection may stay idle `keepAliveMs`. There is no inactivity timeout
 * on a connection with a request in progress (Fastify's `connectionTimeout` 0): a held /wait is silent for up to
 * its poll timeout (at most 120 s) and a request queued behind blocking work or a busy pool for longer.
 *
 * One case Node gets wrong for this lab: a connection accepted just before the loop blocks is read only after the
 * block, but Node started its header clock at the accept, so after a block longer than `headersMs` (100 users × 2 s
 * blocking) an honest client that sent its request at once is cut before its bytes are even read. Such a connection
 * is spared when the loop has not come round since it was accepted (no read was possible); if it then still sends
 * nothing for another `headersMs`, it is cut.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export interface SubjectTimeouts {
  /** the whole head of a request must arrive within this, from its first byte (or the connection's accept) */
  headersMs: number
  /** the whole request, body included, likewise */
  requestMs: number
  /** an idle keep-alive connection between two requests */
  keepAliveMs: number
  /** how often Node looks for requests over their time */
  checkEveryMs: number
}

export const SUBJECT_TIMEOUTS: Readonly<SubjectTimeouts> = Object.freeze({
  headersMs: 30_000,
  requestMs: 30_000,
  // The crowd's connections are never idle this long in a closed loop; one that is (an open loop at a low rate) is
  // reopened by the crowd, which counts a close between requests as no failure.
  keepAliveMs: 65_000,
  checkEveryMs: 1_000
})

/** Turns of the loop are counted on this timer: two counts since an accept mean the loop has polled since. */
const TURN_TICK_MS = 250

const acceptedAtTurn = Symbol('loopscope.acceptedAtTurn')
type Watched = Socket & { [acceptedAtTurn]?: number }

export interface UnreadGuard {
  /** start counting turns and marking accepted connections; stops when the server closes */
  watch(server: Server): void
  /** true when this timeout error hit a connection the loop never had the chance to read: leave it open */
  spares(err: NodeJS.ErrnoException, socket: Socket): boolean
}

export function buildUnreadGuard(headersMs: number): UnreadGuard {
  let turns = 0
  let ticker: NodeJS.Timeout | null = null
  const mark = (socket: Watched): void => {
    socket[acceptedAtTurn] = turns
  }
  return {
    watch(server) {
      ticker = setInterval(() => void turns++, TURN_TICK_MS).unref()
      server.on('connection', mark)
      server.once('close', () => {
        if (ticker) clearInterval(ticker)
      })
    },
    spares(err, socket: Watched) {
      if (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT' || socket.bytesRead > 0) return false
      const at = socket[acceptedAtTurn]
      if (at === undefined || turns - at > 1) return false
      // Node has dropped it from its checks; this is the one left.
      setTimeout(() => {
        if (socket.bytesRead === 0) socket.destroy()
      }, headersMs).unref()
      return true
    }
  }
}

/** The options for Node's server that Fastify passes through (`http`), with its own names for the rest. */
export function timeoutOptions(t: SubjectTimeouts): {
  http: { headersTimeout: number; connectionsCheckingInterval: number }
  requestTimeout: number
  keepAliveTimeout: number
  connectionTimeout: number
} {
  return {
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: t.checkEveryMs },
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionTimeout: 0
  }
}
