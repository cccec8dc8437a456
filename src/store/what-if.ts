// What the what-if replay reads, in one read-only snapshot: the managers' calendar decisions (a
// desk file does not carry them), the stored contracts' ids and notices, and the recorded calls
// of the period's months with their counted talk and callback requests, streamed in batches. Nothing is written.
import { type SQL, type SQLWrapper, and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Database, Queryable } from '../../db/client.js'
import {
  calendarEntries,
  callbacks,
  calls,
  contracts,
  desks,
  emailCounts,
  holidayOverrides,
  seasonOverrides,
  talkLegs,
} from '../../db/schema.js'
import type { ManagersCalendar } from '../domain/configured-facts.js'
import { localDate } from '../domain/contract-overview.js'
import type { RecordedRevision } from '../domain/desk-file-revisions.js'
import { type RevisionWhatIf, clientWhatIf, noticeMonth, revisionsInForceFrom } from '../domain/revision-what-if.js'
import { type ReplayProgress, monthProgress } from '../domain/what-if-progress.js'
import type { Outcome } from '../domain/outcome.js'
import type { DeskFile } from '../domain/desk-file.js'
import {
  type RecordedCall,
  type RecordedEmailCount,
  type RecordedEmailRequest,
  type RecordedLeg,
  type StoredContract,
  type WhatIfResult,
  startReplay,
} from '../domain/what-if.js'
import { managersCalendar } from './desks.js'

/** What the replay reads besides the calls: the managers' decisions, the stored contracts, the desks' zones. */
export interface WhatIfSetup {
  managers: Map<string, ManagersCalendar>
  contracts: Map<string, StoredContract>
  /** every stored desk's zone, for calls of a desk the proposed file no longer has */
  deskZones: Map<string, string>
  /** the e-mail requests stored around the period (issue #15): their due times are replayed too */
  emailRequests: RecordedEmailRequest[]
  /** the e-mail answers' minutes counted into months around the period, in the order they were counted */
  emailCounts: RecordedEmailCount[]
}

/** Calls are read this many at a time, by keyset: memory holds a batch, not the period. */
export const WHAT_IF_BATCH = 5000

/** The instants whose calls a period's replay reads: from its first month's first day to its end, 14 hours of slack each side. */
function instantsRead(period: { from: string; to: string }): { start: Date; end: Date } {
  const start = DateTime.fromISO(`${period.from.slice(0, 7)}-01`, { zone: 'UTC' })
    .minus({ hours: 14 })
    .toJSDate()
  const end = DateTime.fromISO(period.to, { zone: 'UTC' }).plus({ days: 1, hours: 14 }).toJSDate()
  return { start, end }
}

/**
 * Runs `body` in one read-only, repeatable-read snapshot with the replay's setup and the calls
 * started from the first day of `from`'s month to the end of `to` (14 hours of slack on each side,
 * any desk's zone; the replay keeps those of the desk's own days), streamed in batches in start
 * order with their counted talk legs and callback requests (`batchSize` at a time). Nothing is written.
 */
export async function readWhatIf<T>(
  db: Database,
  period: { from: string; to: string },
  body: (setup: WhatIfSetup, batches: AsyncIterable<RecordedCall[]>) => Promise<T>,
  batchSize = WHAT_IF_BATCH,
): Promise<T> {
  const { start, end } = instantsRead(period)
  return db.transaction((tx) => readWhatIfIn(tx, { start, end }, body, batchSize), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  })
}

/** readWhatIf's reading, in a transaction the caller opened (the instants read: the period with its slack). */
async function readWhatIfIn<T>(
  tx: Reader,
  { start, end }: { start: Date; end: Date },
  body: (setup: WhatIfSetup, batches: AsyncIterable<RecordedCall[]>) => Promise<T>,
  batchSize: number,
): Promise<T> {
  const [deskRows, overrides, entries, seasons, contractRows, emailRequests, emailCountRows] = await Promise.all([
    tx.select().from(desks),
    tx.select().from(holidayOverrides).orderBy(asc(holidayOverrides.id)),
    tx.select().from(calendarEntries).where(isNull(calendarEntries.removedAt)).orderBy(asc(calendarEntries.id)),
    tx.select().from(seasonOverrides).orderBy(asc(seasonOverrides.id)),
    tx
      .select({
        id: contracts.id,
        clientId: contracts.clientId,
        deskId: contracts.deskId,
        start: contracts.start,
        noticeGivenOn: contracts.noticeGivenOn,
      })
      .from(contracts),
    tx
      .select({ id: callbacks.id, deskId: callbacks.deskId, createdAt: callbacks.createdAt, dueAt: callbacks.dueAt })
      .from(callbacks)
      .where(and(eq(callbacks.channel, 'email'), gte(callbacks.createdAt, start), lt(callbacks.createdAt, end)))
      .orderBy(asc(callbacks.createdAt), asc(callbacks.id)),
    tx
      .select({
        requestId: emailCounts.callbackId,
        clientId: contracts.clientId,
        deskId: contracts.deskId,
        month: emailCounts.month,
        seconds: emailCounts.countedSeconds,
        includedSeconds: emailCounts.includedSeconds,
        overageSeconds: emailCounts.overageSeconds,
        graceSeconds: emailCounts.graceSeconds,
        countedAt: emailCounts.countedAt,
      })
      .from(emailCounts)
      .innerJoin(contracts, eq(contracts.id, emailCounts.contractId))
      .where(and(gte(emailCounts.countedAt, start), lt(emailCounts.countedAt, end)))
      .orderBy(asc(emailCounts.countedAt), asc(emailCounts.callbackId)),
  ])
  const managers = new Map(
    deskRows.map((desk) => {
      const own = <T extends { deskId: string }>(list: T[]) => list.filter((row) => row.deskId === desk.id)
      return [desk.id, managersCalendar(desk, own(overrides), own(entries), own(seasons))] as const
    }),
  )
  const stored = new Map(
    contractRows.map((row) => [`${row.clientId}/${row.deskId}/${row.start}`, { id: row.id, noticeGivenOn: row.noticeGivenOn }]),
  )
  const deskZones = new Map(deskRows.map((desk) => [desk.id, desk.timezone]))
  return body(
    { managers, contracts: stored, deskZones, emailRequests, emailCounts: emailCountRows },
    callBatches(tx, start, end, batchSize),
  )
}

