/** Types for stall-watch.js (plain JavaScript so the control thread needs no TypeScript loader; see there). */
import type { BlockedStack } from '../../../shared/blocked-stack'
import type { StallEvent } from '../protocol'
import type { BeatCell } from './beat-cell.js'

export const WATCH_INTERVAL_MS: number
export const RESAMPLE_MS: number

export function startStallWatch(opts: {
  cell: Pick<BeatCell, 'lastBeatMs'>
  capture: () => Promise<BlockedStack>
  send: (event: StallEvent) => void
  thresholdMs: number
}): { stop(): void }
