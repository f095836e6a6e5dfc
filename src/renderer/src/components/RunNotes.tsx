/**
 * The lines under the tiles that say what a figure alone would not: the crowd was the limit (its own loop ≥ 90%
 * busy), where the broadcast log is and what it started with (red while Redis is away), and the open-file limit
 * stopping a subscriber count. For the run shown (live, ended or saved); the words are computed where they are
 * defined (run-words.ts, log-note.ts). Beside it, the hook that takes the STORE_LOST banner down once Redis is back.
 */
import { memo, useEffect, type ReactNode } from 'react'
import type { ErrorCode } from '../../../shared/errors'
import type { Frame, Summary } from '../../../shared/frame'
import { crowdLimitWords } from '../../../shared/run-words'
import { logNote, storeBack } from '../frames/log-note'

export const RunNotes = memo(function RunNotes({
  last,
  summary
}: {
  /** the shown run's newest frame */
  last: Frame | null | undefined
  /** its summary once it has ended: then the crowd is judged on the whole run, not its last second */
  summary: Summary | null
}): ReactNode {
  const crowdLimit = summary ? crowdLimitWords(summary.crowdBusy, 'run') : crowdLimitWords(last?.crowdBusy, 'live')
  const log = logNote(last?.push)
  const limitNote = last?.push?.limitNote
  return (
    <>
      {crowdLimit && (
        <p className="note" role="status" data-testid="crowd-limit">
          {crowdLimit}
        </p>
      )}
      {log && (
        <p className={log.down ? 'note note-alert' : 'note'} role="status" data-testid="log-note" data-down={log.down}>
          {log.text}
        </p>
      )}
      {limitNote && (
        <p className="note" role="status" data-testid="limit-note">
          {limitNote}
        </p>
      )}
    </>
  )
})

/**
 * Redis back in the live run: the banner that said it went away is history, which the log's line keeps as a count
 * (also when it was back before any frame saw it away: the count of times it went away moves then). In whatever
 * view the user is.
 */
export function useStoreBackDismissal(live: Frame | null | undefined, dismissCode: (code: ErrorCode) => void): void {
  const back = storeBack(live?.push)
  const lost = live?.push?.redis?.lost ?? 0
  useEffect(() => {
    if (back) dismissCode('LOOPSCOPE_ERR_STORE_LOST')
  }, [back, lost, dismissCode])
}
