/**
 * The saved run: one versioned JSON document — settings at the start, every change with its time, the summary as
 * the Lab gave it, every frame (in columns, run-frames.ts), the end reason and the errors said during the run.
 * Everything that reads a run (the store, import, the CLI's report and compare, later the Runs view) goes through
 * `parseRunText`/`parseRunFile`, which refuse a file that is not a run, a newer version, or a truncated or
 * hand-edited one with a coded error naming the file and what is wrong. A file is data: nothing in it is run.
 */
import { z } from 'zod'
import { TOP_STACKS } from './blocked-stack'
import { ERROR_KINDS, type EndReason, type Frame, type Mark, type Summary } from './frame'
import { LabError, type ErrorCode, type ErrorInfo } from './errors'
import {
  COLUMNS,
  decodeFrame,
  encodeFrames,
  FRAME_COLUMNS,
  frameCount,
  LATER_COLUMNS,
  type FrameColumns
} from './run-frames'
import { DEFAULT_SETTINGS, LIMITS, settingsSchema, type Settings } from './settings'
import { TIMELINE_MAX_BARS, type TimelineBar } from './timeline'
import { PUSH_TRANSPORTS } from './wire'

export const RUN_FORMAT = 'loopscope-run'
/** 2: the subscribers' block is `push`, with transports (was `longPoll`); version 1 files are read and upgraded */
export const RUN_VERSION = 2
/** The id of the `<script type="application/json">` block in which an HTML report carries its run. */
export const REPORT_DATA_ID = 'loopscope-run'
/** The longest name a run takes (UTF-16 units): it names the run in a list and in a report's title. */
export const RUN_NAME_MAX_CHARS = 200

/** A settings change as saved: the mark, and the index of the frame that first carried it (null: none did). */
export interface SavedChange extends Mark {
  frame: number | null
}

export interface RunFile {
  format: typeof RUN_FORMAT
  version: typeof RUN_VERSION
  /** the file's name in the runs folder, without `.json.gz`: sortable by start time */
  id: string
  /** a preset, a lesson step, or the settings in words */
  name: string
  /** ISO 8601 UTC: the run's t = 0 */
  startedAt: string
  appVersion: string
  /** as the run started; the summary's are those at the end */
  settings: Settings
  changes: SavedChange[]
  endReason: EndReason
  /** the errors the Lab said during the run, in order (a crashed subject, a failed crowd) */
  errors: ErrorInfo[]
  /** where the subject listened (its port is of that run only) */
  subjectUrl: string | null
  /** the summary as the Lab emitted it, but its marks: those are `changes` */
  summary: Omit<Summary, 'marks'>
  frames: FrameColumns
  /**
   * each request's timeline at the run's end: the bars the swimlane showed then (at most TIMELINE_MAX_BARS).
   * Optional, so files from before it are read as they were, and a file with it opens in a Loopscope without it.
   */
  timeline?: { bars: TimelineBar[] }
}

export interface RunRecording {
  id: string
  name: string
  startedAt: string
  appVersion: string
  settings: Settings
  frames: readonly Frame[]
  summary: Summary
  errors: ErrorInfo[]
  subjectUrl: string | null
  /** the swimlane's bars at the end (keepBars over the run's frames); none when the subject recorded no timeline */
  timelineBars?: readonly TimelineBar[]
}

export function buildRunFile(r: RunRecording): RunFile {
  const frameOf = new Map<string, number>()
  r.frames.forEach((f, i) => {
    for (const m of f.marks) if (!frameOf.has(markKey(m))) frameOf.set(markKey(m), i)
  })
  const { marks, ...summary } = r.summary
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    id: r.id,
    name: r.name,
    startedAt: r.startedAt,
    appVersion: r.appVersion,
    settings: r.settings,
    changes: marks.map((m) => ({ ...m, frame: frameOf.get(markKey(m)) ?? null })),
    endReason: r.summary.reason,
    errors: r.errors,
    subjectUrl: r.subjectUrl,
    summary,
    frames: encodeFrames(r.frames),
    ...(r.timelineBars?.length && { timeline: { bars: r.timelineBars.slice(-TIMELINE_MAX_BARS) } })
  }
}

const markKey = (m: Mark): string => `${m.t}|${m.label}`

/** The summary exactly as the Lab emitted it. */
export function runSummary(run: RunFile): Summary {
  return { ...run.summary, marks: run.changes.map(({ frame: _frame, ...m }) => m) }
}

/**
 * Every frame exactly as the Lab emitted it, marks included; but the timeline: the run's last bars come on its last
 * frame (answered: null, as the run did not keep the count), so a window built from these frames shows them.
 */
