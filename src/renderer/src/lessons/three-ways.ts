/**
 * Three ways to push, side by side: the same 5,000 subscribers and 2 messages a second over long polling,
 * Server-Sent Events and WebSocket, in one run changed step by step (connecting 5,000 again for each transport
 * would be most of the lesson). Each transport is first seen as it is — the reader predicts the re-poll storm of
 * long polling before seeing it and its cost — then under a blocked loop, which every transport feels alike.
 *
 * The checks are the figures that tell the transports apart on any machine: requests a second (5,000 × 2 for long
 * polling, none for the streams once open) and bytes per delivered message (a whole HTTP answer and its re-poll,
 * against one event or frame). CPU per delivery differs too, but by how much depends on the machine: the tile shows
 * it, the paragraphs say what to compare.
 */
import { CLASSIC } from '../presets'
import { formatBytes, formatCount } from '../scales'
import { BLOCKED_DELIVERY, most, newest, type Check, type Lesson } from './lesson'

const perS = (v: number): string => `${formatCount(v)} req/s`
const bytes = (v: number): string => formatBytes(v)
const pct = (v: number): string => `${Math.round(v)}%`

/** 5,000 subscribers, 2 messages a second, and one light request at a time beside them (it is what blocks, later) */
const BASE = {
  ...CLASSIC,
  delayMs: 200,
  concurrency: 1,
  connections: 1,
  requests: null,
  durationS: 600,
  subscribers: 5000,
  publishRatePerS: 2,
  blocking: false
} as const

const SUBSCRIBERS = 5000

const connected: Check = {
  id: 'connected',
  on: 'live',
  label: 'all 5,000 connected on this transport',
  value: (rows) => most(rows, (r) => r.subscribers),
  pass: (v) => v >= SUBSCRIBERS - 50,
  format: formatCount
}

const noRepolls: Check = {
  id: 'requests',
  on: 'live',
  seconds: 3,
  label: 'no requests a second once the streams are open',
  value: (rows) => newest(rows, (r) => r.requestsPerS),
  pass: (v) => v <= 50,
  format: perS
}

const smallDeliveries: Check = {
  id: 'bytes',
  on: 'live',
  seconds: 3,
  label: 'each delivery is one small event or frame: under 200 bytes',
  value: (rows) => newest(rows, (r) => r.bytesInPerDelivery),
  pass: (v) => v < 200,
  format: bytes
}

export const THREE_WAYS: Lesson = {
  id: 'three-ways',
  title: 'Three ways to push: long polling, SSE, WebSocket',
  summary:
    'The same 5,000 subscribers and 2 messages a second over each transport: the re-poll storm of long polling, its cost, and a blocked loop under each.',
  intro:
    'One run, changed step by step: 5,000 subscribers and 2 messages a second, first over long polling, then over ' +
    'Server-Sent Events, then over WebSocket — and under each, one blocking handler. Keep the run on from step to ' +
    'step; the subscribers move to the new transport without losing a message.',
  steps: [
    {
      id: 'long-poll',
      title: '1. Long polling: predict the requests',
      paragraphs: [
        'Before you start it: 5,000 subscribers each hold a GET /wait; 2 messages are published a second. Every ' +
          'message answers every held request, and every subscriber asks again at once. How many requests a second ' +
          'will the server get — for 2 messages?',
        '5,000 × 2 = 10,000: the re-poll storm. Each delivery is a whole HTTP answer plus a new request, so watch ' +
          '"requests/s" on the Subscribers chart, and the subject’s CPU per delivery ("CPU / delivery"). On a small ' +
          'machine the loop cannot keep up, and the storm itself delays the messages.'
      ],
      kind: 'run',
      settings: { ...BASE, transport: 'long-poll' },
      checks: [
        {
          id: 'requests',
          on: 'live',
          seconds: 5,
          label: 'thousands of requests a second for just 2 messages (5,000 × 2 = 10,000 on average)',
          value: (rows) => most(rows, (r) => r.requestsPerS),
          pass: (v) => v >= 3000,
          format: perS
        },
        {
          id: 'bytes',
          on: 'live',
          seconds: 3,
          label: 'each delivery is a whole HTTP answer: 250 bytes or more',
          value: (rows) => newest(rows, (r) => r.bytesInPerDelivery),
          pass: (v) => v >= 250,
          format: bytes
        },
        {
          id: 'busy',
          on: 'live',
          seconds: 3,
          label: 'the subject’s loop is at least half busy',
          value: (rows) => most(rows, (r) => r.utilizationPct),
          pass: (v) => v >= 50,
          format: pct
        }
      ]
    },
    {
      id: 'long-poll-blocked',
      title: '2. …and one blocking handler',
      paragraphs: [
        'Now the one request beside the subscribers blocks the loop for its 200 ms. A message can only go out when ' +
          'the loop is free, and the re-polls wait too.'
      ],
      kind: 'change',
      settings: { blocking: true },
      checks: [BLOCKED_DELIVERY]
    },
    {
      id: 'sse',
      title: '3. Server-Sent Events: one stream each',
      paragraphs: [
        'Unblocked, and every subscriber moved to one GET /events that never ends: the server writes each message ' +
          'to the open stream as an event. Predict the requests a second now.',
        'None, once the streams are open: the subscribers reconnect once (from the message after their last — ' +
          'nothing lost), then only read. Compare "CPU / delivery" with step 1: the server no longer parses a ' +
          'request and builds an answer per delivery.'
      ],
      kind: 'change',
      settings: { blocking: false, transport: 'sse' },
      checks: [connected, noRepolls, smallDeliveries]
    },
    {
      id: 'sse-blocked',
      title: '4. …and the same blocking handler',
      paragraphs: [
        'A stream does not help a blocked loop: the event for each message is written when the loop is free, as ' +
          'the long-poll answer was.'
      ],
      kind: 'change',
      settings: { blocking: true },
      checks: [BLOCKED_DELIVERY]
    },
    {
      id: 'websocket',
      title: '5. WebSocket: one socket each',
      paragraphs: [
        'Unblocked, and every subscriber on a WebSocket: one handshake, then frames both ways. For pushing, it costs ' +
          'about what SSE does — one small frame per message — and the client could also talk back on it.',
        'Why did the web get both? SSE is plain HTTP, so proxies and load balancers pass it as they are; a ' +
          'WebSocket is a new protocol after its handshake, which some of them did not know what to do with.'
      ],
      kind: 'change',
      settings: { blocking: false, transport: 'websocket' },
      checks: [connected, noRepolls, smallDeliveries]
    },
    {
      id: 'websocket-blocked',
      title: '6. …and the blocking handler once more',
      paragraphs: [
        'The same: whichever way the messages are pushed, they leave through the one event loop. Nothing in it may ' +
          'block — not with long polling, not with SSE, not with WebSockets.'
      ],
      kind: 'change',
      settings: { blocking: true },
      checks: [BLOCKED_DELIVERY]
    }
  ]
}
