/** Types for pool-task.js (plain JavaScript so pool threads need no TypeScript loader; see there). */
export type PoolTask =
  | { work: 'wait' | 'cpu'; delayMs: number }
  /** a synchronous call to the backend (work "upstream"): the thread is held until its answer has come */
  | { work: 'upstream'; delayMs: number; url: string; timeoutMs: number }

/** Holds the calling thread without spinning for delayMs. */
export function waitBlocking(delayMs: number): void
/** Busy computation for delayMs; returns its result so it cannot be optimised away. */
export function cpuBlocking(delayMs: number): number
/** epoch ms by the thread's clock; x is the CPU work's result, so it cannot be optimised away */
export interface PoolResult {
  x: number
  startedAtMs: number
  endedAtMs: number
}
export default function poolTask(task: PoolTask): PoolResult
