/** The settings panel: the subject, the crowd, long-poll subscribers. Every change applies to the running experiment at once. */
import { memo, useState, type ReactNode } from 'react'
import { LIMITS, type Settings, type SettingsPatch } from '../../../shared/settings'
import { BROADCAST_MAX_CHARS } from '../constants'
import type { FieldErrors } from '../hooks/use-run'
import { CONCURRENCY_STOPS, DELAY_STOPS_MS, PUBLISH_STOPS, RATE_STOPS, SUBSCRIBER_STOPS, THREAD_STOPS } from '../scales'
import { ChoiceField, NumberField, SliderField, ToggleField } from './fields'

interface Props {
  settings: Settings
  errors: FieldErrors
  onChange(patch: SettingsPatch): void
  onBroadcast(text: string): Promise<boolean>
}

export const Controls = memo(function Controls({ settings: s, errors, onChange, onBroadcast }: Props): ReactNode {
  const set = <K extends keyof Settings>(key: K) => (value: Settings[K]) => onChange({ [key]: value } as SettingsPatch)
  return (
    <div className="controls-inner">
      <section aria-labelledby="subject-h">
        <h2 id="subject-h">The subject (server)</h2>
        <SliderField
          testId="delay"
          label="Delay"
          unit="ms"
          help="How long each request's work takes, in milliseconds."
          value={s.delayMs}
          stops={DELAY_STOPS_MS}
          min={LIMITS.delayMs.min}
          max={LIMITS.delayMs.max}
          error={errors.delayMs}
          onCommit={set('delayMs')}
        />
        <ToggleField
          testId="blocking"
          label="Block the event loop"
          help="On: the handler holds the loop for the whole delay, so the server does one request at a time."
          checked={s.blocking}
          error={errors.blocking}
          onCommit={set('blocking')}
        />
        <ChoiceField
          testId="work"
          label="Work"
          help="Wait: the delay is idle time (a timer or a sleep); CPU: the delay is spent computing."
          value={s.work}
          options={[
            { value: 'wait', label: 'Wait' },
            { value: 'cpu', label: 'CPU' }
          ]}
          error={errors.work}
          onCommit={set('work')}
        />
        <SliderField
          testId="threads"
          label="Threads"
          help="Run each request's work on a pool of this many threads (0 = on the event loop itself)."
          value={s.threads}
          stops={THREAD_STOPS}
          min={LIMITS.threads.min}
          max={LIMITS.threads.max}
          error={errors.threads}
          onCommit={set('threads')}
        />
        <ChoiceField
          testId="route"
          label="Route"
          help="Work: the handler above; Hello: a hello-world handler, to see the server's own ceiling."
          value={s.route}
          options={[
            { value: 'work', label: 'Work' },
            { value: 'hello', label: 'Hello' }
          ]}
          error={errors.route}
          onCommit={set('route')}
        />
      </section>

      <section aria-labelledby="crowd-h">
        <h2 id="crowd-h">The crowd (load)</h2>
        <ChoiceField
          testId="mode"
          label="Loop"
          help="Closed: a fixed number of users, each waits for its answer; open: requests arrive at a fixed rate regardless."
          value={s.mode}
          options={[
            { value: 'closed', label: 'Closed (c users)' },
            { value: 'open', label: 'Open (rate)' }
          ]}
          error={errors.mode}
          onCommit={set('mode')}
        />
        {s.mode === 'closed' ? (
          <SliderField
            testId="concurrency"
            label="Concurrency"
            help="How many requests the crowd keeps in flight at once (ab's -c)."
            value={s.concurrency}
            stops={CONCURRENCY_STOPS}
            min={LIMITS.concurrency.min}
            max={LIMITS.concurrency.max}
            error={errors.concurrency}
            onCommit={set('concurrency')}
          />
        ) : (
          <SliderField
            testId="rate"
            label="Arrival rate"
            unit="req/s"
            help="How many requests the crowd sends each second, answered or not."
            value={s.ratePerS}
            stops={RATE_STOPS}
            min={LIMITS.ratePerS.min}
            max={LIMITS.ratePerS.max}
            error={errors.ratePerS}
            onCommit={set('ratePerS')}
          />
        )}
        <SliderField
          testId="connections"
          label="Connections"
          help="How many TCP connections the crowd may open to the server."
          value={s.connections}
          stops={CONCURRENCY_STOPS}
          min={LIMITS.connections.min}
          max={LIMITS.connections.max}
          error={errors.connections}
          onCommit={set('connections')}
        />
        <NumberField
          testId="requests"
          label="Stop after requests"
          help="End the run after this many requests (ab's -n); empty for no limit."
          placeholder="no limit"
          value={s.requests}
          min={LIMITS.requests.min}
          max={LIMITS.requests.max}
          error={errors.requests}
          onCommit={(v) => onChange({ requests: v })}
        />
        <NumberField
          testId="duration"
          label="Stop after"
          unit="s"
          help="End the run after this many seconds, whichever comes first."
          value={s.durationS}
          min={LIMITS.durationS.min}
          max={LIMITS.durationS.max}
          error={errors.durationS}
          onCommit={(v) => onChange({ durationS: v as number })}
        />
      </section>

      <section aria-labelledby="lp-h">
        <h2 id="lp-h">Long-poll subscribers</h2>
        <SliderField
          testId="subscribers"
          label="Subscribers"
          help={`Idle clients each holding a /wait request open until news arrives or ${s.pollTimeoutMs / 1000} s pass.`}
          value={s.subscribers}
          stops={SUBSCRIBER_STOPS}
          min={LIMITS.subscribers.min}
          max={LIMITS.subscribers.max}
          error={errors.subscribers}
          onCommit={set('subscribers')}
        />
        <SliderField
          testId="publish"
          label="Publish rate"
          unit="msg/s"
          help="How many messages a second are published to every subscriber."
          value={s.publishRatePerS}
          stops={PUBLISH_STOPS}
          min={LIMITS.publishRatePerS.min}
          max={LIMITS.publishRatePerS.max}
          error={errors.publishRatePerS}
          onCommit={set('publishRatePerS')}
        />
        <BroadcastField onBroadcast={onBroadcast} />
        <ToggleField
          testId="share"
          label="Share on the network"
          help="On: the subject also listens on this machine's network addresses, so people can open its /live page on their phones. Applies when a run starts."
          checked={s.share}
          error={errors.share}
          onCommit={set('share')}
        />
      </section>
    </div>
  )
})

function BroadcastField({ onBroadcast }: { onBroadcast(text: string): Promise<boolean> }): ReactNode {
  const [text, setText] = useState('Hello, subscribers')
  const [sent, setSent] = useState<number | null>(null)
  const tooLong = [...text].length > BROADCAST_MAX_CHARS
  const empty = text.trim().length === 0
  return (
    <div className="field" title="Publish one message to every held subscriber now.">
      <label htmlFor="broadcast-text" className="field-label">
        Message
      </label>
      <div className="slider-row">
        <input
          id="broadcast-text"
          className="text"
          data-testid="input-broadcast"
          value={text}
          maxLength={BROADCAST_MAX_CHARS * 2}
          aria-describedby="broadcast-help"
          onChange={(e) => setText(e.target.value)}
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
        Publish one message to every held subscriber now (1–{BROADCAST_MAX_CHARS} characters).
        {sent && ' Sent.'}
      </p>
      {tooLong && (
        <p className="field-error" role="alert">
          The message must be at most {BROADCAST_MAX_CHARS} characters.
        </p>
      )}
    </div>
  )
}
