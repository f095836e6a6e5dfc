/**
 * The test set of `npm run mutate` (stryker.config.json): every unit test except those that start a subject process,
 * a child process or the crowd's warm-up — so that a mutation run stays bounded (each mutant reruns the tests that
 * cover it). A new unit test joins the set by itself; one that spawns a process goes in SPAWNING.
 */
import { configDefaults, defineConfig } from 'vitest/config'
import base from './vitest.config'

const SPAWNING = [
  'load-generator-warmup', // 5 s of a real crowd against a real subject
  'long-poll-memory-probe',
  'runs-store', // forks a writer and kills it
  'subject-control',
  'subject-file-read-probe',
  'subject-instrument',
  'subject-libuv-work',
  'subject-process',
  'subject-routes',
  'subject-threads',
  'subject-utility',
  'subject-work'
]

// (not mergeConfig: it would add these to the base's include instead of replacing it)
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/unit/*.test.ts'],
    exclude: [...configDefaults.exclude, ...SPAWNING.map((name) => `test/unit/${name}.test.ts`)]
  }
})
