/**
 * The runs folder: one gzipped JSON document per run (`<id>.json.gz`), written atomically (atomic-write.ts), the
 * last `keep` kept (200 by default). Always gzip: even a 10-s run is 100 frames, one format is simpler to read and
 * to explain, and the JSON of columns of numbers shrinks ~10× (19 B a frame stored: `npm run bench -- runs`).
 *
 * Ids sort by when the run entered the store (saved, or imported), so the 201st removes the one that came in first;
 * the list is newest first by the run's start. A list reads each file once: the key figures of each file (by name,
 * size and mtime) are cached in `.index.json`, itself only a cache — a missing or stale one is rebuilt from the runs.
 * Temp files left by a writer that died are removed; a file that cannot be read is left where it is, out of the list.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { LabError } from '../../shared/errors'
import {
  parseRunText,
  runEntry,
  runToJson,
  RUN_NAME_MAX_CHARS,
  type RunEntry,
  type RunFile
} from '../../shared/run-file'
import { TEMP_FILE, writeAtomic, writerAlive, writeProblem, type WriteHooks } from './atomic-write'
import { KEEP_RUNS } from './data-dir'

export const RUN_SUFFIX = '.json.gz'
const INDEX_FILE = '.index.json'
const ID = /^[0-9A-Za-z-]{1,80}$/

export interface RunStoreOptions {
  dir: string
  /** how many runs are kept; the oldest beyond it are removed after each save */
  keep?: number
  hooks?: WriteHooks
}

interface IndexRow {
  size: number
  mtimeMs: number
  entry: RunEntry
}

/** A new id, sortable by time: 20261202-004012-345-a1b2. */
export function newRunId(at = new Date()): string {
  const iso = at.toISOString() // 2026-12-02T00:40:12.345Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}-${randomBytes(2).toString('hex')}`
}

/** A run file's bytes (gzip or plain) → a run; `source` names it in a refusal. */
export function decodeRunBytes(bytes: Uint8Array, source: string): RunFile {
  let text: string
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8')
    } catch {
      throw new LabError(
        'LOOPSCOPE_ERR_RUNS_DAMAGED',
        `${source} is truncated or damaged: its compressed data does not unpack`
      )
    }
  } else text = Buffer.from(bytes).toString('utf8')
  return parseRunText(text, source)
}

export async function readRunFile(path: string): Promise<RunFile> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new LabError('LOOPSCOPE_ERR_RUNS_NOT_FOUND', `${path} does not exist`)
    throw new LabError('LOOPSCOPE_ERR_RUNS_NOT_FOUND', `${path} cannot be read (${code ?? (err as Error).message})`)
  }
  return decodeRunBytes(bytes, path)
}

/** A run as a file's bytes: gzip for a `.gz` name, plain JSON otherwise. */
export function encodeRunBytes(run: RunFile, gzip: boolean): Buffer {
  const json = Buffer.from(runToJson(run), 'utf8')
  return gzip ? gzipSync(json) : json
}

export class RunStore {
  readonly dir: string
  readonly keep: number
  private readonly hooks: WriteHooks
  private index: Map<string, IndexRow> | null = null
  /** one change at a time: a save, its pruning and a rename never interleave */
  private queue: Promise<unknown> = Promise.resolve()

  constructor({ dir, keep = KEEP_RUNS.default, hooks = {} }: RunStoreOptions) {
    this.dir = dir
    this.keep = keep
    this.hooks = hooks
  }

  pathOf(id: string): string {
    return join(this.dir, id + RUN_SUFFIX)
  }

  save(run: RunFile): Promise<RunEntry> {
    return this.serial(async () => {
      await this.ensureDir()
      await writeAtomic(this.pathOf(run.id), encodeRunBytes(run, true), this.hooks)
      await this.prune()
      return runEntry(run)
    })
  }

  /** Newest first (by start). */
  list(): Promise<RunEntry[]> {
    return this.serial(async () => {
      const entries = [...(await this.refresh()).values()].map((r) => r.entry)
      return entries.sort((a, b) =>
        a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1
      )
    })
  }

  async get(id: string): Promise<RunFile> {
    this.checkId(id)
    try {
      return await readRunFile(this.pathOf(id))
    } catch (err) {
      if (err instanceof LabError && err.code === 'LOOPSCOPE_ERR_RUNS_NOT_FOUND') throw this.notFound(id)
      throw err
    }
  }

