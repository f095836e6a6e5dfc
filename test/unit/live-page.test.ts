/**
 * The attendee page's document: self-contained, and its script at least parses. What it does in a browser, over each
 * transport: test/e2e/live-page.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { livePage } from '../../src/main/lab/subject/live-page'

describe('the /live document', () => {
  const html = livePage(7_000)

  it('loads nothing from anywhere: no external script, style, image, font, frame or URL', () => {
    expect(html).not.toMatch(/\b(src|href|srcset|action|poster|data)\s*=/i)
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|video|audio|source|base)\b/i)
    expect(html).not.toMatch(/url\(|@import|@font-face/i)
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i)
    // and talks only to its own origin, by path
    const fetched = [...html.matchAll(/fetch\(([^,)]+)/g)].map((m) => m[1]!.trim())
    expect(fetched).toEqual(["'/'", "'/wait?since=' + since", "'/publish'"])
    // and its streams: the same host (ws: or wss: as the page came), by path
    const streams = [...html.matchAll(/new (WebSocket|EventSource)\(([^;]+)\);/g)].map((m) => `${m[1]} ${m[2]}`)
    expect(streams).toEqual([
      "WebSocket (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?since=' + (resync ? 1 : last + 1)",
      "EventSource '/events?since=' + (resync ? 1 : last + 1)"
    ])
  })

  it('tries WebSocket first, then Server-Sent Events, then long polling, and has a place to say which', () => {
    expect(html).toContain("const ORDER = ['websocket', 'sse', 'long-poll'];")
    expect(html).toContain('<p id="via" data-testid="via"')
  })

  it('has one inline script that parses, and carries the current poll timeout', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
    expect(scripts).toHaveLength(1)
    expect(() => new Function(scripts[0]!)).not.toThrow()
    expect(html).toContain('data-poll-timeout-ms="7000"')
  })
})
