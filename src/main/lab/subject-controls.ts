/**
 * A subject of several processes has one control line per worker (each worker's control thread watches its own
 * loop): one SubjectControl over them all. A change resolves once every worker has it; a stall event carries the
 * worker it came from, and its id is made unique across workers ((id − 1) × workers + worker: one worker's ids as
 * they are). A worker that died is left out of changes (`down`) until its replacement's line is swapped in
 * (`replace`), stall listeners and all.
 */
import type { StallEvent } from './protocol'
import type { SubjectControl } from './subject-control'

export interface WorkersControl extends SubjectControl {
  /** worker `worker` died: changes skip it until its replacement's line is swapped in */
  down(worker: number): void
  /** worker `worker`'s line is now `control` (a replacement process's); the old one is closed */
  replace(worker: number, control: SubjectControl): void
}

export function allWorkersControl(first: readonly SubjectControl[]): WorkersControl {
  const controls: (SubjectControl | null)[] = [...first]
  const count = controls.length
  const listeners: ((event: StallEvent, worker: number) => void)[] = []
  const listen = (c: SubjectControl, worker: number): void => {
    c.onStallEvent((event: StallEvent) => {
      // a replaced worker's old line says nothing more
      if (controls[worker - 1] !== c) return
      for (const listener of listeners) listener({ ...event, stallId: (event.stallId - 1) * count + worker }, worker)
    })
  }
  first.forEach((c, i) => listen(c, i + 1))
  return {
    async send(settings) {
      await Promise.all(controls.map((c) => c?.send(settings)))
    },
    onStallEvent(listener) {
      listeners.push(listener)
    },
    close() {
      for (const c of controls) c?.close()
    },
    down(worker) {
      controls[worker - 1]?.close()
      controls[worker - 1] = null
    },
    replace(worker, control) {
      controls[worker - 1]?.close()
      controls[worker - 1] = control
      listen(control, worker)
    }
  }
}
