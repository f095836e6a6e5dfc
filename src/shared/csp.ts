/**
 * The one Content-Security-Policy of the dashboard, for every way it is served: the Electron window (as a response
 * header, set by src/main/window.ts), the browser-mode host (a header, src/main/web/host.ts) and the meta tag of
 * src/renderer/index.html, which a unit test holds equal to CONTENT_SECURITY_POLICY_META.
 *
 * Nothing but the page's own files: no inline script or style, no eval, no remote content, no plugins, no forms,
 * no framing. `connect-src 'self'` also covers the browser mode's WebSocket: CSP 3 matches ws: to an http: page's
 * own host and port.
 */
const DIRECTIVES = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['object-src', "'none'"]
] as const

/** Directives a <meta> element cannot deliver (CSP 3 §6.1: browsers ignore them there, with a console warning). */
const HEADER_ONLY = new Set<string>(['frame-ancestors'])

const join = (directives: readonly (readonly [string, string])[]): string =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ')

/** As a response header. */
export const CONTENT_SECURITY_POLICY = join(DIRECTIVES)

/** As index.html's meta tag: the same policy without what only a header can carry. */
export const CONTENT_SECURITY_POLICY_META = join(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)))

/**
 * The saved run's one-file HTML report (src/shared/report/report-html.ts) is a page of its own, opened from file://:
 * inline styles and data: images only, no script, no request of any kind.
 */
export const REPORT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