export function runFrames(run: RunFile): Frame[] {
  const byFrame = new Map<number, Mark[]>()
  for (const { frame, ...m } of run.changes) if (frame !== null) byFrame.set(frame, [...(byFrame.get(frame) ?? []), m])
  const frames = Array.from({ length: frameCount(run.frames) }, (_, i) =>
    decodeFrame(run.frames, i, byFrame.get(i) ?? [])
  )
  const last = frames.at(-1)
  if (last && run.timeline) last.timeline = { bars: run.timeline.bars, answered: null }
  return frames
}

export function runToJson(run: RunFile): string {
  return JSON.stringify(run)
}

// ── reading ───────────────────────────────────────────────────────────────────────────────────────────────────
const num = z.number().finite()
const latency = z.object({ p50: num, p90: num, p99: num, max: num })
const frameOfStack = z.object({
  functionName: z.string(),
  file: z.string(),
  line: num,
  column: num,
  kind: z.enum(['user', 'library', 'node'])
})
const blockedStackSchema = z.object({ frames: z.array(frameOfStack), native: z.string().nullable() })
const pushTransportSummary = z.object({
  transport: z.enum(PUSH_TRANSPORTS),
  delivered: num,
  deliveryP50Ms: num.nullable(),
  deliveryP99Ms: num.nullable(),
  deliveryMaxMs: num.nullable(),
  timeouts: num,
  requests: num.nullable(),
  bytesInPerDelivery: num.nullable(),
  bytesOutPerDelivery: num.nullable(),
  cpuPerDeliveryUs: num.nullable(),
  slowConsumersCut: num.nullable(),
  refused: num.nullable()
})
/** Settings added after the first files of this version: a file from before them ran with their defaults. */
const LATER_SETTINGS = [
  'upstreamConnections',
  'upstreamJitterMs',
  'uvThreadpoolSize',
  'frontDoor',
  'hold',
  'holdMaxS',
  'processes',
  'store',
  'redisUrl'
] as const satisfies readonly (keyof Settings)[]
const savedSettings = z.preprocess(
  (s) =>
    s && typeof s === 'object' && !Array.isArray(s)
      ? { ...Object.fromEntries(LATER_SETTINGS.map((k) => [k, DEFAULT_SETTINGS[k]])), ...s }
      : s,
  settingsSchema
)
const markSchema = z.object({ t: num, label: z.string(), patch: settingsSchema.partial() })
const summarySchema = z.object({
  settings: savedSettings,
  reason: z.enum(['requests', 'duration', 'stopped', 'error']),
  completed: num,
  errors: num,
  errorsByKind: z.object(
    Object.fromEntries(ERROR_KINDS.map((k) => [k, num])) as Record<(typeof ERROR_KINDS)[number], typeof num>
  ),
  durationMs: num,
  rps: num,
  theoryRps: num.nullable(),
  latencyMs: latency.extend({ min: num, mean: num }).nullable(),
  percentilesMs: z.array(z.object({ percentile: num, ms: num })),
  loop: z.object({ delayP99Ms: num, maxStallMs: num, utilization: num }),
  maxInFlight: num,
  maxQueued: num,
  unanswered: z.object({ count: num, oldestWaitMs: num.nullable() }).nullable(),
  push: pushTransportSummary
    .extend({
      subscribers: num,
      held: num,
      published: num,
      owed: num,
      undelivered: num,
      missed: num,
      inFlight: num,
      drainMs: num.nullable(),
      bytesPerHeld: num.nullable(),
      byTransport: z.array(pushTransportSummary).nullable(),
      // Added with the log on Redis: absent in the files before, and (redisLost) in memory.
      redisLost: num.optional(),
      logStartId: num.optional()
    })
    .nullable(),
  // Added with the crowd's own loop: absent in the files before it.
  crowdBusy: num.min(0).max(1).optional(),
  // Added after the first files (work "upstream"): absent in those, and in a run with no backend.
  upstream: z
    .object({
      answered: num,
      failed: num,
      answerP50Ms: num.nullable(),
      answerP99Ms: num.nullable(),
      answerMaxMs: num.nullable(),
      maxBackendInFlight: num,
      maxWaitingForConnection: num,
      backendExited: z.boolean()
    })
    .nullable()
    .optional(),
  // Added after the first files: absent in those, and in a run whose work did not use libuv's pool.
  libuvPool: z
    .object({ size: num, maxBusy: num, maxWaiting: num, maxFileReadMs: num.nullable() })
    .nullable()
    .optional(),
  // Added after the first files: absent in those, where no stack was captured.
  blockedStacks: z
    .array(z.object({ stack: blockedStackSchema, stalledMs: num, stalls: num }))
    .max(TOP_STACKS)
    .default([]),
  // Added later still: absent in the files before the front door, which had none.
  hold: z
    .object({
      holds: num,
      heldRequests: num,
      longestHoldMs: num.nullable(),
      restarts: num,
      appPids: z.array(num),
      failedAtApp: z.object({ reset: num, refused: num })
    })
    .nullable()
    .optional(),
  // Added with several processes: absent in the files before, and in a run of one process.
  processes: z
    .array(z.object({ process: num, delayP99Ms: num, maxStallMs: num, utilization: num }))
    .max(LIMITS.processes.max)
    .nullable()
    .optional()
})

