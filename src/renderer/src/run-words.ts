/**
 * What a preset's or a lesson step's button does, said on the button: it starts a run when none is on, and changes
 * the running one otherwise (a preset), or stops it and starts its own (a lesson's run step). One place, so the
 * first screen's cards, the side panel's presets and the lesson panel say it the same way.
 */

/** a preset: "▶ Start: The 2-s experiment" idle, "Change this run to: The 2-s experiment" while one runs */
export function presetAction(title: string, running: boolean): string {
  return running ? `Change this run to: ${title}` : `▶ Start: ${title}`
}

/** a preset on its own card, under its title: the title need not be said again while it changes a run */
export function presetCardAction(title: string, running: boolean): string {
  return running ? '↻ Apply to this run' : presetAction(title, false)
}

/** the same, as the tooltip says it at more length */
export function presetActionHelp(running: boolean): string {
  return running
    ? 'Changes the running run to these settings, at once; the change is marked on the charts.'
    : 'Starts a run with these settings.'
}

/**
 * A lesson step: a 'change' step applies to the run on now; a 'run' step starts a run, stopping the one on now first
 * (and says so: the run on now is lost).
 */
export function stepAction(
  step: { kind: 'run' | 'change'; number: number },
  run: { running: boolean; thisStepOn: boolean }
): string {
  if (step.kind === 'change') return `Apply step ${step.number} to this run`
  if (!run.running) return `▶ Start step ${step.number}`
  return run.thisStepOn ? `▶ Stop and run step ${step.number} again` : `▶ Stop this run, start step ${step.number}`
}
