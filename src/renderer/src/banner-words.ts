/**
 * What a banner says. Most errors read as the code's one-line summary, then the host's message; a dead subject is
 * said once, in words, since its message repeats the summary ("…ended unexpectedly…; start the run again…") and
 * gives a signal as "exit code none".
 */
import { ERROR_CODES, type ErrorInfo } from '../../shared/errors'

export interface BannerWords {
  /** the bold sentence */
  title: string
  /** what follows it, or null */
  detail: string | null
}

// The host gives the exit only inside its message ("(exit code 1)", "(exit code none)" when a signal ended it);
// read narrowly here, and said in words, until ErrorInfo carries the exit as data.
const EXIT_CODE = /\(exit code (\d+|none)\)/

export function bannerWords(error: ErrorInfo): BannerWords {
  if (error.code === 'LOOPSCOPE_ERR_SUBJECT_EXITED') {
    const exit = EXIT_CODE.exec(error.message)?.[1]
    const how = exit === undefined ? '' : exit === 'none' ? ' (killed by a signal)' : ` (exit code ${exit})`
    return { title: `The subject server stopped unexpectedly${how}.`, detail: 'Restart starts a new run with the same settings.' }
  }
  return { title: ERROR_CODES[error.code] ?? 'Something went wrong.', detail: error.message }
}