const cell = { number: num, string: z.string(), boolean: z.boolean() } as const
const later = new Set<string>(LATER_COLUMNS)
const framesSchema = z
  .object(
    Object.fromEntries(
      FRAME_COLUMNS.map((name) => {
        const { kind, nullable } = COLUMNS[name]
        const column = z.array(nullable ? cell[kind].nullable() : cell[kind])
        return [name, later.has(name) ? column.optional() : column]
      })
    ) as unknown as Record<keyof FrameColumns, z.ZodArray<z.ZodType>>
  )
  // A file from before a column was added: that figure is missing in every frame.
  .transform((c) => {
    const n = c.t.length
    for (const name of LATER_COLUMNS) (c as Record<string, unknown[] | undefined>)[name] ??= Array<null>(n).fill(null)
    return c
  })
  .refine((c) => FRAME_COLUMNS.every((name) => c[name].length === c.t.length), {
    message: 'the frame columns have different lengths'
  })
  .refine((c) => (c.windowState as unknown[]).every((s) => s === 'full' || s === 'since-change' || s === 'settling'), {
    message: 'a frame has an unknown window state',
    path: ['windowState']
  })
  .refine((c) => (c.pushOthers as unknown[]).every((s) => s === null || othersParse(s as string)), {
    message: 'a frame lists other transports that do not read',
    path: ['pushOthers']
  })
  .refine((c) => (c.processes as unknown[]).every((s) => s === null || othersParse(s as string)), {
    message: "a frame's per-process loops do not read",
    path: ['processes']
  })

const at = num.min(-1e9).max(1e10)
const barSchema = z.object({
  sentAt: at.nullable(),
  readAt: at,
  handlerAt: at,
  workStartAt: at,
  workEndAt: at,
  where: z.string().max(40).nullable(),
  writtenAt: at
})

const runSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  id: z.string().regex(/^[0-9A-Za-z-]{1,80}$/),
  name: z.string().min(1).max(RUN_NAME_MAX_CHARS),
  startedAt: z.iso.datetime(),
  appVersion: z.string().max(40),
  settings: savedSettings,
  changes: z.array(markSchema.extend({ frame: z.number().int().min(0).nullable() })),
  endReason: z.enum(['requests', 'duration', 'stopped', 'error']),
  errors: z.array(z.object({ code: z.string(), message: z.string() })),
  subjectUrl: z.string().nullable(),
  summary: summarySchema,
  frames: framesSchema,
  timeline: z.object({ bars: z.array(barSchema).max(TIMELINE_MAX_BARS) }).optional()
})

function othersParse(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text))
  } catch {
    return false
  }
}

/**
 * A version 1 file in version 2's shape: long polling was the only transport, so the settings name it, the
 * summary's `longPoll` becomes `push` (the figures version 1 did not keep are null), and the frame columns added
 * since are nulls. Anything it does not recognise is left for the schema to refuse.
 */
function upgradeV1(value: Record<string, unknown>): Record<string, unknown> {
  const settings = (s: unknown): unknown =>
    s && typeof s === 'object' && !Array.isArray(s) ? { transport: 'long-poll', ...s } : s
  const summary = value.summary as Record<string, unknown> | undefined
  let push: unknown = null
  const lp = summary?.longPoll as Record<string, unknown> | null | undefined
  if (lp && typeof lp === 'object') {
    push = {
      transport: 'long-poll',
      deliveryMaxMs: null,
      requests: null,
      bytesInPerDelivery: null,
      bytesOutPerDelivery: null,
      cpuPerDeliveryUs: null,
      slowConsumersCut: null,
      refused: null,
      byTransport: null,
      ...lp
    }
  }
  const frames = value.frames as Record<string, unknown> | undefined
  const t = frames?.t
  const upgradedFrames =
    frames && typeof frames === 'object' && Array.isArray(t)
      ? {
          ...frames,
          ...Object.fromEntries(
            (
              [
                'pushTransport',
                'pushRequestsPerS',
                'pushBytesInPerDelivery',
                'pushBytesOutPerDelivery',
                'pushCpuPerDeliveryUs',
                'pushOthers'
              ] as const
            ).map((name) => [name, t.map(() => null)])
          ),
          pushTransport: Array.isArray(frames.lpSubscribers)
            ? frames.lpSubscribers.map((n) => (n === null ? null : 'long-poll'))
            : t.map(() => null)
        }
      : frames
  const { longPoll: _longPoll, ...rest } = summary ?? {}
  return {
    ...value,
    version: RUN_VERSION,
    settings: settings(value.settings),
    summary: summary && typeof summary === 'object' ? { ...rest, settings: settings(summary.settings), push } : summary,
    frames: upgradedFrames
  }
}

