/**
 * `npm run security`: electronegativity (Doyensec's static checker for Electron apps) over src/, with the Electron
 * version of package.json. Prints every finding; fails on one above LOW that scripts/electronegativity-allow.json
 * does not explain, on an allow-list entry that matches nothing any more, and on a file it could not parse (a file it
 * skips is a file it did not check).
 *
 * Left out: AvailableSecurityFixesGlobalCheck, which downloads Electron's release list from GitHub (no network on CI);
 * the Electron version is pinned in package.json and moved by hand.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity')

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const electronVersion = pkg.devDependencies.electron
const { allowed } = JSON.parse(readFileSync(join(root, 'scripts/electronegativity-allow.json'), 'utf8'))

// electronegativity prints a warning for every missing translation of its own messages; they are not findings.
const warn = console.warn
console.warn = (...args) => {
  if (!String(args[0]).includes('translations')) warn(...args)
}
const log = console.log
console.log = (...args) => {
  if (!String(args[0]).includes('translations')) log(...args)
}

const result = await run(
  {
    input: join(root, 'src'),
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    isRelative: true
  },
  false
)

const isAllowed = (issue) => allowed.find((a) => a.check === issue.id && a.file === issue.file)
const problems = []
log(`electronegativity on src/ (Electron ${electronVersion}): ${result.globalChecks + result.atomicChecks} checks`)
for (const issue of result.issues) {
  const level = issue.severity.name
  const entry = level === 'LOW' || level === 'INFORMATIONAL' ? null : isAllowed(issue)
  const verdict = level === 'LOW' || level === 'INFORMATIONAL' ? 'low' : entry ? 'allowed' : 'NOT ALLOWED'
  log(
    `  ${verdict.padEnd(11)} ${level.padEnd(8)} ${issue.id.padEnd(26)} ${issue.file}:${issue.location.line}  ${issue.description}`
  )
  if (entry) log(`              reviewed: ${entry.reason}`)
  if (verdict === 'NOT ALLOWED')
    problems.push(`${issue.id} in ${issue.file}:${issue.location.line} (${level}) is not in the allow-list`)
}
for (const entry of allowed) {
  if (!result.issues.some((i) => i.id === entry.check && i.file === entry.file)) {
    problems.push(`allow-list entry ${entry.check} for ${entry.file} matches no finding: remove it`)
  }
}
for (const error of result.errors) problems.push(`could not check ${error.file}: ${error.message}`)

if (problems.length > 0) {
  for (const p of problems) console.error(`security: ${p}`)
  process.exit(1)
}
log(
  `security: no finding above LOW that is not reviewed (${allowed.length} reviewed in scripts/electronegativity-allow.json)`
)
