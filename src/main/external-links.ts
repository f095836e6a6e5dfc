/**
 * The pages outside the app that Loopscope opens, in the user's browser, never in its window: the ones it links to
 * itself. Any other URL a page asks to open is refused, so a link that found its way into the window (a message
 * text, a crafted setting) cannot hand the system browser a URL of its choosing — or a file:, smb: or custom scheme.
 */
export const EXTERNAL_LINKS = {
  /** Help ▸ Node.js: the event loop */
  eventLoopGuide: 'https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick'
} as const

const ALLOWED = new Set<string>(Object.values(EXTERNAL_LINKS))

/** Whether `url` is one of EXTERNAL_LINKS, exactly (after URL parsing, so `HTTPS://NodeJS.org/…` is the same page). */
export function isAllowedExternalLink(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && ALLOWED.has(parsed.href)
}
