/** Types for settings-block.js (plain JavaScript so the control thread needs no TypeScript loader; see there). */
export const SETTINGS_PAYLOAD_BYTES: number

export interface SettingsBlock {
  /** the block's sequence number: one Atomics.load; it changes with every write (odd while one is in progress) */
  seq(): number
  /** stores the text (the one writer: the control thread); returns the new, even seq; throws if it does not fit */
  write(text: string): number
  /** the whole payload and the seq it belongs to; null if writes kept overlapping the read (try again later) */
  read(): { seq: number; text: string; retries: number } | null
}

export function createSettingsBlock(payloadBytes?: number): SharedArrayBuffer
export function openSettingsBlock(buffer: SharedArrayBuffer): SettingsBlock
