/**
 * The crowd's worker-thread entry: reads commands from the host, runs the load, the long-poll subscribers and the
 * publisher, and posts one tick every 100 ms. Thin by design: the work is in the modules it calls.
 */
import { parentPort } from 'node:worker_threads'
import type { CrowdToHost, HostToCrowd } from '../protocol'
import { REPORT_INTERVAL_MS } from '../protocol'
import type { Settings } from '../../../shared/settings'
import { toErrorInfo } from '../../../shared/errors'
import { LoadGenerator, type DoneReason } from './load-generator'
import { SubscriberSwarm } from './subscribers'
import { Publisher } from './publisher'

const port = parentPort
if (!port) throw new Error('the crowd entry must run in a worker thread')

const post = (message: CrowdToHost): void => port.postMessage(message)
const nowMs = (): number => performance.timeOrigin + performance.now()

let load: LoadGenerator | null = null
let swarm: SubscriberSwarm | null = null
let publisher: Publisher | null = null
let ticker: NodeJS.Timeout | null = null
let origin = ''
let ending = false

function longPollWanted(s: Settings): boolean {
  return s.subscribers > 0 || s.publishRatePerS > 0
}

function applyLongPoll(s: Settings): void {
  if (longPollWanted(s) && !swarm) {
    // The load generator's connections share this process's open-file limit with the subscribers.
    const loadConnections = s.mode === 'closed' ? s.concurrency : s.connections
    swarm = new SubscriberSwarm({ origin, pollTimeoutMs: s.pollTimeoutMs, reserveFds: 500 + loadConnections })
    publisher = new Publisher({ origin })
  }
  swarm?.setPollTimeout(s.pollTimeoutMs)
  swarm?.setCount(s.subscribers)
  publisher?.setRate(s.publishRatePerS)
}

function tick(): void {
  if (!load) return
  const t = load.tick()
  const lp = swarm?.tick() ?? null
  post({ type: 'tick', at: nowMs(), ...t, longPoll: lp })
}

async function end(reason: DoneReason): Promise<void> {
  if (ending) return
  ending = true
  if (ticker) clearInterval(ticker)
  ticker = null
  tick() // the last partial tick
  const firstSendAt = load?.firstSendAt ?? null
  const lastCompleteAt = load?.lastCompleteAt ?? null
  // before stop(), which closes the connections these are waiting on
  const unanswered = load?.unanswered() ?? { count: 0, oldestWaitMs: null }
  await Promise.all([load?.stop(), swarm?.close(), publisher?.close()])
  const toEpoch = (ms: number | null): number | null => (ms === null ? null : performance.timeOrigin + ms)
  post({ type: 'done', reason, at: nowMs(), firstSendAt: toEpoch(firstSendAt), lastCompleteAt: toEpoch(lastCompleteAt), unanswered })
  port!.close()
}

port.on('message', (message: HostToCrowd) => {
  try {
    switch (message.type) {
      case 'start':
        origin = message.origin
        load = new LoadGenerator(origin, message.settings, (reason) => void end(reason), new Int32Array(message.gauges))
        applyLongPoll(message.settings)
        ticker = setInterval(tick, REPORT_INTERVAL_MS)
        void load.warmUp().then(() => {
          post({ type: 'started', at: nowMs() })
          load?.start()
        })
        break
      case 'update':
        load?.update(message.settings)
        applyLongPoll(message.settings)
        break
      case 'broadcast':
        if (!publisher) publisher = new Publisher({ origin })
        publisher.publishNow(message.text).catch((err) => post({ type: 'error', error: toErrorInfo(err) }))
        break
      case 'stop':
        void end('stopped')
        break
    }
  } catch (err) {
    post({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED') })
  }
})
