/**
 * What a client may send to the broadcast lab, checked the same way on every transport: a `since` cursor (/wait's
 * and /events' query, /ws's URL and `{"since"}` frame, SSE's Last-Event-ID) and a message text (POST /publish and
 * /ws's `{"text"}` frame). Each check answers the refusal in the user's words, naming the field and what it takes.
 */
import { describeValue as describe } from '../../../shared/describe-value'
import { epochMs } from '../../../shared/epoch'
import { TEXT_MAX_CHARS } from '../../../shared/wire'

const ID_PATTERN = /^\d{1,15}$/

/** since: undefined = wait for the next message; a number = messages with id ≥ it; a string = why it is refused */
export function parseSince(raw: unknown, field = 'since'): number | undefined | string {
  if (raw === undefined) return undefined
  if (typeof raw === 'string' && ID_PATTERN.test(raw)) return Number(raw)
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw
  return `${field} must be a non-negative integer message id (got ${describe(raw)})`
}

/** Null when `text` is a publishable message text, else why not. */
export function textProblem(text: unknown): string | null {
  if (typeof text === 'string') {
    // Count characters as people do (code points), not UTF-16 units; the length test first keeps this cheap.
    const chars = text.length <= TEXT_MAX_CHARS ? text.length : [...text].length
    if (chars >= 1 && chars <= TEXT_MAX_CHARS) return null
  }
  return `text must be a string of 1 to ${TEXT_MAX_CHARS} characters (got ${describe(text)})`
}

/**
 * The publisher's SENT_AT_HEADER, when plausible, dates the message (a blocked loop then shows in the delivery
 * latency). Anything implausible (not a number, in the future, over a minute old) is ignored and the subject's own
 * clock is used.
 */
export function sentAt(header: string | string[] | undefined): number | undefined {
  const at = Number(header)
  if (typeof header !== 'string' || !Number.isFinite(at)) return undefined
  const now = epochMs()
  return at <= now + 5 && at >= now - 60_000 ? at : undefined
}
