/**
 * Labelled controls: each has an accessible name, keyboard focus, a tooltip (title) and a visible one-sentence help
 * line, and shows a refused value's message right under itself.
 */
import { useId, useState, type ChangeEvent, type KeyboardEvent, type ReactNode } from 'react'
import { useDebounced } from '../hooks/use-debounced'
import { nearestStop } from '../scales'

export const SLIDER_DEBOUNCE_MS = 150
/** typing "2000" passes through 2, 20, 200: wait a little longer before applying, or apply on Enter / leaving */
export const TYPING_DEBOUNCE_MS = 600

interface Common {
  testId: string
  label: string
  help: string
  error?: string | undefined
  /** the refusal's code, kept on the line that shows it */
  errorCode?: string | undefined
  /** every edit, before it is applied: lets a refusal go as soon as the field holds a value it accepts */
  onTyped?: ((text: string) => void) | undefined
  disabled?: boolean
  /** "default 2,000 ms" when the value is not the default: marked by a dot beside the label and said in the help */
  notDefault?: string | null | undefined
}

function Frame({
  id,
  label,
  help,
  error,
  errorCode,
  testId,
  notDefault,
  children
}: Common & { id: string; children: ReactNode }): ReactNode {
  return (
    <div
      className={`field${error ? ' field-refused' : ''}`}
      data-testid={`field-${testId}`}
      data-changed={notDefault ? true : undefined}
      title={help}
    >
      <label htmlFor={id} className="field-label">
        {label}
        {notDefault && (
          <span className="changed-mark" data-testid={`changed-${testId}`} title={`Changed: ${notDefault}`}>
            {' '}
            ●<span className="visually-hidden"> changed</span>
          </span>
        )}
      </label>
      {children}
      <p className="field-help" id={`${id}-help`}>
        {help}
        {notDefault && <span className="field-default"> Changed; {notDefault}.</span>}
      </p>
      {error && (
        <p
          className="field-error"
          role="alert"
          data-testid={`error-${testId}`}
          data-code={errorCode}
          id={`${id}-error`}
        >
          {error}
        </p>
      )}
    </div>
  )
}

const describedBy = (id: string, error?: string): string => `${id}-help${error ? ` ${id}-error` : ''}`

/** A log-ish slider over `stops` plus a number input for any exact value. */
export function SliderField(
  props: Common & {
    value: number
    stops: readonly number[]
    min: number
    max: number
    unit?: string
    onCommit(value: number): void
  }
): ReactNode {
  const id = useId()
  const [sliding, setSliding] = useState<number | null>(null)
  const commit = (value: number): void => {
    props.onCommit(value)
  }
  const slider = useDebounced((value: number) => {
    commit(value)
    setSliding(null)
  }, SLIDER_DEBOUNCE_MS)
  const typing = useTyping(applyTyped, props.onTyped)
  function applyTyped(text: string): void {
    if (text.trim() === '') return
    const n = Number(text)
    // the schema says what is accepted: send what was typed and let a refusal come back in words
    commit(n)
  }
  const shown = sliding ?? props.value
  const index = nearestStop(props.stops, shown)
  return (
    <Frame {...props} id={id}>
      <div className="slider-row">
        <input
          type="range"
          id={id}
          data-testid={`slider-${props.testId}`}
          min={0}
          max={props.stops.length - 1}
          step={1}
          value={index}
          disabled={props.disabled}
          aria-valuetext={`${shown}${props.unit ? ` ${props.unit}` : ''}`}
          aria-describedby={describedBy(id, props.error)}
          onChange={(e) => {
            const v = props.stops[Number(e.target.value)]!
            setSliding(v)
            typing.clear()
            props.onTyped?.(String(v))
            slider.call(v)
          }}
        />
        <input
          type="number"
          className="number"
          data-testid={`input-${props.testId}`}
          aria-label={`${props.label}, exact value${props.unit ? ` in ${props.unit}` : ''}`}
          aria-invalid={props.error ? true : undefined}
          min={props.min}
          max={props.max}
          step={1}
          disabled={props.disabled}
          {...typing.input(String(shown))}
        />
        {props.unit && <span className="unit">{props.unit}</span>}
      </div>
    </Frame>
  )
}