type Reader = Parameters<Parameters<Database['transaction']>[0]>[0]

/**
 * The calls of [start, end) in start order, `size` at a time after a keyset cursor (the
 * start as Postgres keeps it, to the microsecond, and the CallSid), each with its talk legs.
 */
async function* callBatches(tx: Reader, start: Date, end: Date, size: number): AsyncGenerator<RecordedCall[]> {
  let cursor: { at: string; callSid: string } | null = null
  for (;;) {
    const after: SQL | undefined = cursor
      ? sql`(${calls.startedAt}, ${calls.callSid}) > (${cursor.at}::timestamptz, ${cursor.callSid})`
      : undefined
    const rows: { row: string }[] = await tx
      .select({ row: CALL_ROW })
      .from(calls)
      .leftJoin(callbacks, eq(callbacks.callSid, calls.callSid))
      .where(and(gte(calls.startedAt, start), lt(calls.startedAt, end), after))
      .orderBy(asc(calls.startedAt), asc(calls.callSid))
      .limit(size)
    const callRows: CallRow[] = rows.map(({ row }) => JSON.parse(row) as CallRow)
    const last = callRows[callRows.length - 1]
    if (!last) return
    const legRows = await tx
      .select({ row: LEG_ROW })
      .from(talkLegs)
      .where(
        inArray(
          talkLegs.callSid,
          callRows.map((row) => row[0]),
        ),
      )
      .orderBy(asc(talkLegs.countedAt))
    const legs = new Map<string, RecordedLeg[]>()
    for (const { row } of legRows) {
      const [callSid, month, talkSeconds, includedSeconds, overageSeconds, onCall, consented, countedAt, grace, onCallSeconds] =
        JSON.parse(row) as LegRow
      const leg = {
        month,
        talkSeconds,
        includedSeconds,
        overageSeconds,
        graceSeconds: grace,
        onCall,
        onCallSeconds,
        consented,
        countedAt: instant(countedAt),
      }
      const list = legs.get(callSid)
      if (list) list.push(leg)
      else legs.set(callSid, [leg])
    }
    yield callRows.map(
      ([callSid, from, to, startedAt, _exact, deskId, clientId, decision, outcome, callbackId, createdAt, dueAt]) => ({
        callSid,
        from,
        to,
        startedAt: instant(startedAt),
        deskId,
        clientId,
        decision,
        outcome,
        legs: legs.get(callSid) ?? [],
        callback:
          callbackId !== null && createdAt !== null
            ? { id: callbackId, createdAt: instant(createdAt), dueAt: dueAt === null ? null : instant(dueAt) }
            : null,
      }),
    )
    if (callRows.length < size) return
    cursor = { at: last[4], callSid: last[0] }
  }
}

/** An instant read as epoch milliseconds with microseconds: the millisecond a Date keeps, as drizzle reads it. */
const instant = (epochMs: number) => new Date(Math.floor(epochMs))

// Each row as one JSON text: drizzle then maps one field a row rather than a dozen (its per-field
// mapping was as costly as the replay), and the start keeps its microseconds for the cursor.
const epochMs = (column: SQLWrapper) => sql`extract(epoch from ${column}) * 1000`

type CallRow = [
  callSid: string,
  from: string,
  to: string,
  startedAt: number,
  exactStart: string,
  deskId: string | null,
  clientId: string | null,
  decision: string,
  outcome: Outcome | null,
  callbackId: number | null,
  callbackCreatedAt: number | null,
  callbackDueAt: number | null,
]

