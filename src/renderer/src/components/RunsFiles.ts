/**
 * Files in and out of the page: an export saved as a download (a Blob URL on an `<a download>`, a navigation that
 * the page's Content-Security-Policy does not govern, so no `blob:` source is needed), and a file to import read as
 * text — a run's JSON, its HTML report, or a gzipped run (`.json.gz`, as the runs folder keeps them), unzipped in
 * the page with DecompressionStream. A file the page cannot read is refused in words naming it.
 */
import { RUN_IMPORT_MAX_BYTES } from '../../../shared/contract'
import { LabError } from '../../../shared/errors'

/** Saves `blob` as a download named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  // the download has taken the URL by the next task; revoking at once can cancel it in some browsers
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function downloadText(text: string, fileName: string, mimeType: string): void {
  downloadBlob(new Blob([text], { type: `${mimeType};charset=utf-8` }), fileName)
}

/** The file types the import takes, for the file picker. */
export const IMPORT_ACCEPT = '.json,.gz,.html,.htm,application/json,application/gzip,text/html'

const MIB = 1024 * 1024

/** A file to import → its text; gunzipped when it is gzip (by its first two bytes, whatever its name says). */
export async function readImportFile(file: File): Promise<string> {
  const gz = await isGzip(file)
  // a gzipped run is ~10× smaller than its text: its size says little, the text's is checked by the host
  if (!gz && file.size > RUN_IMPORT_MAX_BYTES) {
    throw new LabError(
      'LOOPSCOPE_ERR_RUNS_NOT_A_RUN',
      `"${file.name}" is not a Loopscope run: it is ${(file.size / MIB).toFixed(1)} MiB, and a run's file (JSON or report) takes at most ${RUN_IMPORT_MAX_BYTES / MIB} MiB`
    )
  }
  if (!gz) return file.text()
  try {
    const text = await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).text()
    if (text.length > RUN_IMPORT_MAX_BYTES) {
      throw new LabError(
        'LOOPSCOPE_ERR_RUNS_NOT_A_RUN',
        `"${file.name}" is not a Loopscope run: unzipped it is over ${RUN_IMPORT_MAX_BYTES / MIB} MiB, more than any run's file`
      )
    }
    return text
  } catch (err) {
    if (err instanceof LabError) throw err
    throw new LabError(
      'LOOPSCOPE_ERR_RUNS_DAMAGED',
      `"${file.name}" ends too early or is damaged: it does not unzip (${(err as Error).message})`
    )
  }
}

async function isGzip(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer())
  return head[0] === 0x1f && head[1] === 0x8b
}
