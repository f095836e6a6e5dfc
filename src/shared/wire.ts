/**
 * What the subject's long-poll routes and their clients (the crowd's subscribers and publisher, the /live page, the
 * dashboard) agree on over HTTP. Both sides import it from here, so neither reaches into the other's code.
 */

/** A broadcast message as /wait and /publish answer it. */
export interface Message {
  /** consecutive from 1 within one subject process */
  id: number
  /** 1 to TEXT_MAX_CHARS characters */
  text: string
  /** epoch ms with sub-ms precision: performance.timeOrigin + performance.now() in the subject */
  publishedAt: number
}

/** A message's text, in characters as people count them (code points), not UTF-16 units. */
export const TEXT_MAX_CHARS = 280

/** GET: the long poll (`?since=N`), answered with a Message[] (see subject/long-poll.ts). */
export const WAIT_PATH = '/wait'
/** POST `{ text }` as application/json: publishes one Message, answered with it. */
export const PUBLISH_PATH = '/publish'

/** On a /wait answer: how many of the messages asked for had already left the log. */
export const MISSED_HEADER = 'x-loopscope-missed'

/**
 * On every request of the crowd's load: when the crowd sent it (epoch ms, performance.timeOrigin + now()), so the
 * subject's timeline shows the time it waited to be read.
 * On a /publish request from this machine: when the publisher asked to publish (epoch ms). The subject then dates
 * the message from it, so the delivery latency includes the time the request waited for the subject's loop.
 * On a /wait answer: when the subject wrote it (epoch ms, the subject's clock), so a client on another machine can
 * tell how late a message came (this minus its publishedAt) without trusting its own clock.
 */
export const SENT_AT_HEADER = 'x-loopscope-sent-at'

/**
 * On the crowd's warm-up requests (one hello per connection before the clock starts): not part of the experiment,
 * so the subject's timeline leaves them out.
 */
export const WARM_UP_HEADER = 'x-loopscope-warm-up'

/** On a /wait answer: how many /wait requests were held as it left, the asker's included. */
export const HELD_HEADER = 'x-loopscope-held'

/**
 * On a /wait answer: which subject process answered (an opaque id, new at each start). Ids count from 1 again in a
 * new process, so a client that sees this change starts over instead of dropping the new messages as old.
 */
export const RUN_HEADER = 'x-loopscope-run'

/** On a /wait answer: how long the next wait will be held before it is answered [] (ms). */
export const POLL_TIMEOUT_HEADER = 'x-loopscope-poll-timeout-ms'

/** On a /wait answer: "1" when the subject is stopping (its held requests are answered [] as it closes). */
export const STOPPING_HEADER = 'x-loopscope-stopping'

// ── Server-Sent Events and WebSocket: the two transports beside long polling (same log, same Message) ────────────

/**
 * GET /events — Server-Sent Events (text/event-stream). The response starts with `retry: SSE_RETRY_MS` and an
 * `event: hello` whose data is a PushHello; then one event per message, `id: <id>` and `data: <Message as JSON>`
 * (no `event:` line: the default "message" type). Resume: `Last-Event-ID: K` sends every message with id > K still
 * in the log; `?since=N` every message with id ≥ N (as /wait; since=0 = all the log holds); neither = only messages
 * published from now on. Messages that had already left the log are said by one `event: missed` whose data is a
 * PushMissed, before the rest. A comment line (`: keep-alive`) every SSE_KEEPALIVE_MS keeps proxies from closing an
 * idle stream. A `event: stopping` (data `{}`) is sent when the subject closes.
 */
export const SSE_PATH = '/events'
export const SSE_KEEPALIVE_MS = 15_000
export const SSE_RETRY_MS = 1_000

/**
 * GET /ws — WebSocket (RFC 6455), no per-message deflate. Every frame either way is one JSON text frame.
 * Server → client: a PushHello first, then PushServerFrame values; each message is `{"type":"message", ...Message}`,
 * framed once per publish and written as the same bytes to every socket.
 * Resume: `/ws?since=N` in the URL sends, right after the hello and before any new message, every message with
 * id ≥ N still in the log (as /wait; a `missed` first if some had left it): the one way to resume with no gap and no
 * repeat, since a message published while a `since` frame is on its way is sent to the socket live first.
 * Client → server: `{"since": N}` — restarts the socket's stream at N: the messages with id ≥ N are sent (again, if
 * the socket already had some — a client drops repeats by id), in order, then the new ones; a socket that sends
 * nothing and has no ?since gets only new messages. `{"ping": N}` (N any number) — answered `{"type":"pong", ping: N}`
 * at once: how a client (the /live page) sees the subject's loop answer while no message comes. `{"text": "…"}` — publish, validated as POST /publish (answered
 * `{"type":"published", id}` or `{"type":"refused", code, message}`). Anything else — not JSON, an unknown shape, a
 * frame over WS_MAX_CLIENT_FRAME_BYTES — is refused: a `refused` frame for a wrong shape, close code 1003 (not
 * JSON), 1009 (too large). A socket whose unsent bytes pass the send-buffer cap is a slow consumer: closed with 1008
 * and counted.
 */
export const WS_PATH = '/ws'
export const WS_MAX_CLIENT_FRAME_BYTES = 8 * 1024

/**
 * The subject's send-buffer cap per SSE stream or WebSocket: when a message is to be written and more than this
 * many bytes still wait unsent to the connection, it is a slow consumer — closed (WebSocket: 1008) and counted. A
 * resume's replay may go past it by the replay's own size (at most the log), until the client has read it.
 */
export const PUSH_SEND_BUFFER_CAP_BYTES = 256 * 1024

export const PUSH_TRANSPORTS = ['long-poll', 'sse', 'websocket'] as const
export type PushTransport = (typeof PUSH_TRANSPORTS)[number]

/** First thing an SSE stream or a WebSocket says: which subject process (as RUN_HEADER) and the id that comes next. */
export interface PushHello {
  type: 'hello'
  run: string
  /** the id the next published message will get */
  next: number
  /** the subject's clock as it said hello (epoch ms): a client on another machine can read delays on it (as SENT_AT) */
  now: number
  /** subscribers of every transport connected as it said hello, this one included (as HELD_HEADER) */
  subscribers: number
  /** with several processes: which one (1 …) holds this connection (its subscriber count is that process's) */
  process?: number
}

/** Messages asked for (by a resume) that had already left the log (logSize). */
export interface PushMissed {
  type: 'missed'
  count: number
}

export type PushServerFrame =
  | PushHello
  | PushMissed
  | ({ type: 'message' } & Message)
  | { type: 'published'; id: number }
  | { type: 'refused'; code: string; message: string }
  | { type: 'pong'; ping: number }
  | { type: 'stopping' }