function refuse(code: ErrorCode, source: string, what: string): LabError {
  return new LabError(code, `${source} ${what}`)
}

/** A parsed JSON value → a run, or a coded refusal naming `source` (e.g. `"runs/x.json.gz"`) and what is wrong. */
export function parseRunFile(value: unknown, source: string): RunFile {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    (value as { format?: unknown }).format !== RUN_FORMAT
  ) {
    throw refuse('LOOPSCOPE_ERR_RUNS_NOT_A_RUN', source, `is not a Loopscope run (it has no "format": "${RUN_FORMAT}")`)
  }
  const version = (value as { version?: unknown }).version
  if (typeof version === 'number' && Number.isInteger(version) && version > RUN_VERSION) {
    throw refuse(
      'LOOPSCOPE_ERR_RUNS_NEWER_VERSION',
      source,
      `was saved by a newer Loopscope (format version ${version}; this one reads version ${RUN_VERSION}): update Loopscope to open it`
    )
  }
  const result = runSchema.safeParse(version === 1 ? upgradeV1(value as Record<string, unknown>) : value)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'the document'
    throw refuse('LOOPSCOPE_ERR_RUNS_DAMAGED', source, `is damaged or was edited by hand: ${where}: ${issue.message}`)
  }
  const run = result.data as RunFile
  const n = frameCount(run.frames)
  if (run.changes.some((c) => c.frame !== null && c.frame >= n)) {
    throw refuse(
      'LOOPSCOPE_ERR_RUNS_DAMAGED',
      source,
      `is damaged or was edited by hand: a change points past the last of its ${n} frames`
    )
  }
  return run
}

/**
 * A run's text — its JSON, or an HTML report that carries it — → a run. `source` names it in a refusal. A JSON
 * text that does not parse is a truncated or edited run when it starts like one (`{`), otherwise not a run at all.
 */
export function parseRunText(text: string, source: string): RunFile {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('<')) return parseRunFile(parseJson(reportData(trimmed, source), source), source)
  if (!trimmed.startsWith('{')) {
    throw refuse('LOOPSCOPE_ERR_RUNS_NOT_A_RUN', source, 'is not a Loopscope run (not JSON, nor an HTML report of one)')
  }
  return parseRunFile(parseJson(trimmed, source), source)
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    // V8 says "Unexpected end of JSON input", or names the position where it stopped: the end, for a cut file
    const message = (err as Error).message
    const at = Number(/position (\d+)/.exec(message)?.[1] ?? NaN)
    const ended = /end of (JSON )?input|Unterminated/i.test(message) || at >= text.trimEnd().length
    throw refuse(
      'LOOPSCOPE_ERR_RUNS_DAMAGED',
      source,
      ended
        ? 'ends too early: the file is truncated (its JSON is cut short)'
        : `is damaged or was edited by hand: its JSON does not parse (${message})`
    )
  }
}

/** The JSON an HTML report carries, as `reportHtml` writes it (`<` written as \u003c, so it cannot end the block). */
function reportData(html: string, source: string): string {
  const open = `<script type="application/json" id="${REPORT_DATA_ID}">`
  const start = html.indexOf(open)
  if (start < 0)
    throw refuse(
      'LOOPSCOPE_ERR_RUNS_NOT_A_RUN',
      source,
      'is an HTML page, but not a Loopscope report (it carries no run)'
    )
  const end = html.indexOf('</script>', start + open.length)
  if (end < 0)
    throw refuse(
      'LOOPSCOPE_ERR_RUNS_DAMAGED',
      source,
      'ends too early: the report is truncated (its run data is cut short)'
    )
  return html.slice(start + open.length, end)
}

/** A saved run in a list: when, what, and its key figures (req/s vs theory, p99, the longest stall, held). */
export interface RunEntry {
  id: string
  name: string
  startedAt: string
  endReason: EndReason
  durationMs: number
  frames: number
  rps: number
  theoryRps: number | null
  p99Ms: number | null
  maxStallMs: number
  /** long-poll connections held at most; null without subscribers */
  held: number | null
}

export function runEntry(run: RunFile): RunEntry {
  const s = run.summary
  return {
    id: run.id,
    name: run.name,
    startedAt: run.startedAt,
    endReason: run.endReason,
    durationMs: s.durationMs,
    frames: frameCount(run.frames),
    rps: s.rps,
    theoryRps: s.theoryRps,
    p99Ms: s.latencyMs?.p99 ?? null,
    maxStallMs: s.loop.maxStallMs,
    held: s.push?.held ?? null
  }
}
