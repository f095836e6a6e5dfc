/** Types for sync-http.js (plain JavaScript, loaded by the pool's threads with no loader; see there). */
/** GETs url, blocking the calling thread until the answer's body is read; returns its status or throws (err.code). */
export function syncGet(url: string, timeoutMs: number): number
