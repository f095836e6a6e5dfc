/**
 * A refused value, described for the refusal that names it: short, in words, and safe for anything a client can
 * send — 5,000 levels of nesting, a 60,000-character text, a cycle (IPC's structured clone keeps them). It never
 * recurses more than a few dozen levels: JSON.stringify and String() of a deeply nested array overflow the stack,
 * which is how such a value used to be answered "Maximum call stack size exceeded". It aims at what a person reads
 * next to a field, not at a faithful copy of the value.
 */

/** a value whose compact JSON is at most this long is shown as it is */
const MAX_SHOWN_CHARS = 40
/** a longer text shows its first this many characters */
const TEXT_PREFIX_CHARS = 24
/** nesting is measured over at most this many arrays and objects (a 64-KiB message holds about 32,000) */
const MAX_COUNTED_NODES = 100_000

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`

function describeText(text: string): string {
  const chars = [...text]
  if (chars.length <= MAX_SHOWN_CHARS) return JSON.stringify(text)
  return `${JSON.stringify(chars.slice(0, TEXT_PREFIX_CHARS).join('') + '…')} (a text of ${chars.length} characters)`
}

/** The value's compact JSON if it fits in `budget` characters, else null. Each level costs a character, so the
 * recursion is at most `budget` deep whatever the value. */
function compact(value: unknown, budget: number): string | null {
  let out = ''
  const write = (v: unknown): boolean => {
    if (out.length > budget) return false
    if (v === null || v === undefined) out += 'null'
    else if (typeof v === 'string') out += JSON.stringify(v.length > budget ? v.slice(0, budget + 1) : v)
    else if (typeof v === 'number' || typeof v === 'boolean') out += String(v)
    else if (Array.isArray(v)) {
      out += '['
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ','
        if (!write(v[i])) return false
      }
      out += ']'
    } else if (typeof v === 'object') {
      out += '{'
      let first = true
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue
        if (!first) out += ','
        first = false
        out += JSON.stringify(key.length > budget ? key.slice(0, budget + 1) : key) + ':'
        if (!write((v as Record<string, unknown>)[key])) return false
      }
      out += '}'
    } else return false
    return out.length <= budget
  }
  return write(value) ? out : null
}

/** How many levels of arrays and objects the value holds, counted without recursion. */
function nesting(value: object): number {
  let deepest = 0
  let counted = 0
  const seen = new Set<object>()
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0 && counted < MAX_COUNTED_NODES) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object' || seen.has(v)) continue
    seen.add(v)
    counted++
    if (depth > deepest) deepest = depth
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }
  return deepest
}

/** `"abc"`, `42`, `[1,2]`, `an array of 500 items`, `an array nested 5000 levels deep`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') return describeText(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value !== 'object') return `a ${typeof value}`
  const shown = compact(value, MAX_SHOWN_CHARS)
  if (shown !== null) return shown
  const kind = Array.isArray(value) ? 'an array' : 'an object'
  const levels = nesting(value)
  if (levels > 3) return `${kind} nested ${levels} levels deep`
  return Array.isArray(value)
    ? `${kind} of ${plural(value.length, 'item')}`
    : `${kind} with ${plural(Object.keys(value).length, 'field')}`
}

/** Names for a list of keys a client sent, at most `max` of them and each short: `"a", "b" and 3 more`. */
export function describeNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map(describeText)
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ')
}