const CALL_ROW = sql<string>`json_build_array(${calls.callSid}, ${calls.fromNumber}, ${calls.toNumber}, ${epochMs(calls.startedAt)},
  ${calls.startedAt}::text, ${calls.deskId}, ${calls.clientId}, ${calls.decision}, ${calls.outcome}, ${callbacks.id},
  ${epochMs(callbacks.createdAt)}, ${epochMs(callbacks.dueAt)})::text`

type LegRow = [
  callSid: string,
  month: string,
  talkSeconds: number,
  includedSeconds: number,
  overageSeconds: number,
  onCall: boolean,
  consented: boolean,
  countedAt: number,
  graceSeconds: number,
  onCallSeconds: number,
]

const LEG_ROW = sql<string>`json_build_array(${talkLegs.callSid}, ${talkLegs.month}, ${talkLegs.talkSeconds},
  ${talkLegs.includedSeconds}, ${talkLegs.overageSeconds}, ${talkLegs.onCall}, ${talkLegs.consented},
  ${epochMs(talkLegs.countedAt)}, ${talkLegs.graceSeconds}, ${talkLegs.onCallSeconds})::text`

/** What a caller of the replay may ask for besides the answer. */
export interface ReplayOptions {
  /** told of each month of the period once its calls are replayed (domain/what-if-progress) */
  onProgress?: (progress: ReplayProgress) => void
}

/** The pure replay (domain/what-if) of the period's recorded calls, fed batch by batch from one snapshot. */
export function replayRecordedCalls(
  db: Database,
  file: DeskFile,
  period: { from: string; to: string },
  options: ReplayOptions = {},
): Promise<WhatIfResult> {
  return readWhatIf(db, period, async (setup, batches) => {
    const run = startReplay({ file, period, ...setup })
    const { onProgress } = options
    const progress = onProgress
      ? monthProgress(period, (call) => (call.deskId && setup.deskZones.get(call.deskId)) || 'UTC', onProgress)
      : null
    for await (const batch of batches) {
      run.add(batch)
      progress?.add(batch)
    }
    const result = run.finish()
    progress?.finish()
    return result
  })
}

/** Where a warning goes (a request's log, the server's, the CLI's stderr). */
export interface WarningLog {
  warn(fields: object, message: string): void
}

/**
 * The written notice's what-if of each revision being recorded, by revision and client
 * (contract.revision, issue #21): the last full month before it takes effect (noticeMonth, in its
 * desk's days on `now`), replayed once for the file being applied with the revisions recorded now
 * in force over that month, each client's figures taken from that one replay. Run inside the
 * application's transaction (it sees the file being applied, and a connection of its own could
 * wait on the configuration lock or on the CLI's one connection), under a savepoint: a failure
 * rolls the savepoint back, is logged as a warning, and the notices go without figures; it never
 * fails the application. Bounded: one month of calls, streamed.
 */
export async function revisionWhatIfs(
  tx: Queryable,
  file: DeskFile,
  revisions: readonly RecordedRevision[],
  now: Date,
  log: WarningLog,
): Promise<Map<RecordedRevision, Map<string, RevisionWhatIf>>> {
  const figures = new Map<RecordedRevision, Map<string, RevisionWhatIf>>()
  if (revisions.length === 0) return figures
  const zones = new Map(file.desks.map((desk) => [desk.id, desk.timezone]))
  // One replay a month (revisions of desks in zones on either side of a month's first day may differ)
  const byMonth = new Map<string, { period: { from: string; to: string }; revisions: RecordedRevision[] }>()
  for (const revision of revisions) {
    const today = localDate(now, zones.get(revision.desk) ?? 'UTC')
    const { month, from, to } = noticeMonth(revision.from, today)
    const group = byMonth.get(month) ?? { period: { from, to }, revisions: [] }
    group.revisions.push(revision)
    byMonth.set(month, group)
  }
  for (const [month, group] of byMonth) {
    try {
      const proposed = revisionsInForceFrom(file, group.revisions, group.period.from)
      // a savepoint inside the application's transaction (a transaction of its own outside one)
      const result = await (tx as Database).transaction((savepoint) =>
        readWhatIfIn(
          savepoint,
          instantsRead(group.period),
          async (setup, batches) => {
            const run = startReplay({ file: proposed, period: group.period, ...setup })
            for await (const batch of batches) run.add(batch)
            return run.finish()
          },
          WHAT_IF_BATCH,
        ),
      )
      for (const revision of group.revisions) {
        const clients = new Map<string, RevisionWhatIf>()
        const ids = revision.kind === 'contract' ? [revision.clientId] : file.clients.map((client) => client.id)
        for (const id of ids) clients.set(id, clientWhatIf(result, id, month))
        figures.set(revision, clients)
      }
    } catch (error) {
      log.warn(
        { err: error, month, revisions: group.revisions.map((revision) => `${revision.desk}:${revision.from}`) },
        "the revision notices go without the client's what-if: its replay failed",
      )
    }
  }
  return figures
}
