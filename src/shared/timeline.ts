/**
 * Each request's timeline, as frames, saved runs and the swimlane chart carry it: one bar per sampled request, its
 * phase boundaries in ms since the run started (the host converts the subject's epoch clock once, in
 * sampler/timeline.ts). A frame carries only the bars that arrived since the previous frame; the renderer keeps the
 * last TIMELINE_WINDOW_MS of them (bounded by TIMELINE_MAX_BARS) and draws them. Nothing here is derived again.
 *
 * Phases, in order (each may be empty):
 *   waiting to be read   sentAt → handlerAt   (the crowd's send → the handler starts: socket/backlog, parse, route)
 *   waiting for a thread handlerAt → workStartAt (a pool's queue; ~0 for work on the loop; for an evented call to the
 *                        backend, the wait for a connection of its pool — phaseLabels names it so)
 *   working              workStartAt → workEndAt, `where` says on what
 *   writing              workEndAt → writtenAt (serialise, write, until Node hands the last byte to the OS)
 */

/** How long a live swimlane looks back, ms. */
export const TIMELINE_WINDOW_MS = 6000
/** The most bars a swimlane draws (the newest); also what a saved run keeps of its end. */
export const TIMELINE_MAX_BARS = 300
/** The most requests one subject report samples (uniformly, from those answered in its 100 ms): 1,000 a second. */
export const TIMELINE_REPORT_MAX_BARS = 100
/** The most new bars one frame carries (two reports can land in one frame). */
export const TIMELINE_FRAME_MAX_BARS = 2 * TIMELINE_REPORT_MAX_BARS

/**
 * Where a request's work ran. An open set: the loop, a pool thread, 'libuv pool' and 'backend' (an evented call); more can join
 * without a change here (the chart colours working the same and names `where` in its title text).
 */
export type TimelineWhere = 'loop' | 'thread' | (string & {})

export interface TimelineBar {
  /** the crowd's send (its x-loopscope-request-sent-at header); null when the request did not carry one */
  sentAt: number | null
  /** Node parsed the request (diagnostics_channel http.server.request.start) */
  readAt: number
  /** the handler began (the handler's own mark; = readAt for routes without marks) */
  handlerAt: number
  /** the work began and ended; both = handlerAt for routes without work (hello world) */
  workStartAt: number
  workEndAt: number
  where: TimelineWhere | null
  /** the answer was written (diagnostics_channel http.server.response.finish) */
  writtenAt: number
}

/** What one frame adds to the timeline. */
export interface TimelineDelta {
  /** new bars, a uniform sample of `answered` */
  bars: TimelineBar[]
  /** requests the subject answered in the reports this frame covers (bars are a sample of them); null in a saved
   * run's last frame, which carries the run's last bars and not their count */
  answered: number | null
}

export const TIMELINE_PHASES = ['waiting to be read', 'waiting for a thread', 'working', 'writing'] as const
export type TimelinePhase = (typeof TIMELINE_PHASES)[number]

const WHERE_WORDS: Record<string, string> = {
  loop: 'on the loop',
  thread: 'on a thread',
  backend: 'at the backend',
  'libuv pool': "on libuv's pool"
}

/**
 * The legend's words for each phase, from where the bars shown did their work (the dashboard's swimlane and the
 * report's say the same): "working (at the backend)"; the wait before the work is for a thread, or, for an evented
 * call to the backend, for a connection of its pool — the phase is the same span of the bar, its name follows `where`.
 */
export function phaseLabels(bars: readonly TimelineBar[]): Record<TimelinePhase, string> {
  // in a fixed order (the known places first), so the words hold still as the window slides
  const known = Object.keys(WHERE_WORDS)
  const rank = (w: string): number => (known.includes(w) ? known.indexOf(w) : known.length)
  const where = [...new Set(bars.map((b) => b.where).filter((w): w is string => w !== null))].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b)
  )
  // a thread's wait first, then a connection's: the order the words are read in
  const waits = ['a thread', 'a connection'].filter((w) =>
    where.some((place) => (place === 'backend' ? 'a connection' : 'a thread') === w)
  )
  return {
    'waiting to be read': 'waiting to be read',
    'waiting for a thread': waits.length ? `waiting for ${waits.join(' or ')}` : 'waiting for a thread',
    working: where.length ? `working (${where.map((w) => WHERE_WORDS[w] ?? `on ${w}`).join(', ')})` : 'working',
    writing: 'writing'
  }
}

/** A bar's phases as [from, to) spans in ms since the run started; empty ones left out. */
export function barPhases(bar: TimelineBar): { phase: TimelinePhase; fromMs: number; toMs: number }[] {
  const edges: [TimelinePhase, number, number][] = [
    ['waiting to be read', bar.sentAt ?? bar.readAt, bar.handlerAt],
    ['waiting for a thread', bar.handlerAt, bar.workStartAt],
    ['working', bar.workStartAt, bar.workEndAt],
    ['writing', bar.workEndAt, bar.writtenAt]
  ]
  return edges.filter(([, from, to]) => to > from).map(([phase, fromMs, toMs]) => ({ phase, fromMs, toMs }))
}

/**
 * The bars a swimlane shows at `nowMs` (ms since the run started): those answered in the last TIMELINE_WINDOW_MS,
 * the newest TIMELINE_MAX_BARS of them, oldest answer first. `kept` is the previous result; the same array comes
 * back when nothing changed, so memoised charts skip work.
 */
export function keepBars(
  kept: readonly TimelineBar[],
  added: readonly TimelineBar[],
  nowMs: number
): readonly TimelineBar[] {
  const fromMs = nowMs - TIMELINE_WINDOW_MS
  if (added.length === 0 && (kept.length === 0 || kept[0]!.writtenAt >= fromMs)) return kept
  const all = added.length === 0 ? kept : [...kept, ...added].sort((a, b) => a.writtenAt - b.writtenAt)
  let first = Math.max(0, all.length - TIMELINE_MAX_BARS)
  while (first < all.length && all[first]!.writtenAt < fromMs) first++
  return all.slice(first)
}
