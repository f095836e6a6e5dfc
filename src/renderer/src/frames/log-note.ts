/**
 * The line under the tiles about the broadcast log, with store "redis": what it started with (messages earlier runs
 * left in it) and whether the subject reaches it now. Memory has no line: its log always starts empty, which the
 * lesson on restarts says in its check. Red while Redis is away, so a presenter sees why publishes are refused.
 */
import type { PushFrame } from '../../../shared/frame'
import { messageLogWords } from '../../../shared/run-words'

export function logNote(push: PushFrame | null | undefined): { text: string; down: boolean } | null {
  if (!push?.redis) return null
  return { text: `Message log ${messageLogWords('redis', push.logStartId, push.redis)}`, down: !push.redis.up }
}

/** Redis is reachable again: a banner saying it went away no longer says how things are (the note keeps the count). */
export const storeBack = (push: PushFrame | null | undefined): boolean => push?.redis?.up === true
