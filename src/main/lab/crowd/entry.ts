/**
 * The crowd's worker-thread entry: takes the host's commands and hands them to the run's Crowd (crowd.ts), which
 * owns the load, the subscribers and the publisher. Thin by design.
 */
import { parentPort } from 'node:worker_threads'
import type { CrowdToHost, HostToCrowd } from '../protocol'
import { toErrorInfo } from '../../../shared/errors'
import { Crowd } from './crowd'

const port = parentPort
if (!port) throw new Error('the crowd entry must run in a worker thread')

const post = (message: CrowdToHost): void => port.postMessage(message)

let crowd: Crowd | null = null

port.on('message', (message: HostToCrowd) => {
  try {
    switch (message.type) {
      case 'start':
        crowd = new Crowd(message, post, () => port.close())
        break
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
  } catch (err) {
    post({ type: 'error', error: toErrorInfo(err, 'LOOPSCOPE_ERR_CROWD_FAILED') })
  }
})
