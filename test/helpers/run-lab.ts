/** Runs the real Lab (subject process + crowd thread) and collects what a user would see: frames and summary. */
import { Lab } from '../../src/main/lab/lab'
import type { ErrorInfo } from '../../src/shared/errors'
import type { Frame, Summary } from '../../src/shared/frame'
import type { SettingsPatch } from '../../src/shared/settings'

export interface Recorded {
  lab: Lab
  frames: Frame[]
  errors: ErrorInfo[]
  summary: Promise<Summary>
}

export async function startLab(patch: SettingsPatch): Promise<Recorded> {
  const lab = new Lab()
  const frames: Frame[] = []
  const errors: ErrorInfo[] = []
  lab.on('frame', (f) => frames.push(f))
  lab.on('error', (e) => errors.push(e))
  const summary = new Promise<Summary>((resolve) => lab.once('summary', resolve))
  await lab.start(patch)
  return { lab, frames, errors, summary }
}

export async function runLab(
  patch: SettingsPatch
): Promise<{ frames: Frame[]; errors: ErrorInfo[]; summary: Summary }> {
  const r = await startLab(patch)
  const summary = await r.summary
  await r.lab.close()
  return { frames: r.frames, errors: r.errors, summary }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Waits until `frames` has one that satisfies `pred`, or fails after `timeoutMs`. */
export async function frameWhere(frames: Frame[], pred: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
  const start = Date.now()
  for (;;) {
    const f = frames.find(pred)
    if (f) return f
    if (Date.now() - start > timeoutMs) throw new Error(`no frame matched within ${timeoutMs} ms`)
    await sleep(50)
  }
}
