/**
 * The speaker's keys, as one pure map from a key press (and what has focus) to an action, so that the map, the `?`
 * overlay and the tooltips cannot disagree. Letter keys never fire while typing in a text field; Space and Enter
 * start/stop only when focus is on nothing they would activate themselves (a button, a switch, a tab…).
 */

export type KeyAction =
  | 'run'
  | 'blocking'
  | 'presets'
  | 'broadcast'
  | 'hold'
  | 'reset'
  | 'settings'
  | 'fullscreen'
  | 'presenter'
  | 'runs'
  | 'shortcuts'
  | 'close'

/** what has focus: a text field (typing), another control (Space/Enter activate it), or nothing interactive */
export type FocusKind = 'text' | 'control' | 'other'

export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  focus: FocusKind
}

/** Every key, in the order the overlay lists them. */
export const SHORTCUTS: readonly { keys: readonly string[]; action: KeyAction; does: string }[] = [
  { keys: ['Space', 'Enter'], action: 'run', does: 'Start a run, or stop the one on' },
  { keys: ['b'], action: 'blocking', does: 'Blocking on / off (the handler holds the event loop)' },
  { keys: ['p'], action: 'presets', does: 'Go to the presets (again: the next one); Enter applies it' },
  {
    keys: ['m'],
    action: 'broadcast',
    does: 'Write a message to broadcast to every subscriber and phone (Enter sends it)'
  },
  { keys: ['g'], action: 'hold', does: 'Hold traffic on / off at the front door (a run started with Front door on)' },
  { keys: ['r'], action: 'reset', does: 'Reset the charts (the run goes on)' },
  { keys: ['s'], action: 'settings', does: 'Hide or show the settings panel' },
  { keys: ['f'], action: 'fullscreen', does: 'Full screen on / off' },
  {
    keys: ['v'],
    action: 'presenter',
    does: 'Presenter mode on / off: tiles and charts only, in large type, full screen'
  },
  { keys: ['o'], action: 'runs', does: 'Open the saved runs (again: back to where you were)' },
  { keys: ['h', '?'], action: 'shortcuts', does: 'Show or hide this list of keys' },
  { keys: ['Esc'], action: 'close', does: 'Close this list, leave presenter mode, or close the run summary' }
]

const BY_KEY: ReadonlyMap<string, KeyAction> = new Map(
  SHORTCUTS.flatMap((s) => s.keys.map((k) => [k === 'Space' ? ' ' : k === 'Esc' ? 'Escape' : k, s.action] as const))
)

/** The action a key press asks for, or null (the key then does what it would have done anyway). */
export function keyAction(press: KeyPress): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null
  const action = BY_KEY.get(press.key) ?? null
  if (action === null) return null
  if (action === 'close') return action
  if (press.focus === 'text') return null
  if (action === 'run' && press.focus === 'control') return null
  return action
}

/** The key hint a tooltip ends with: " (Space)". */
export function keyHint(action: KeyAction): string {
  const s = SHORTCUTS.find((x) => x.action === action)
  return s ? ` (${s.keys.join(' or ')})` : ''
}

/** Inputs that take typing; every other input type (checkbox, radio, range, button…) is a control. */
const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image'])
const CONTROL_TAGS = new Set(['BUTTON', 'SELECT', 'A', 'SUMMARY'])
const CONTROL_ROLES = new Set(['button', 'tab', 'switch', 'radio', 'checkbox', 'menuitem', 'link', 'slider'])

/** The part of an element this needs, so that it can be tested without a DOM. */
export interface FocusedLike {
  tagName: string
  type?: string
  isContentEditable?: boolean
  getAttribute(name: string): string | null
}

export function focusKind(el: FocusedLike | null): FocusKind {
  if (!el) return 'other'
  if (el.isContentEditable || el.tagName === 'TEXTAREA') return 'text'
  if (el.tagName === 'INPUT') return NOT_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase()) ? 'control' : 'text'
  if (CONTROL_TAGS.has(el.tagName)) return 'control'
  return CONTROL_ROLES.has(el.getAttribute('role') ?? '') ? 'control' : 'other'
}
