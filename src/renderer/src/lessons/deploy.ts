/**
 * Deploy without failing a single request: Braintree suspended all traffic for a few seconds to deploy "without
 * failing to respond to a single request". Two runs through the front door, the same crowd: the app restarted as
 * it is (its requests fail with its process), then restarted under a hold (held requests wait and none fails).
 * The reader presses the buttons during each run; the checks read its summary.
 */
import { CLASSIC } from '../presets'
import { formatCount } from '../scales'
import type { Check, Lesson } from './lesson'

/** 50 users, 200 ms each, 20 s: long enough to hold, restart and release by hand */
const BASE = {
  ...CLASSIC,
  frontDoor: true,
  hold: false,
  delayMs: 200,
  concurrency: 50,
  requests: null,
  durationS: 20,
  blocking: false,
  threads: 0
} as const

const restarted: Check = {
  id: 'restarted',
  on: 'summary',
  label: 'the app was restarted: a new process (press Restart the app during the run)',
  value: (s) => s.hold?.restarts ?? null,
  pass: (v) => v >= 1,
  format: (v) => `${formatCount(v)} restart${v === 1 ? '' : 's'}`
}

export const DEPLOY: Lesson = {
  id: 'deploy',
  title: 'Deploy without failing a single request',
  summary: 'Restart the app under load twice: as it is, and with traffic held at a front door. Count the failures.',
  intro:
    'Braintree suspended all traffic for a few seconds to deploy, "without failing to respond to a single request". ' +
    'Both runs go through the front door, a small HTTP proxy in front of the app. Press Restart the app (in the ' +
    'Settings panel, under Suspend and release) during each run; in the second, press Hold traffic first and ' +
    'release it once the new process is up.',
  steps: [
    {
      id: 'restart',
      title: '1. Restart the app, as it is',
      paragraphs: [
        'Start the run and, once requests flow, press Restart the app. Its process goes and a new one starts: the ' +
          'requests that were on the old process go with it, and those that come before the new one listens fail too.'
      ],
      kind: 'run',
      settings: BASE,
      checks: [
        restarted,
        {
          id: 'failed',
          on: 'summary',
          label: 'requests failed with the old process (reset connections)',
          value: (s) => s.errors,
          pass: (v) => v > 0,
          format: formatCount
        }
      ]
    },
    {
      id: 'restart-held',
      title: '2. Hold, restart, release',
      paragraphs: [
        'Start the run again. Press Hold traffic (or g): queued climbs to 50, the app has nothing to do, nothing fails. ' +
          'Press Restart the app, wait for its new process, then Release traffic: the held requests go to the new ' +
          'process in the order they came, late by the hold and not one failed.'
      ],
      kind: 'run',
      settings: BASE,
      checks: [
        restarted,
        {
          id: 'held',
          on: 'summary',
          label: 'requests waited at the hold (press Hold traffic before the restart)',
          value: (s) => s.hold?.heldRequests ?? null,
          pass: (v) => v > 0,
          format: formatCount
        },
        {
          id: 'none-failed',
          on: 'summary',
          label: 'not one request failed',
          value: (s) => (s.hold && s.hold.heldRequests > 0 ? s.errors : null),
          pass: (v) => v === 0,
          format: formatCount
        }
      ]
    }
  ]
}
