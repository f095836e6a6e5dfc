/** Sorts a failed request into the kinds a person can act on: refused, reset, timeout, non-2xx, other. */
import type { ErrorKind } from '../../../shared/frame'

const REFUSED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT_REFUSED'])
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'])
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'])

export function errorKind(err: unknown): ErrorKind {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return 'other'
  if (REFUSED.has(code)) return 'refused'
  if (RESET.has(code)) return 'reset'
  if (TIMEOUT.has(code)) return 'timeout'
  return 'other'
}
