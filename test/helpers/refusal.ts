import { expect } from 'vitest'
import { parseCli } from '../../src/cli/args'
import { LabError } from '../../src/shared/errors'

/** The LabError that `fn` throws; fails the test when it throws nothing or something else. */
export function refusal(fn: () => unknown): LabError {
  try {
    fn()
  } catch (err) {
    if (err instanceof LabError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

/** The words of the CLI's usage refusal of `argv`; fails the test when the line is taken or refused otherwise. */
export function cliRefusal(argv: string[]): string {
  const err = refusal(() => parseCli(argv))
  expect(err.code).toBe('LOOPSCOPE_ERR_CLI_USAGE')
  return err.message
}
