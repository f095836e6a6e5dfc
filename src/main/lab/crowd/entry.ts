/**
 * The crowd's worker-thread entry: starts the run's Crowd (crowd.ts) from workerData (a CrowdStart), which owns the
 * load, the subscribers and the publisher, and hands it the host's commands. Thin by design.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { CrowdStart, CrowdToHost, HostToCrowd } from '../protocol'
import { toErrorInfo } from '../../../shared/errors'
import { Crowd } from './crowd'

const port = parentPort
if (!port) throw new Error('the crowd entry must run in a worker thread')

const post = (message: CrowdToHost): void => port.postMessage(message)

/** Runs `act`, posting what it throws as the crowd's error. */
function guarded(act: () => void): void {
  try {
    act()
  } catch (err) {
    post({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED') })
  }
}

let crowd: Crowd | null = null
guarded(() => (crowd = new Crowd(workerData as CrowdStart, post, () => port.close())))

port.on('message', (message: HostToCrowd) =>
  guarded(() => {
    switch (message.type) {
      case 'update':
        crowd?.update(message.settings)
        break
      case 'broadcast':
        crowd?.broadcast(message.text)
        break
      case 'stop':
        void crowd?.end('stopped')
        break
    }
  })
)
