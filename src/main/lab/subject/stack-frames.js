/**
 * The inspector's call frames as the wire carries them (shared/blocked-stack.ts): Loopscope's own instrumentation
 * left out, each frame marked as the server's code ('user'), a package's ('library', node_modules) or Node's own
 * ('node'), so the user code can be shown first; at most MAX_FRAMES; 1-based lines.
 *
 * A call frame's own `url` is deprecated and often empty: the script's url comes from its Debugger.scriptParsed
 * event. Code run through a loader (TypeScript under tsx: one long line) carries an inline source map; its
 * positions are mapped back to the source file and line with node:module's SourceMap, here on the control thread,
 * after the pause. A script with no inline map keeps the positions of the code as it runs (a bundle's lines).
 */
import { SourceMap } from 'node:module'

/** Enough to show the handler and who called it; the wire stays small. */
export const MAX_FRAMES = 16

/** Loopscope's own files in the subject that watch the loop: never the answer to "what is blocking". */
const INSTRUMENTATION = /[\\/]subject[\\/](instrument|memory-probe|beat-cell|stack-capture|stack-frames|stall-watch)\.[jt]s$/
const INLINE_MAP = /^data:application\/json(?:;charset=[^;,]+)?;base64,/

export function frameKind(url) {
  if (url === '' || url.startsWith('node:')) return 'node'
  if (INSTRUMENTATION.test(url.replace(/[?#].*$/, ''))) return 'instrumentation'
  if (/[\\/]node_modules[\\/]/.test(url)) return 'library'
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

/** Parsed inline source maps by script, built on first use: null where a script has none. */
const maps = new WeakMap()

function sourceMapOf(script) {
  if (!script?.sourceMapURL || !INLINE_MAP.test(script.sourceMapURL)) return null
  if (!maps.has(script)) {
    let map = null
    try {
      const json = Buffer.from(script.sourceMapURL.replace(INLINE_MAP, ''), 'base64').toString('utf8')
      map = new SourceMap(JSON.parse(json))
    } catch {
      // an unreadable map: keep the positions as they run
    }
    maps.set(script, map)
  }
  return maps.get(script)
}

/** `scriptOf(scriptId)` → `{url, sourceMapURL}` as scriptParsed said, or undefined. */
export function toFrames(callFrames, scriptOf = () => undefined) {
  const frames = []
  for (const f of callFrames) {
    const script = scriptOf(f.location.scriptId)
    const url = script?.url || f.url || ''
    const kind = frameKind(url)
    if (kind === 'instrumentation') continue
    const entry = sourceMapOf(script)?.findEntry(f.location.lineNumber, f.location.columnNumber)
    const mapped = entry && typeof entry.originalLine === 'number'
    frames.push({
      functionName: f.functionName,
      file: fileOf(mapped && entry.originalSource ? entry.originalSource : url),
      line: (mapped ? entry.originalLine : f.location.lineNumber) + 1,
      column: (mapped ? entry.originalColumn : f.location.columnNumber) + 1,
      kind
    })
    if (frames.length === MAX_FRAMES) break
  }
  return frames
}
