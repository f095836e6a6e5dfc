/**
 * The crowd's worker-thread entry: reads commands from the host, runs the load, the long-poll subscribers and the
 * publisher, and posts one tick every 100 ms. Thin by design: the work is in the modules it calls.
 */
import { epochMs } from '../../../shared/epoch'
import { parentPort } from 'node:worker_threads'
import type { CrowdToHost, HostToCrowd } from '../protocol'
import { REPORT_INTERVAL_MS } from '../protocol'
import { loadConnections, type Settings } from '../../../shared/settings'
import { toErrorInfo } from '../../../shared/errors'
import { LoadGenerator, type DoneReason } from './load-generator'
import { SubscriberSwarm } from './subscribers'
import { Publisher } from './publisher'

const port = parentPort
if (!port) throw new Error('the crowd entry must run in a worker thread')

const post = (message: CrowdToHost): void => port.postMessage(message)

let load: LoadGenerator | null = null
let swarm: SubscriberSwarm | null = null
let publisher: Publisher | null = null
let ticker: NodeJS.Timeout | null = null
let origin = ''
let ending = false

/**
 * How long the end of a run waits for deliveries of messages already published, as a request budget waits for its
 * last answer: the publisher and the load stop first, then the end waits until every subscriber has every message
 * the crowd has seen published (and no publish is still on the wire), or this long. What is still owed then is
 * the summary's long-poll inFlight. Stop waits less: someone pressed it.
 */
export const DRAIN_MS: Record<DoneReason, number> = { duration: 2_000, requests: 2_000, stopped: 1_000 }
const DRAIN_POLL_MS = 10

function pushWanted(s: Settings): boolean {
  return s.subscribers > 0 || s.publishRatePerS > 0
}

function applyPush(s: Settings): void {
  if (pushWanted(s) && !swarm) {
    // The load generator's connections share this process's open-file limit with the subscribers.
    const subscribers = new SubscriberSwarm({ origin, pollTimeoutMs: s.pollTimeoutMs, transport: s.transport, reserveFds: 500 + loadConnections(s) })
    swarm = subscribers
    publisher ??= newPublisher()
  }
  swarm?.setPollTimeout(s.pollTimeoutMs)
  swarm?.setTransport(s.transport)
  swarm?.setCount(s.subscribers)
  publisher?.setRate(s.publishRatePerS)
}

function newPublisher(): Publisher {
  return new Publisher({ origin, onPublished: (id) => swarm?.noteLatest(id) })
}

function tick(drainMs: number | null = null): void {
  if (!load) return
  const t = load.tick()
  const push = swarm?.tick() ?? null
  if (push) push.books.drainMs = drainMs
  post({ type: 'tick', at: epochMs(), ...t, push })
}

/** Waits until every subscriber is up to date with what the crowd has seen published, or `limitMs`; returns ms waited. */
async function drain(limitMs: number): Promise<number> {
  const start = performance.now()
  const settled = (): boolean => (publisher?.pending() ?? 0) === 0 && (swarm?.behind() ?? 0) <= 0
  while (!settled() && performance.now() - start < limitMs) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS))
  return Math.round(performance.now() - start)
}

async function end(reason: DoneReason): Promise<void> {
  if (ending) return
  ending = true
  // The run ends now: its duration stops here, whatever the drain takes.
  const at = epochMs()
  const firstSendAt = load?.firstSendAt ?? null
  const lastCompleteAt = load?.lastCompleteAt ?? null
  // before stop(), which closes the connections these are waiting on
  const unanswered = load?.unanswered() ?? { count: 0, oldestWaitMs: null }
  publisher?.stopRate()
  const loadStopped = load?.stop()
  // Ticks go on while it drains, so the deliveries it waits for reach the host's frames.
  const drainMs = swarm && swarm.count > 0 ? await drain(DRAIN_MS[reason]) : null
  if (ticker) clearInterval(ticker)
  ticker = null
  tick(drainMs) // the last partial tick, with the books as they close
  await Promise.all([loadStopped, swarm?.close(), publisher?.close()])
  const toEpoch = (ms: number | null): number | null => (ms === null ? null : performance.timeOrigin + ms)
  post({ type: 'done', reason, at, firstSendAt: toEpoch(firstSendAt), lastCompleteAt: toEpoch(lastCompleteAt), unanswered })
  port!.close()
}

port.on('message', (message: HostToCrowd) => {
  try {
    switch (message.type) {
      case 'start':
        origin = message.origin
        load = new LoadGenerator(origin, message.settings, (reason) => void end(reason), new Int32Array(message.gauges), message.stampSends ?? true)
        applyPush(message.settings)
        ticker = setInterval(tick, REPORT_INTERVAL_MS)
        void load.warmUp().then(() => load?.start())
        break
      case 'update':
        // a run that is ending takes no new load: its books are closing
        if (ending) break
        load?.update(message.settings)
        applyPush(message.settings)
        break
      case 'broadcast':
        if (ending) break
        publisher ??= newPublisher()
        // A broadcast cut off by the end of the run (the publisher is destroyed as the run ends) is not an error
        // to show: the run that it was for is over.
        publisher.publishNow(message.text).catch((err) => {
          if (!ending) post({ type: 'error', error: toErrorInfo(err) })
        })
        break
      case 'stop':
        void end('stopped')
        break
    }
  } catch (err) {
    post({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED') })
  }
})
