/** The settings panel: the subject, the crowd, long-poll subscribers. Every change applies to the running experiment at once. */
import { memo, useState, type ReactNode } from 'react'
import { hidePassword, LIMITS, restorePassword, type Settings, type SettingsPatch } from '../../../shared/settings'
import { BROADCAST_TEXT } from '../../../shared/contract'
import { acceptsTyped, choicesOf, FIELD_WORDS, notDefault, refusalInWords } from '../field-words'
import { keyHint } from '../keys'
import type { FieldErrors } from '../hooks/use-run'
import {
  CONCURRENCY_STOPS,
  DELAY_STOPS_MS,
  JITTER_STOPS_MS,
  PUBLISH_STOPS,
  RATE_STOPS,
  SUBSCRIBER_STOPS,
  THREAD_STOPS,
  UPSTREAM_CONNECTION_STOPS
} from '../scales'
import type { HoldFrame } from '../../../shared/frame'
import { ChoiceField, NumberField, SliderField, TextField, ToggleField } from './fields'
import { HoldButtons } from './HoldButtons'

interface Props {
  settings: Settings
  errors: FieldErrors
  onChange(patch: SettingsPatch): void
  /** a field with a refusal shown now holds a value it accepts: the refusal goes */
  onValid(field: keyof Settings): void
  onBroadcast(text: string): Promise<boolean>
  /** the front door's figures in the latest frame, and whether the run on has the door */
  hold: HoldFrame | null
  doorOpen: boolean
  onRestart(): void
}

