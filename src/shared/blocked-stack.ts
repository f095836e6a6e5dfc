/**
 * What was blocking the subject's loop: the JavaScript stack captured while it was stalled (see
 * src/main/lab/subject/stack-capture.js for how), or, where no JavaScript ran to be asked, what the system says the
 * thread was doing. Shared by the sampler (which owns the figures), the dashboard, the CLI and saved runs.
 */

export interface StackFrame {
  /** '' for an anonymous function */
  functionName: string
  /** the script's file name (no folder), as the code runs: a bundle or a transpiled file has its own lines */
  file: string
  /** 1-based */
  line: number
  column: number
  /** the server's own code, a package's (node_modules), or Node's own */
  kind: 'user' | 'library' | 'node'
}

export interface BlockedStack {
  /** top (innermost) first; Loopscope's own instrumentation left out; [] when `native` */
  frames: StackFrame[]
  /** set when no JavaScript ran to be asked (a system call that has not returned): what the system says, in words */
  native: string | null
}

/** One line of the summary's "what held the loop longest": a stack and every stall it held. */
export interface BlockedStackTotal {
  stack: BlockedStack
  /** total stalled time attributed to this stack over the run, ms */
  stalledMs: number
  /** stalls in which it was seen */
  stalls: number
}

/** At most this many lines in the summary. */
export const TOP_STACKS = 5

const nameOf = (f: StackFrame): string => f.functionName || '(anonymous)'

/** The frames to show first: the user's code, or, if none of it is on the stack, all of it. */
function shownFrames(stack: BlockedStack): StackFrame[] {
  const user = stack.frames.filter((f) => f.kind === 'user')
  return user.length > 0 ? user : stack.frames
}

/**
 * "in waitBlocking (pool-task.js:16) ← … ← workHandler": the innermost user function where it is and the outermost
 * user frame (the handler), "…" standing for the user frames between (stackLines has them all); or "in native code
 * (system call read, …)". Short enough for the BLOCKED badge.
 */
export function stackLabel(stack: BlockedStack): string {
  if (stack.native !== null) return `in native code (${stack.native})`
  const [top, ...callers] = shownFrames(stack)
  if (!top) return 'in native code (no JavaScript on the stack)'
  const names = callers.map(nameOf)
  const shown = names.length <= 1 ? names : ['…', names[names.length - 1]!]
  return [`in ${nameOf(top)} (${top.file}:${top.line})`, ...shown].join(' ← ')
}

/** Every frame, one a line, user code first: for a hover or a report. */
export function stackLines(stack: BlockedStack): string[] {
  if (stack.native !== null) return [stackLabel(stack)]
  const user = stack.frames.filter((f) => f.kind === 'user')
  const rest = stack.frames.filter((f) => f.kind !== 'user')
  return [...user, ...rest].map((f) => `${nameOf(f)} (${f.file}:${f.line})${f.kind === 'user' ? '' : ` · ${f.kind}`}`)
}

/**
 * Which stalls count as the same stack: the same functions in the same files. Lines are left out, so a busy loop
 * caught on two lines of one function is one stack.
 */
export function stackKey(stack: BlockedStack): string {
  if (stack.native !== null) return `native:${stack.native}`
  return stack.frames.map((f) => `${f.functionName}@${f.file}`).join('<')
}
