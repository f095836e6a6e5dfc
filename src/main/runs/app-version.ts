/** Loopscope's version under plain Node (CLI, browser mode), from package.json; the desktop app asks Electron. */
import { readFileSync } from 'node:fs'

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown
    }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}
