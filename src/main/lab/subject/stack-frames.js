/**
 * A captured stack's text (V8's `Error.stack`, "    at fn (file:line:col)") as the wire carries it
 * (shared/blocked-stack.ts): Loopscope's own instrumentation left out, each frame marked as the server's code
 * ('user'), a package's ('library', node_modules) or Node's own ('node', builtins such as Atomics.wait included), so
 * the user code can be shown first; at most MAX_FRAMES; lines 1-based as V8 writes them.
 *
 * The positions are those Error.stack gives on the main thread: mapped back to the source where that thread has
 * source maps on (tsx turns them on for TypeScript), else the code's as it runs (a bundle's lines).
 */

/** Enough to show the handler and who called it; the wire stays small. */
export const MAX_FRAMES = 16

/** Loopscope's own files in the subject that watch the loop: never the answer to "what is blocking". */
const INSTRUMENTATION =
  /[\\/]subject[\\/](instrument|memory-probe|beat-cell|stack-capture|stack-frames|stall-watch)\.[jt]s$/
/** "    at fn (where)", "    at where", "    at async fn (where)" */
const LINE = /^\s*at (?:async )?(?:(.*?) \((.*)\)|(.*))$/
/** "file:///a/b.ts:12:5" → file, line, column */
const WHERE = /^(.*):(\d+):(\d+)$/

export function frameKind(url) {
  const path = url.replace(/[?#].*$/, '')
  // Node's own modules, and V8's builtins and markers ("<anonymous>", "native", "index 0"): no file path
  if (path.startsWith('node:') || !/[\\/]/.test(path)) return 'node'
  if (INSTRUMENTATION.test(path)) return 'instrumentation'
  if (/[\\/]node_modules[\\/]/.test(path)) return 'library'
  return 'user'
}

function fileOf(url) {
  const path = url.replace(/[?#].*$/, '')
  let name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
  try {
    name = decodeURIComponent(name)
  } catch {
    // keep it as written
  }
  return name || url
}

/** One "at …" line → {functionName, url, line, column}; null for a line that is not a frame. */
export function parseFrameLine(text) {
  const m = LINE.exec(text)
  if (!m) return null
  const name = m[1] ?? ''
  const where = m[2] ?? m[3] ?? ''
  const at = WHERE.exec(where)
  // "<anonymous>" alone is an anonymous function; V8's "Object." before a plain function's name says nothing
  return {
    functionName: name === '<anonymous>' ? '' : name.replace(/^Object\./, ''),
    url: at ? at[1] : where,
    line: at ? Number(at[2]) : 0,
    column: at ? Number(at[3]) : 0
  }
}

/** Error.stack text (its first line the error's name) → the wire's frames. */
export function toFrames(stackText) {
  const frames = []
  for (const text of String(stackText).split('\n').slice(1)) {
    const f = parseFrameLine(text)
    if (!f) continue
    // the capture's own script ("<anonymous>:8:3"), as against a builtin such as "Atomics.wait (<anonymous>)"
    if (f.url === '<anonymous>' && f.line > 0) continue
    const kind = frameKind(f.url)
    if (kind === 'instrumentation') continue
    frames.push({ functionName: f.functionName, file: fileOf(f.url), line: f.line, column: f.column, kind })
    if (frames.length === MAX_FRAMES) break
  }
  return frames
}
