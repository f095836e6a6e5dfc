import { describe, expect, it } from 'vitest'
import { formatReport } from '../../src/cli/report'
import type { Summary } from '../../src/shared/frame'
import { withDefaults } from '../../src/shared/settings'
import { fixtureSummary } from '../helpers/run-fixture'

describe('the CLI report of a run behind the front door', () => {
  const hold: NonNullable<Summary['hold']> = {
    holds: 1,
    heldRequests: 20,
    longestHoldMs: 2896,
    restarts: 1,
    appPids: [2688, 2728],
    failedAtApp: { reset: 0, refused: 0 }
  }
  const text = (processes: number): string =>
    formatReport(
      { ...fixtureSummary(), settings: withDefaults({ frontDoor: true, processes }), hold },
      'http://127.0.0.1:1'
    )

  it('names the processes a restart went through', () => {
    expect(text(1)).toContain('Held at the front door:   20 requests in 1 hold, the longest waiting 2896 ms')
    expect(text(1)).toContain('App restarts:             1 (processes 2688 → 2728)')
    expect(text(1)).toContain(
      'Failed at the app:        0 (lost with a process that went 0, refused while none listened 0)'
    )
  })

  it('with several processes, the primary stands for the app: a restart replaced it and its workers', () => {
    expect(text(2)).toContain('App restarts:             1 (primaries 2688 → 2728, each with 2 worker processes)')
    // no restart yet: one primary
    const none = formatReport(
      {
        ...fixtureSummary(),
        settings: withDefaults({ frontDoor: true, processes: 2 }),
        hold: { ...hold, restarts: 0, appPids: [2688] }
      },
      'http://127.0.0.1:1'
    )
    expect(none).toContain('App restarts:             0 (primary 2688, with 2 worker processes)')
  })
})
