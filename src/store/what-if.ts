// What the what-if replay reads, in one read-only snapshot: the managers' calendar decisions (a
// desk file does not carry them), the stored contracts' ids and notices, and the recorded calls
// of the period's months with their counted talk and callback requests, streamed in batches. Nothing is written.
import { type SQL, and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Database } from '../../db/client.js'
import {
  calendarEntries,
  callbacks,
  calls,
  contracts,
  desks,
  holidayOverrides,
  seasonOverrides,
  talkLegs,
} from '../../db/schema.js'
import type { ManagersCalendar } from '../domain/configured-facts.js'
import type { DeskFile } from '../domain/desk-file.js'
import { type RecordedCall, type RecordedLeg, type StoredContract, type WhatIfResult, startReplay } from '../domain/what-if.js'
import { managersCalendar } from './desks.js'

/** What the replay reads besides the calls: the managers' decisions, the stored contracts, the desks' zones. */
export interface WhatIfSetup {
  managers: Map<string, ManagersCalendar>
  contracts: Map<string, StoredContract>
  /** every stored desk's zone, for calls of a desk the proposed file no longer has */
  deskZones: Map<string, string>
}

/** Calls are read this many at a time, by keyset: memory holds a batch, not the period. */
export const WHAT_IF_BATCH = 5000

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
  const start = DateTime.fromISO(`${period.from.slice(0, 7)}-01`, { zone: 'UTC' })
    .minus({ hours: 14 })
    .toJSDate()
  const end = DateTime.fromISO(period.to, { zone: 'UTC' }).plus({ days: 1, hours: 14 }).toJSDate()
  return db.transaction(
    async (tx) => {
      const [deskRows, overrides, entries, seasons, contractRows] = await Promise.all([
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
      ])
      const managers = new Map(
        deskRows.map((desk) => {
          const own = <T extends { deskId: string }>(list: T[]) => list.filter((row) => row.deskId === desk.id)
          return [desk.id, managersCalendar(desk, own(overrides), own(entries), own(seasons))] as const
        }),
      )
      const stored = new Map(
        contractRows.map((row) => [
          `${row.clientId}/${row.deskId}/${row.start}`,
          { id: row.id, noticeGivenOn: row.noticeGivenOn },
        ]),
      )
      const deskZones = new Map(deskRows.map((desk) => [desk.id, desk.timezone]))
      return body({ managers, contracts: stored, deskZones }, callBatches(tx, start, end, batchSize))
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
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
    const callRows = await callBatch(tx, and(gte(calls.startedAt, start), lt(calls.startedAt, end), after), size)
    const last = callRows[callRows.length - 1]
    if (!last) return
    const legRows = await tx
      .select({
        callSid: talkLegs.callSid,
        month: talkLegs.month,
        talkSeconds: talkLegs.talkSeconds,
        includedSeconds: talkLegs.includedSeconds,
        overageSeconds: talkLegs.overageSeconds,
        onCall: talkLegs.onCall,
        consented: talkLegs.consented,
        countedAt: talkLegs.countedAt,
      })
      .from(talkLegs)
      .where(
        inArray(
          talkLegs.callSid,
          callRows.map((row) => row.callSid),
        ),
      )
      .orderBy(asc(talkLegs.countedAt))
    const legs = new Map<string, RecordedLeg[]>()
    for (const { callSid, ...leg } of legRows) {
      const list = legs.get(callSid)
      if (list) list.push(leg)
      else legs.set(callSid, [leg])
    }
    yield callRows.map(
      ({ callbackId, callbackCreatedAt, callbackDueAt, exactStart: _, ...call }): RecordedCall => ({
        ...call,
        legs: legs.get(call.callSid) ?? [],
        callback:
          callbackId !== null && callbackCreatedAt
            ? { id: callbackId, createdAt: callbackCreatedAt, dueAt: callbackDueAt }
            : null,
      }),
    )
    if (callRows.length < size) return
    cursor = { at: last.exactStart, callSid: last.callSid }
  }
}

/** One batch of calls in start order with their callback requests. */
function callBatch(tx: Reader, where: SQL | undefined, size: number) {
  return tx
    .select({
      callSid: calls.callSid,
      from: calls.fromNumber,
      to: calls.toNumber,
      startedAt: calls.startedAt,
      exactStart: sql<string>`${calls.startedAt}::text`,
      deskId: calls.deskId,
      clientId: calls.clientId,
      decision: calls.decision,
      outcome: calls.outcome,
      callbackId: callbacks.id,
      callbackCreatedAt: callbacks.createdAt,
      callbackDueAt: callbacks.dueAt,
    })
    .from(calls)
    .leftJoin(callbacks, eq(callbacks.callSid, calls.callSid))
    .where(where)
    .orderBy(asc(calls.startedAt), asc(calls.callSid))
    .limit(size)
}

/** The pure replay (domain/what-if) of the period's recorded calls, fed batch by batch from one snapshot. */
export function replayRecordedCalls(db: Database, file: DeskFile, period: { from: string; to: string }): Promise<WhatIfResult> {
  return readWhatIf(db, period, async (setup, batches) => {
    const run = startReplay({ file, period, ...setup })
    for await (const batch of batches) run.add(batch)
    return run.finish()
  })
}
