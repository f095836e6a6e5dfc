/** Types for stack-frames.js (plain JavaScript so the control thread needs no TypeScript loader; see there). */
import type { StackFrame } from '../../../shared/blocked-stack'

export const MAX_FRAMES: number
export function frameKind(url: string): StackFrame['kind'] | 'instrumentation'
export function parseFrameLine(text: string): { functionName: string; url: string; line: number; column: number } | null
/** Error.stack text → the wire's frames, top first */
export function toFrames(stackText: string): StackFrame[]
