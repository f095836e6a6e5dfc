/**
 * The host reads the backend's own figures (work "upstream") straight from the backend: its `GET /reports` stream,
 * a line of JSON every 100 ms (subject/backend.js). Not through the subject, whose loop a blocking call holds while
 * the backend works: in flight at the backend and its answer times keep arriving during the stall they explain.
 * The stream ends with the backend; that it ended is the subject's to say (its report's `up`).
 */
import { get, type ClientRequest } from 'node:http'
import type { BackendReport } from './protocol'

export interface BackendReports {
  close(): void
}

export function readBackendReports(port: number, onReport: (report: BackendReport) => void): BackendReports {
  let buffered = ''
  const req: ClientRequest = get({ host: '127.0.0.1', port, path: '/reports', agent: false }, (res) => {
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      buffered += chunk
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        let report: BackendReport
        try {
          report = JSON.parse(line) as BackendReport
        } catch {
          continue
        }
        onReport(report)
      }
    })
    // the backend ended (killed, or with the subject): nothing more to read
    res.on('error', () => {})
  })
  req.on('error', () => {})
  return {
    close() {
      req.destroy()
    }
  }
}
