/** Types for beat-cell.js (plain JavaScript so the control thread needs no TypeScript loader; see there). */
export interface BeatCell {
  /** stores the time of a beat, epoch ms (now by default) */
  beat(atMs?: number): void
  /** epoch ms of the last beat; null before the first */
  lastBeatMs(): number | null
}

export function createBeatCell(): SharedArrayBuffer
export function openBeatCell(buffer: SharedArrayBuffer): BeatCell
