/**
 * Suspend and release, measured: a deploy under a hold at c = 1,000 (failed requests, the longest hold), the same
 * restart without a hold (what it fails), and the front door's own cost on hello world (its req/s with and
 * without the door; the door is a hop in the Lab's process). Real Labs on 127.0.0.1; figures, never assertions.
 */
import { Lab } from '../src/main/lab/lab'
import type { Summary } from '../src/shared/frame'
import type { SettingsPatch } from '../src/shared/settings'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function run(patch: SettingsPatch, during: (lab: Lab) => Promise<void>): Promise<Summary> {
  const lab = new Lab()
  const ended = new Promise<Summary>((r) => lab.once('summary', r))
  await lab.start(patch)
  await during(lab)
  await lab.stop()
  const summary = await ended
  await lab.close()
  return summary
}

async function deploy(held: boolean): Promise<Summary> {
  return run({ frontDoor: true, concurrency: 1000, delayMs: 200, durationS: 120 }, async (lab) => {
    await sleep(4000)
    if (held) await lab.update({ hold: true })
    await lab.restartApp()
    if (held) await lab.update({ hold: false })
    await sleep(3000)
  })
}

const helloRps = async (frontDoor: boolean): Promise<number> =>
  (await run({ frontDoor, route: 'hello', concurrency: 50, durationS: 60 }, () => sleep(6000))).rps

export async function benchHold(): Promise<string[]> {
  const lines: string[] = []
  for (const held of [true, false]) {
    const s = await deploy(held)
    const h = s.hold!
    const e = s.errorsByKind
    lines.push(
      `restart the app ${held ? 'under a hold' : 'without a hold'} at c 1,000, delay 200 ms (goal under a hold: 0 failed):`,
      `  ${s.errors} failed (reset ${e.reset}, refused ${e.refused}, timeout ${e.timeout}, other ${e.other}) of ${s.completed + s.errors}; ` +
        `at the door: the process went with them ${h.failedAtApp.reset}, none listening ${h.failedAtApp.refused}; ` +
        `processes ${h.appPids.join(' → ')}; ${h.heldRequests} held, the longest ${h.longestHoldMs ?? '—'} ms; p99 ${s.latencyMs?.p99.toFixed(0) ?? '—'} ms`
    )
  }
  const direct = await helloRps(false)
  const door = await helloRps(true)
  lines.push(
    `the front door's cost, hello world at c 50: ${direct.toFixed(0)} req/s direct, ${door.toFixed(0)} through the door ` +
      `(${((door / direct) * 100).toFixed(0)}%): why it is there only when frontDoor asks for it`
  )
  return lines
}
