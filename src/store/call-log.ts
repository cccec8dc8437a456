// The call log: filtered, keyset-paginated (stable while calls keep arriving), newest first.
import { type SQL, and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { callEvents, calls, desks, talkLegs } from '../../db/schema.js'
import type { Outcome } from '../domain/call.js'

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
  startedAt: Date
  endedAt: Date | null
  talkSeconds: number
  durationSeconds: number | null
  agentId: string | null
  onCall: boolean
  overageAccepted: boolean
  /** seconds of this call beyond the month's quota (billable) */
  overageSeconds: number
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
  startedAt: calls.startedAt,
  endedAt: calls.endedAt,
  talkSeconds: calls.talkSeconds,
  durationSeconds: calls.durationSeconds,
  agentId: calls.agentId,
  onCall: calls.onCall,
  overageAccepted: calls.overageAccepted,
  overageSeconds: sql<number>`coalesce((select sum(${talkLegs.overageSeconds}) from ${talkLegs} where ${talkLegs.callSid} = ${calls.callSid}), 0)::int`,
  recordingUrl: calls.recordingUrl,
}

// A time zone is at most 14 h from UTC: a sargable bound on started_at before the exact,
// per-desk comparison (which an index cannot use).
const WIDEST_OFFSET = "interval '14 hours'"

function conditions(filter: CallFilter): SQL[] {
  const where: SQL[] = []
  if (filter.clientId) where.push(eq(calls.clientId, filter.clientId))
  if (filter.deskId) where.push(eq(calls.deskId, filter.deskId))
  if (filter.agentId) where.push(eq(calls.agentId, filter.agentId))
  if (filter.caller) where.push(eq(calls.fromNumber, filter.caller))
  if (filter.outcomes?.length) where.push(inArray(calls.outcome, filter.outcomes))
  const deskZone = sql`(select ${desks.timezone} from ${desks} where ${desks.id} = ${calls.deskId})`
  if (filter.fromDate) {
    where.push(sql`${calls.startedAt} >= ${filter.fromDate}::date - ${sql.raw(WIDEST_OFFSET)}`)
    where.push(sql`${calls.startedAt} >= (${filter.fromDate}::date)::timestamp at time zone coalesce(${deskZone}, 'UTC')`)
  }
  if (filter.toDate) {
    where.push(sql`${calls.startedAt} < ${filter.toDate}::date + 1 + ${sql.raw(WIDEST_OFFSET)}`)
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
  const where = conditions(filter)
  const { cursor } = page
  if (cursor) {
    where.push(
      or(lt(calls.startedAt, cursor.startedAt), and(eq(calls.startedAt, cursor.startedAt), lt(calls.callSid, cursor.callSid))) as SQL,
    )
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

