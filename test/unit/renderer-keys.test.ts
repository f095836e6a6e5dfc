import { describe, expect, it } from 'vitest'
import { focusKind, keyAction, keyHint, SHORTCUTS, type FocusKind, type FocusedLike } from '../../src/renderer/src/keys'

const press = (
  key: string,
  focus: FocusKind = 'other',
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}
) => keyAction({ key, focus, ctrlKey: false, metaKey: false, altKey: false, ...mods })

const el = (
  tagName: string,
  extra: { type?: string; role?: string; isContentEditable?: boolean } = {}
): FocusedLike => ({
  tagName,
  ...(extra.type !== undefined ? { type: extra.type } : {}),
  ...(extra.isContentEditable !== undefined ? { isContentEditable: extra.isContentEditable } : {}),
  getAttribute: (name: string) => (name === 'role' ? (extra.role ?? null) : null)
})

describe('the speaker keys', () => {
  it('maps every key the overlay lists to its action when nothing interactive has focus', () => {
    expect(
      [' ', 'Enter', 'b', 'p', 'm', 'g', 'r', 's', 'f', 'v', 'o', 'h', '?', 'Escape'].map((k) => press(k))
    ).toEqual([
      'run',
      'run',
      'blocking',
      'presets',
      'broadcast',
      'hold',
      'reset',
      'settings',
      'fullscreen',
      'presenter',
      'runs',
      'shortcuts',
      'shortcuts',
      'close'
    ])
  })

  it('lists each action once in the overlay', () => {
    const actions = SHORTCUTS.map((s) => s.action)
    expect(new Set(actions).size).toBe(actions.length)
  })

  it('never fires a letter, Space or Enter while typing in a text field', () => {
    for (const k of [' ', 'Enter', 'b', 'p', 'm', 'g', 'r', 's', 'f', 'v', 'o', 'h', '?'])
      expect(press(k, 'text')).toBeNull()
  })

  it('leaves Space and Enter to a focused button or switch, which they activate themselves', () => {
    expect(press(' ', 'control')).toBeNull()
    expect(press('Enter', 'control')).toBeNull()
    expect(press('b', 'control')).toBe('blocking')
  })

  it('closes with Esc wherever focus is', () => {
    expect(press('Escape', 'text')).toBe('close')
    expect(press('Escape', 'control')).toBe('close')
  })

  it('ignores keys with Ctrl, Cmd or Alt, which belong to the browser', () => {
    expect(press('f', 'other', { ctrlKey: true })).toBeNull()
    expect(press('s', 'other', { metaKey: true })).toBeNull()
    expect(press('b', 'other', { altKey: true })).toBeNull()
  })

  it('ignores keys it has no action for, such as capitals and F11', () => {
    expect(press('B')).toBeNull()
    expect(press('F11')).toBeNull()
  })

  it('tells text fields, controls and the rest apart', () => {
    expect(focusKind(null)).toBe('other')
    expect(focusKind(el('INPUT', { type: 'number' }))).toBe('text')
    expect(focusKind(el('INPUT', { type: 'text' }))).toBe('text')
    expect(focusKind(el('TEXTAREA'))).toBe('text')
    expect(focusKind(el('DIV', { isContentEditable: true }))).toBe('text')
    expect(focusKind(el('INPUT', { type: 'checkbox' }))).toBe('control')
    expect(focusKind(el('INPUT', { type: 'range' }))).toBe('control')
    expect(focusKind(el('BUTTON'))).toBe('control')
    expect(focusKind(el('DIV', { role: 'tab' }))).toBe('control')
    expect(focusKind(el('SECTION'))).toBe('other')
  })

  it('gives tooltips the keys of an action', () => {
    expect(keyHint('run')).toBe(' (Space or Enter)')
    expect(keyHint('shortcuts')).toBe(' (h or ?)')
    expect(keyHint('presenter')).toBe(' (v)')
  })
})
