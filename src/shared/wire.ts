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

/** On a /wait answer: how many of the messages asked for had already left the log. */
export const MISSED_HEADER = 'x-loopscope-missed'

/**
 * On a /publish request from this machine: when the publisher asked to publish (epoch ms). The subject then dates
 * the message from it, so the delivery latency includes the time the request waited for the subject's loop.
 * On a /wait answer: when the subject wrote it (epoch ms, the subject's clock), so a client on another machine can
 * tell how late a message came (this minus its publishedAt) without trusting its own clock.
 */
export const SENT_AT_HEADER = 'x-loopscope-sent-at'

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