export const Controls = memo(function Controls({
  settings: s,
  errors,
  onChange,
  onValid,
  onBroadcast,
  hold,
  doorOpen,
  onRestart
}: Props): ReactNode {
  const set =
    <K extends keyof Settings>(key: K) =>
    (value: Settings[K]) =>
      onChange({ [key]: value } as SettingsPatch)
  /** what every control of a setting takes from it: the refusal to show beside it, and how to change it */
  const bound = <K extends keyof Settings>(key: K) => {
    const refused = errors[key]
    return {
      label: FIELD_WORDS[key].label,
      notDefault: notDefault(key, s[key]),
      error: refused ? refusalInWords(key, refused.value, refused.code) : undefined,
      errorCode: refused?.code,
      onTyped: (text: string) => {
        if (refused && acceptsTyped(key, text)) onValid(key)
      },
      onCommit: set(key)
    }
  }
  /** a numeric setting's control: its value and the schema's accepted range too */
  const numeric = <K extends keyof typeof LIMITS & keyof Settings>(key: K) => ({
    value: s[key] as number,
    min: LIMITS[key].min,
    max: LIMITS[key].max,
    ...bound(key)
  })
  return (
    <div className="controls-inner">
      <section aria-labelledby="subject-h">
        <h2 id="subject-h">The subject (server)</h2>
        <SliderField
          testId="delay"
          unit="ms"
          help="How long each request's work takes, in milliseconds."
          stops={DELAY_STOPS_MS}
          {...numeric('delayMs')}
        />
        <ToggleField
          testId="blocking"
          help={`On: the handler holds the loop for the whole delay, so the server does one request at a time.${keyHint('blocking')}`}
          checked={s.blocking}
          {...bound('blocking')}
        />
        <ChoiceField
          testId="work"
          help="Wait: the delay is idle time (a timer or a sleep); CPU: the delay is spent computing; Backend: a call to a slow HTTP service whose answer takes the delay (evented, blocking or on the threads, by the two controls around this one); libuv: the delay holds a thread of libuv's pool (an async fs call that waits), so only that many run at once."
          value={s.work}
          options={choicesOf('work')}
          {...bound('work')}
        />
        {s.work === 'upstream' && (
          <>
            <SliderField
              testId="upstream-connections"
              help="Evented only: the async client's pool of connections to the backend; a pool smaller than the crowd is the bottleneck."
              stops={UPSTREAM_CONNECTION_STOPS}
              {...numeric('upstreamConnections')}
            />
            <SliderField
              testId="upstream-jitter"
              unit="ms"
              help="The backend's answer takes the delay plus up to this much more, at random."
              stops={JITTER_STOPS_MS}
              {...numeric('upstreamJitterMs')}
            />
          </>
        )}
        {s.work === 'libuv' && (
          <NumberField
            testId="uv-threads"
            help="UV_THREADPOOL_SIZE: how many threads libuv's pool has (Node's default is 4). Applies when a run starts."
            {...numeric('uvThreadpoolSize')}
          />
        )}
        <SliderField
          testId="threads"
          help="Run each request's work on a pool of this many threads (0 = on the event loop itself)."
          stops={THREAD_STOPS}
          {...numeric('threads')}
        />
        <NumberField testId="processes" help={processesHelp(s.processes)} {...numeric('processes')} />
        <ChoiceField
          testId="route"
          help="Work: the handler above; Hello: a hello-world handler, to see the server's own ceiling."
          value={s.route}
          options={choicesOf('route')}
          {...bound('route')}
        />
      </section>

      <section aria-labelledby="crowd-h">
        <h2 id="crowd-h">The crowd (load)</h2>
        <ChoiceField
          testId="mode"
          help="Closed: a fixed number of users, each waits for its answer; open: requests arrive at a fixed rate regardless."
          value={s.mode}
          options={choicesOf('mode')}
          {...bound('mode')}
        />
        {s.mode === 'closed' ? (
          <SliderField
            testId="concurrency"
            help="How many requests the crowd keeps in flight at once (ab's -c)."
            stops={CONCURRENCY_STOPS}
            {...numeric('concurrency')}
          />
        ) : (
          <SliderField
            testId="rate"
            unit="req/s"
            help="How many requests the crowd sends each second, answered or not."
            stops={RATE_STOPS}
            {...numeric('ratePerS')}
          />
        )}
        <SliderField
          testId="connections"
          help="How many TCP connections the crowd may open to the server."
          stops={CONCURRENCY_STOPS}
          {...numeric('connections')}
        />
        <NumberField
          testId="requests"
          help="End the run after this many requests (ab's -n); empty for no limit."
          placeholder="no limit"
          value={s.requests}
          min={LIMITS.requests.min}
          max={LIMITS.requests.max}
          {...bound('requests')}
        />
        <NumberField
          testId="duration"
          unit="s"
          help="End the run after this many seconds, whichever comes first."
          value={s.durationS}
          min={LIMITS.durationS.min}
          max={LIMITS.durationS.max}
          {...bound('durationS')}
          onCommit={(v) => onChange({ durationS: v as number })}
        />
      </section>

      <section aria-labelledby="lp-h">
        <h2 id="lp-h">Subscribers (push)</h2>
        <ChoiceField
          testId="transport"
          help="How each subscriber gets its messages: long polling re-asks GET /wait after every answer; Server-Sent Events and WebSocket keep one connection open and the server writes each message to it. Changing it moves the subscribers over, resuming where each was."
          value={s.transport}
          options={choicesOf('transport')}
          {...bound('transport')}
        />
        <SliderField
          testId="subscribers"
          help={
            s.transport === 'long-poll'
              ? `Idle clients each holding a /wait request open until news arrives or ${s.pollTimeoutMs / 1000} s pass.`
              : `Idle clients each holding one ${s.transport === 'sse' ? 'event stream (GET /events)' : 'WebSocket (GET /ws)'} open.`
          }
          stops={SUBSCRIBER_STOPS}
          {...numeric('subscribers')}
        />
        <SliderField
          testId="publish"
          unit="msg/s"
          help="How many messages a second are published to every subscriber."
          stops={PUBLISH_STOPS}
          {...numeric('publishRatePerS')}
        />
        <BroadcastField onBroadcast={onBroadcast} />
        <ChoiceField
          testId="store"
          help="Where the published messages are kept: in the server's memory (lost when it restarts, relayed between processes) or in Redis (kept across restarts; the lab starts its own redis-server unless you give a URL). Applies when a run starts."
          value={s.store}
          options={choicesOf('store')}
          {...bound('store')}
        />
        {s.store === 'redis' && (
          <TextField
            testId="redis-url"
            help="Empty: the lab starts its own redis-server on 127.0.0.1 with a generated password, its data in Loopscope's folder. Or the redis:// URL of a server of yours, which the lab never starts or stops. Applies when a run starts."
            placeholder="the lab's own"
            value={s.redisUrl === null ? null : hidePassword(s.redisUrl)}
            {...bound('redisUrl')}
            onCommit={(url) => set('redisUrl')(url === null ? null : restorePassword(url, s.redisUrl))}
          />
        )}
        <ToggleField
          testId="share"
          help="On: the subject also listens on this machine's network addresses, so people can open its /live page on their phones. Applies when a run starts."
          checked={s.share}
          {...bound('share')}
        />
        <NumberField
          testId="share-port"
          help="The port a shared subject listens on, the same at every run, so the address you hand out keeps working after Stop and Start. Applies when a run starts."
          {...numeric('sharePort')}
        />
      </section>
      <section aria-labelledby="deploy-h">
        <h2 id="deploy-h">Suspend and release</h2>
        <ToggleField
          testId="front-door"
          help="On: a front door (an HTTP proxy in the Lab) sits between the crowd and the app, so traffic can be held and the app restarted without failing a request. It costs a hop. Applies when a run starts."
          checked={s.frontDoor}
          {...bound('frontDoor')}
        />
        <HoldButtons
          held={s.hold}
          holdMaxS={s.holdMaxS}
          hold={hold}
          ready={doorOpen}
          frontDoor={s.frontDoor}
          onHold={set('hold')}
          onRestart={onRestart}
        />
        <NumberField
          testId="hold-max"
          unit="s"
          help="A hold is released by itself after this many seconds."
          {...numeric('holdMaxS')}
        />
      </section>
    </div>
  )
})