/** A number input alone; an empty value means `emptyValue` (e.g. "no limit"). */
export function NumberField(
  props: Common & {
    value: number | null
    min: number
    max: number
    unit?: string
    placeholder?: string
    onCommit(value: number | null): void
  }
): ReactNode {
  const id = useId()
  const typing = useTyping((text: string) => props.onCommit(text.trim() === '' ? null : Number(text)), props.onTyped)
  return (
    <Frame {...props} id={id}>
      <div className="slider-row">
        <input
          type="number"
          id={id}
          className="number wide"
          data-testid={`input-${props.testId}`}
          aria-describedby={describedBy(id, props.error)}
          aria-invalid={props.error ? true : undefined}
          min={props.min}
          max={props.max}
          step={1}
          placeholder={props.placeholder}
          disabled={props.disabled}
          {...typing.input(props.value === null ? '' : String(props.value))}
        />
        {props.unit && <span className="unit">{props.unit}</span>}
      </div>
    </Frame>
  )
}

/** A line of text (a URL); empty commits null. The value shown is the caller's (a password already hidden). */
export function TextField(
  props: Common & { value: string | null; placeholder?: string; onCommit(value: string | null): void }
): ReactNode {
  const id = useId()
  const typing = useTyping((text: string) => props.onCommit(text.trim() === '' ? null : text.trim()), props.onTyped)
  return (
    <Frame {...props} id={id}>
      <div className="slider-row">
        <input
          type="text"
          id={id}
          className="text"
          spellCheck={false}
          autoComplete="off"
          data-testid={`input-${props.testId}`}
          aria-describedby={describedBy(id, props.error)}
          aria-invalid={props.error ? true : undefined}
          placeholder={props.placeholder}
          disabled={props.disabled}
          {...typing.input(props.value ?? '')}
        />
      </div>
    </Frame>
  )
}

export function ToggleField(props: Common & { checked: boolean; onCommit(value: boolean): void }): ReactNode {
  const id = useId()
  return (
    <Frame {...props} id={id}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          id={id}
          data-testid={`toggle-${props.testId}`}
          checked={props.checked}
          disabled={props.disabled}
          aria-describedby={describedBy(id, props.error)}
          onChange={(e) => props.onCommit(e.target.checked)}
        />
        <span className="switch-text">{props.checked ? 'On' : 'Off'}</span>
      </label>
    </Frame>
  )
}

export function ChoiceField<T extends string>(
  props: Common & { value: T; options: readonly { value: T; label: string }[]; onCommit(value: T): void }
): ReactNode {
  const id = useId()
  return (
    <Frame {...props} id={id}>
      <div
        className="segmented"
        role="radiogroup"
        id={id}
        aria-label={props.label}
        aria-describedby={describedBy(id, props.error)}
      >
        {props.options.map((o) => (
          <label key={o.value} className={o.value === props.value ? 'seg seg-on' : 'seg'}>
            <input
              type="radio"
              name={id}
              value={o.value}
              data-testid={`choice-${props.testId}-${o.value}`}
              checked={o.value === props.value}
              disabled={props.disabled}
              onChange={() => props.onCommit(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </Frame>
  )
}

/**
 * A number input's typing: shown as typed, applied after a pause (typing "2000" passes through 2, 20, 200), at once
 * on Enter or on leaving the field; after leaving, the field shows the value in force again.
 */
function useTyping(
  commit: (text: string) => void,
  onTyped?: (text: string) => void
): { input(shown: string): object; clear(): void } {
  const [typed, setTyped] = useState<string | null>(null)
  const typing = useDebounced(commit, TYPING_DEBOUNCE_MS)
  return {
    clear: () => setTyped(null),
    input: (shown: string) => ({
      value: typed ?? shown,
      onChange: (e: ChangeEvent<HTMLInputElement>) => {
        setTyped(e.target.value)
        // a number field holding "abc" or "1e" reports "" (as if empty, "no limit" for requests): send it as not a
        // number instead, so that it is refused in words rather than read as something else
        const text = e.target.validity?.badInput ? 'NaN' : e.target.value
        onTyped?.(text)
        typing.call(text)
      },
      onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter') typing.flush()
      },
      onBlur: () => {
        typing.flush()
        setTyped(null)
      }
    })
  }
}
