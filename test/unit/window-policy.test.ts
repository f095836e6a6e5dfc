import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTERNAL_LINKS, isAllowedExternalLink } from '../../src/main/external-links'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../src/shared/csp'

const SRC = join(import.meta.dirname, '../../src')

describe('the Content-Security-Policy', () => {
  it("is the one of src/shared/csp.ts in index.html's meta tag", () => {
    const html = readFileSync(join(SRC, 'renderer/index.html'), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY_META)
  })

  it('as a header adds only what a meta tag cannot carry', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      `${CONTENT_SECURITY_POLICY_META.replace("; object-src 'none'", '')}; frame-ancestors 'none'; object-src 'none'`
    )
  })

  it('is spelled nowhere else in the source', () => {
    // The subject's /live attendee page is another page, served by the subject with a policy of its own.
    const otherPages = join(SRC, 'main/lab/subject')
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (path === otherPages) continue
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name) && !path.endsWith(join('shared', 'csp.ts'))) {
          if (readFileSync(path, 'utf8').includes('default-src')) offenders.push(path)
        }
      }
    }
    walk(SRC)
    expect(offenders).toEqual([])
  })
})

describe('external links', () => {
  it("opens Loopscope's own links", () => {
    for (const url of Object.values(EXTERNAL_LINKS)) expect(isAllowedExternalLink(url)).toBe(true)
  })

  it('opens no other URL, however close to one of them', () => {
    const guide = EXTERNAL_LINKS.eventLoopGuide
    for (const url of [
      'https://example.com/',
      guide.replace('https://nodejs.org', 'https://nodejs.org.evil.example'),
      guide.replace('https:', 'http:'),
      guide.replace('https://', 'https://user:pass@'),
      `${guide}/../../../evil`,
      'file:///etc/passwd',
      'not a url'
    ]) {
      expect(isAllowedExternalLink(url), url).toBe(false)
    }
  })
})
