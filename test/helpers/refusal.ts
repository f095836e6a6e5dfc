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
