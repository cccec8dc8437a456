// The call log: filtered, keyset-paginated (stable while calls keep arriving), newest first.
import { type SQL, and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable } from '../../db/client.js'
import { callEvents, calls, desks, talkLegs } from '../../db/schema.js'
import type { Outcome } from '../domain/outcome.js'

export interface CallFilter {
  clientId?: string | undefined
  deskId?: string | undefined
  agentId?: string | undefined
  outcomes?: Outcome[] | undefined
  /** the caller's number, E.164 */
  caller?: string | undefined
  /** local dates (YYYY-MM-DD), inclusive, in each call's desk time zone */
  fromDate?: string | undefined
  toDate?: string | undefined
}

export interface Cursor {
  startedAt: Date
  callSid: string
}

export interface CallLogItem {
  callSid: string
  desk: string | null
  from: string
  to: string
  clientId: string | null
  contractId: number | null
  outcome: Outcome | null
  decision: string
  /** inbound, or outbound: the desk called a client back (issue #16) */
  direction: 'inbound' | 'outbound'
  /** the callback request an outbound call answers */
  callbackId: number | null
  startedAt: Date
  endedAt: Date | null
  talkSeconds: number
  durationSeconds: number | null
  agentId: string | null
  onCall: boolean
  overageAccepted: boolean
  /** seconds of this call beyond the month's quota, billable */
  overageSeconds: number
  /** seconds of this call beyond the month's quota, never billed */
  graceSeconds: number
  recordingUrl: string | null
}

const columns = {
  callSid: calls.callSid,
  desk: calls.deskId,
  from: calls.fromNumber,
  to: calls.toNumber,
  clientId: calls.clientId,
  contractId: calls.contractId,
  outcome: calls.outcome,
  decision: calls.decision,
  direction: calls.direction,
  callbackId: calls.callbackId,
  startedAt: calls.startedAt,
  endedAt: calls.endedAt,
  talkSeconds: calls.talkSeconds,
  durationSeconds: calls.durationSeconds,
  agentId: calls.agentId,
  onCall: calls.onCall,
  overageAccepted: calls.overageAccepted,
  // Spelled out with the table names: in a select list drizzle writes columns unqualified, and an
  // unqualified "call_sid" inside the subquery is talk_legs' own (every leg of every call summed).
  overageSeconds: sql<number>`coalesce((select sum(legs.overage_seconds) from ${talkLegs} as legs where legs.call_sid = ${calls}.call_sid), 0)::int`,
  graceSeconds: sql<number>`coalesce((select sum(legs.grace_seconds) from ${talkLegs} as legs where legs.call_sid = ${calls}.call_sid), 0)::int`,
  recordingUrl: calls.recordingUrl,
}

interface DayBounds {
  /** the earliest instant the first day starts in any desk's zone (or UTC) */
  from?: Date
  /** the latest instant the day after the last one starts in any desk's zone (or UTC) */
  to?: Date
}

/**
 * Local dates become a sargable range on started_at, from the desks' own zones (a few rows): the
 * index scan then reads the month and little more, where a ±14 h slack read 14 hours of calls
 * past the month's end for every page. The exact per-desk comparison stays as a filter.
 */
async function dayBounds(db: Queryable, filter: CallFilter): Promise<DayBounds> {
  if (!filter.fromDate && !filter.toDate) return {}
  const zones = ['UTC', ...(await db.selectDistinct({ zone: desks.timezone }).from(desks)).map((row) => row.zone)]
  const starts = (date: string) => zones.map((zone) => DateTime.fromISO(date, { zone }).toMillis())
  return {
    ...(filter.fromDate ? { from: new Date(Math.min(...starts(filter.fromDate))) } : {}),
    ...(filter.toDate
      ? { to: new Date(Math.max(...starts(DateTime.fromISO(filter.toDate).plus({ days: 1 }).toISODate() as string))) }
      : {}),
  }
}

function conditions(filter: CallFilter, bounds: DayBounds): SQL[] {
  const where: SQL[] = []
  if (filter.clientId) where.push(eq(calls.clientId, filter.clientId))
  if (filter.deskId) where.push(eq(calls.deskId, filter.deskId))
  if (filter.agentId) where.push(eq(calls.agentId, filter.agentId))
  if (filter.caller) where.push(eq(calls.fromNumber, filter.caller))
  if (filter.outcomes?.length) where.push(inArray(calls.outcome, filter.outcomes))
  const deskZone = sql`(select ${desks.timezone} from ${desks} where ${desks.id} = ${calls.deskId})`
  if (filter.fromDate && bounds.from) {
    where.push(gte(calls.startedAt, bounds.from))
    where.push(sql`${calls.startedAt} >= (${filter.fromDate}::date)::timestamp at time zone coalesce(${deskZone}, 'UTC')`)
  }
  if (filter.toDate && bounds.to) {
    where.push(lt(calls.startedAt, bounds.to))
    where.push(sql`${calls.startedAt} < (${filter.toDate}::date + 1)::timestamp at time zone coalesce(${deskZone}, 'UTC')`)
  }
  return where
}

/** One page of calls, newest first, after `cursor`; `limit + 1` rows are read to know if more follow. */
export async function listCalls(
  db: Queryable,
  filter: CallFilter,
  page: { limit: number; cursor?: Cursor | undefined },
): Promise<{ items: CallLogItem[]; next: Cursor | null }> {
  const where = conditions(filter, await dayBounds(db, filter))
  const { cursor } = page
  if (cursor) {
    // A row comparison, not (a < x or (a = x and b < y)): Postgres turns it into an index range on
    // calls_started_idx and starts the scan at the cursor, where the OR form reads every newer row.
    where.push(sql`(${calls.startedAt}, ${calls.callSid}) < (${sql.param(cursor.startedAt, calls.startedAt)}, ${cursor.callSid})`)
  }
  const rows = await db
    .select(columns)
    .from(calls)
    .where(and(...where))
    .orderBy(desc(calls.startedAt), desc(calls.callSid))
    .limit(page.limit + 1)
  const items = rows.slice(0, page.limit) as CallLogItem[]
  const last = items.at(-1)
  return { items, next: rows.length > page.limit && last ? { startedAt: last.startedAt, callSid: last.callSid } : null }
}

/** Every call of the filter, page by page: bounded memory however many there are. */
export async function* eachCall(db: Queryable, filter: CallFilter, pageSize = 1000): AsyncGenerator<CallLogItem> {
  let cursor: Cursor | undefined
  for (;;) {
    const page = await listCalls(db, filter, { limit: pageSize, cursor })
    yield* page.items
    if (!page.next) return
    cursor = page.next
  }
}

export async function getCall(db: Queryable, callSid: string, clientId: string | null) {
  const [call] = await db
    .select(columns)
    .from(calls)
    .where(and(eq(calls.callSid, callSid), clientId ? eq(calls.clientId, clientId) : undefined))
  if (!call) return null
  const events = await db
    .select({ kind: callEvents.kind, at: callEvents.at, params: callEvents.params })
    .from(callEvents)
    .where(eq(callEvents.callSid, callSid))
    .orderBy(asc(callEvents.id))
  const legs = await db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))
  return { ...(call as CallLogItem), events, legs }
}
