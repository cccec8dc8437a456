// What the what-if replay reads, in one read-only snapshot: the managers' calendar decisions (a
// desk file does not carry them), the stored contracts' ids and notices, and the recorded calls
// of the period's months with their counted talk and callback requests. Nothing is written.
import { and, asc, eq, gte, isNull, lt } from 'drizzle-orm'
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
import type { RecordedCall, RecordedLeg, StoredContract } from '../domain/what-if.js'
import { managersCalendar } from './desks.js'

export interface WhatIfFacts {
  managers: Map<string, ManagersCalendar>
  contracts: Map<string, StoredContract>
  calls: RecordedCall[]
}

/**
 * The facts of every call started from the first day of `from`'s month to the end of `to`, with
 * 14 hours of slack on each side (any desk's zone); the replay keeps those of the desk's own days.
 */
export async function readWhatIfFacts(db: Database, period: { from: string; to: string }): Promise<WhatIfFacts> {
  const start = DateTime.fromISO(`${period.from.slice(0, 7)}-01`, { zone: 'UTC' })
    .minus({ hours: 14 })
    .toJSDate()
  const end = DateTime.fromISO(period.to, { zone: 'UTC' }).plus({ days: 1, hours: 14 }).toJSDate()
  return db.transaction(
    async (tx) => {
      const [deskRows, overrides, entries, seasons, contractRows, callRows, legRows] = await Promise.all([
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
          .select({
            callSid: calls.callSid,
            from: calls.fromNumber,
            to: calls.toNumber,
            startedAt: calls.startedAt,
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
          .where(and(gte(calls.startedAt, start), lt(calls.startedAt, end))),
        tx
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
          .innerJoin(calls, eq(calls.callSid, talkLegs.callSid))
          .where(and(gte(calls.startedAt, start), lt(calls.startedAt, end)))
          .orderBy(asc(talkLegs.countedAt)),
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
      const legs = new Map<string, RecordedLeg[]>()
      for (const { callSid, ...leg } of legRows) legs.set(callSid, [...(legs.get(callSid) ?? []), leg])
      const recorded = callRows.map(
        ({ callbackId, callbackCreatedAt, callbackDueAt, ...call }): RecordedCall => ({
          ...call,
          legs: legs.get(call.callSid) ?? [],
          callback:
            callbackId !== null && callbackCreatedAt
              ? { id: callbackId, createdAt: callbackCreatedAt, dueAt: callbackDueAt }
              : null,
        }),
      )
      return { managers, contracts: stored, calls: recorded }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
