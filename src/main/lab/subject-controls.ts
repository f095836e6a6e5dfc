/**
 * A subject of several processes has one control line per worker (each worker's control thread watches its own
 * loop): one SubjectControl over them all. A change resolves once every worker has it; a stall event carries the
 * worker it came from, and its id is made unique across workers ((id − 1) × workers + worker: one worker's ids as
 * they are).
 */
import type { StallEvent } from './protocol'
import type { SubjectControl } from './subject-control'

export function allWorkersControl(controls: readonly SubjectControl[]): SubjectControl {
  const count = controls.length
  return {
    async send(settings) {
      await Promise.all(controls.map((c) => c.send(settings)))
    },
    onStallEvent(listener) {
      controls.forEach((c, i) => {
        const worker = i + 1
        c.onStallEvent((event: StallEvent) => listener({ ...event, stallId: (event.stallId - 1) * count + worker }, worker))
      })
    },
    close() {
      for (const c of controls) c.close()
    }
  }
}