function BroadcastField({ onBroadcast }: { onBroadcast(text: string): Promise<boolean> }): ReactNode {
  const [text, setText] = useState('Hello, subscribers')
  const [sent, setSent] = useState<number | null>(null)
  const tooLong = [...text].length > BROADCAST_TEXT.maxChars
  const empty = text.trim().length === 0
  return (
    <div className="field" title={`Publish one message to every held subscriber now.${keyHint('broadcast')}`}>
      <label htmlFor="broadcast-text" className="field-label">
        Message
      </label>
      <div className="slider-row">
        <input
          id="broadcast-text"
          className="text"
          data-testid="input-broadcast"
          value={text}
          maxLength={BROADCAST_TEXT.maxChars * 2}
          aria-describedby="broadcast-help"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || tooLong || empty) return
            e.preventDefault()
            void onBroadcast(text).then((ok) => ok && setSent(Date.now()))
          }}
        />
        <button
          type="button"
          data-testid="broadcast"
          disabled={tooLong || empty}
          onClick={() => void onBroadcast(text).then((ok) => ok && setSent(Date.now()))}
        >
          Broadcast now
        </button>
      </div>
      <p className="field-help" id="broadcast-help">
        Publish one message to every held subscriber now (1–{BROADCAST_TEXT.maxChars} characters).
        {sent && ' Sent.'}
      </p>
      {tooLong && (
        <p className="field-error" role="alert">
          The message must be at most {BROADCAST_TEXT.maxChars} characters.
        </p>
      )}
    </div>
  )
}

/** Above the machine's cores the processes take turns on them: said beside the field, not refused. */
function processesHelp(processes: number): string {
  const cores = navigator.hardwareConcurrency || null
  const base = 'The server as this many processes on one port (node:cluster, round-robin); applies when a run starts.'
  return cores !== null && processes > cores
    ? `${base} This machine has ${cores} cores: ${processes} processes share them.`
    : base
}
