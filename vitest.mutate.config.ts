/**
 * The test set of `npm run mutate` (stryker.config.json): the unit tests of the pure core — no subject process, no
 * Lab, no browser — so that a mutation run stays bounded (each mutant reruns the tests that cover it).
 */
import { defineConfig } from 'vitest/config'
import base from './vitest.config'

const CORE_UNIT_TESTS = [
  'cli-args',
  'cli-args-edges',
  'cli-hold-args',
  'cli-upstream-mode',
  'control-dispatch',
  'error-field',
  'errors',
  'load-generator-accounting',
  'load-generator-open-loop',
  'long-poll-books',
  'long-poll-log',
  'long-poll-plugin',
  'processes',
  'push-figures',
  'renderer-downsample',
  'renderer-frame-window',
  'renderer-lesson',
  'renderer-mark-labels',
  'renderer-scales',
  'renderer-tiles',
  'run-file',
  'run-file-refusals',
  'run-frames',
  'run-report',
  'sampler',
  'sampler-loop-figures',
  'sampler-processes',
  'sampler-push-figures',
  'sampler-rate-window',
  'sampler-requests-figures',
  'settings',
  'settings-edges',
  'settings-refusal-text',
  'theory'
]

// (not mergeConfig: it would add these to the base's include instead of replacing it)
export default defineConfig({
  ...base,
  test: { ...base.test, include: CORE_UNIT_TESTS.map((name) => `test/unit/${name}.test.ts`) }
})
