import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests run real servers under load: one file at a time keeps the 2-core machine honest.
    fileParallelism: false
  }
})