  rename(id: string, name: string): Promise<RunEntry> {
    return this.serial(async () => {
      const run = await this.get(id)
      const renamed = { ...run, name: checkName(name) }
      await writeAtomic(this.pathOf(id), encodeRunBytes(renamed, true), this.hooks)
      return runEntry(renamed)
    })
  }

  delete(id: string): Promise<null> {
    return this.serial(async () => {
      this.checkId(id)
      try {
        await stat(this.pathOf(id))
      } catch {
        throw this.notFound(id)
      }
      try {
        await rm(this.pathOf(id))
      } catch (err) {
        throw new LabError('LOOPSCOPE_ERR_RUNS_WRITE', `could not delete ${this.pathOf(id)}: ${writeProblem(err)}`)
      }
      return null
    })
  }

  /** A run's text (JSON or an HTML report), checked, saved under a new id; `source` names it in a refusal. */
  async import(text: string, source: string): Promise<RunEntry> {
    const run = parseRunText(text, source)
    return this.save({ ...run, id: newRunId() })
  }

  // ── inside ───────────────────────────────────────────────────────────────────────────────────────────────────
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job)
    this.queue = next.catch(() => {})
    return next
  }

  private checkId(id: string): void {
    if (!ID.test(id))
      throw new LabError('LOOPSCOPE_ERR_RUNS_NOT_FOUND', `no saved run has the id ${JSON.stringify(id).slice(0, 90)}`)
  }

  private notFound(id: string): LabError {
    return new LabError(
      'LOOPSCOPE_ERR_RUNS_NOT_FOUND',
      `no saved run has the id "${id}" (no ${this.pathOf(id)}); it may have been deleted`
    )
  }

  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true })
    } catch (err) {
      throw new LabError(
        'LOOPSCOPE_ERR_RUNS_WRITE',
        `could not create the runs folder ${this.dir}: ${writeProblem(err)}`
      )
    }
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir)
    } catch {
      return []
    }
  }

  /** Removes the runs beyond `keep`, those that came in first (ids sort by time). */
  private async prune(): Promise<void> {
    const ids = (await this.names()).filter((n) => n.endsWith(RUN_SUFFIX)).sort()
    for (const name of ids.slice(0, Math.max(0, ids.length - this.keep)))
      await rm(join(this.dir, name), { force: true })
  }

  /** Every readable run's entry, from the cache where a file is unchanged; dead writers' temp files removed. */
  private async refresh(): Promise<Map<string, IndexRow>> {
    const index = this.index ?? (await this.loadIndex())
    const fresh = new Map<string, IndexRow>()
    let changed = false
    for (const name of await this.names()) {
      if (TEMP_FILE.test(name)) {
        if (!writerAlive(name)) await rm(join(this.dir, name), { force: true }).catch(() => {})
        continue
      }
      if (!name.endsWith(RUN_SUFFIX)) continue
      const path = join(this.dir, name)
      const info = await stat(path).catch(() => null)
      if (!info) continue
      const known = index.get(name)
      if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) {
        fresh.set(name, known)
        continue
      }
      changed = true
      try {
        fresh.set(name, { size: info.size, mtimeMs: info.mtimeMs, entry: runEntry(await readRunFile(path)) })
      } catch {
        // unreadable: not listed, and left as it is
      }
    }
    if (changed || fresh.size !== index.size) {
      await writeAtomic(join(this.dir, INDEX_FILE), JSON.stringify(Object.fromEntries(fresh))).catch(() => {})
    }
    this.index = fresh
    return fresh
  }

  private async loadIndex(): Promise<Map<string, IndexRow>> {
    try {
      const raw = JSON.parse(await readFile(join(this.dir, INDEX_FILE), 'utf8')) as Record<string, IndexRow>
      return new Map(
        Object.entries(raw).filter(
          ([, r]) => r && typeof r.size === 'number' && r.entry && typeof r.entry.id === 'string'
        )
      )
    } catch {
      return new Map()
    }
  }
}

export function checkName(name: string): string {
  const trimmed = name.trim()
  // UTF-16 units, as the file's schema counts them
  const chars = trimmed.length
  if (chars < 1 || chars > RUN_NAME_MAX_CHARS) {
    throw new LabError(
      'LOOPSCOPE_ERR_IPC_INVALID',
      `a run's name must be 1 to ${RUN_NAME_MAX_CHARS} characters (got ${chars})`
    )
  }
  return trimmed
}
