/**
 * Latency histograms (hdr-histogram-js), recorded in microseconds with 3 significant digits (0.1% resolution: a
 * 2000-ms latency is known to ±2 ms). Threads exchange them per tick as compressed base64 and merge on the host.
 */
import * as hdr from 'hdr-histogram-js'

export type Histogram = hdr.Histogram

const ONE_HOUR_US = 3_600_000_000

export function buildHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: ONE_HOUR_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true
  })
}

/** '' for an empty histogram, so that quiet ticks cost nothing to send. */
export function encodeHistogram(h: Histogram): string {
  return h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h)
}

export function decodeHistogram(encoded: string): Histogram | null {
  return encoded === '' ? null : hdr.decodeFromCompressedBase64(encoded, 32)
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)))
}

/** A value of a microsecond histogram, in ms rounded to 0.01 ms. */
export function usToMs(us: number): number {
  return Math.round(us / 10) / 100
}

export function percentileMs(h: Histogram, p: number): number {
  return usToMs(h.getValueAtPercentile(p))
}

/** One histogram holding all of these; null when there are none. */
export function mergeAll(hs: readonly (Histogram | null)[]): Histogram | null {
  const present = hs.filter((h): h is Histogram => h !== null)
  if (present.length === 0) return null
  const merged = buildHistogram()
  for (const h of present) merged.add(h)
  return merged
}
