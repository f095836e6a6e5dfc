/**
 * The one clock that crosses a process boundary: epoch ms with sub-ms precision (performance.timeOrigin +
 * performance.now()). The subject, the crowd and the pool's threads all stamp with it, so two processes of one
 * machine agree to well under a millisecond. (The dependency-free .js files of the subject — pool-task, stall-watch,
 * beat-cell — write the same expression themselves: they load without a TypeScript loader.)
 */
export const epochMs = (): number => performance.timeOrigin + performance.now()
