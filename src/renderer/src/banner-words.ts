/**
 * What a banner says. Most errors read as the code's one-line summary, then the host's message; a dead subject is
 * said once, in words, from the exit the error carries as data, since its message repeats the summary.
 */
import { ERROR_CODES, type ErrorInfo } from '../../shared/errors'

export interface BannerWords {
  /** the bold sentence */
  title: string
  /** what follows it, or null */
  detail: string | null
}

export function bannerWords(error: ErrorInfo): BannerWords {
  if (error.code === 'LOOPSCOPE_ERR_SUBJECT_EXITED') {
    const exit = error.exit
    // a signal, or no code at all (Electron's utilityProcess does not say the signal): the process was killed
    const how = !exit
      ? ''
      : exit.signal !== null || exit.code === null
        ? ' (killed by a signal)'
        : ` (exit code ${exit.code})`
    return {
      title: `The subject server stopped unexpectedly${how}.`,
      detail: 'Restart starts a new run with the same settings.'
    }
  }
  return { title: ERROR_CODES[error.code] ?? 'Something went wrong.', detail: error.message }
}
