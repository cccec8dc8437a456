// The callback queue managers work through: open requests first, by due time, in keyset pages;
// assigning one to an agent and marking it done record who and when; the latest done requests.
import { type SQL, and, desc, eq, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { agents, callbacks, clients } from '../../db/schema.js'
import type { Actor } from './calendar.js'

export type CallbackStatus = 'open' | 'done'

export type CallbackItem = typeof callbacks.$inferSelect & { clientName: string | null }

/** Where a page ended: the sort key of its last item. */
export interface CallbackCursor {
  done: boolean
  /** null sorts last: a request without a due time comes after every dated one */
  dueAt: Date | null
  id: number
}

export interface CallbackFilter {
  status?: CallbackStatus | undefined
  deskId?: string | undefined
}

const doneFirstKey = sql`(${callbacks.status} = 'done')`
const dueKey = sql`coalesce(${callbacks.dueAt}, 'infinity'::timestamptz)`

/** One page of callback requests: open before done, then by due time, then by id. */
export async function listCallbacks(
  db: Queryable,
  filter: CallbackFilter,
  page: { limit: number; cursor?: CallbackCursor | undefined },
): Promise<{ items: CallbackItem[]; next: CallbackCursor | null }> {
  const where: SQL[] = []
  if (filter.status) where.push(eq(callbacks.status, filter.status))
  if (filter.deskId) where.push(eq(callbacks.deskId, filter.deskId))
  const { cursor } = page
  if (cursor) {
    const due = cursor.dueAt ? cursor.dueAt.toISOString() : 'infinity'
    where.push(sql`(${doneFirstKey}, ${dueKey}, ${callbacks.id}) > (${cursor.done}, ${due}::timestamptz, ${cursor.id})`)
  }
  const rows = await db
    .select({ callback: callbacks, clientName: clients.name })
    .from(callbacks)
    .leftJoin(clients, eq(clients.id, callbacks.clientId))
    .where(and(...where))
    .orderBy(doneFirstKey, dueKey, callbacks.id)
    .limit(page.limit + 1)
  const items = rows.slice(0, page.limit).map((row) => ({ ...row.callback, clientName: row.clientName }))
  const last = items.at(-1)
  return {
    items,
    next: rows.length > page.limit && last ? { done: last.status === 'done', dueAt: last.dueAt, id: last.id } : null,
  }
}

/** A desk's open requests, and how many of them are past due at `now` (the late ones, as isLate says). */
export async function countOpenCallbacks(db: Queryable, deskId: string, now: Date): Promise<{ open: number; late: number }> {
  const [row] = await db
    .select({
      open: sql<number>`count(*)::int`,
      late: sql<number>`(count(*) filter (where ${callbacks.dueAt} < ${now.toISOString()}::timestamptz))::int`,
    })
    .from(callbacks)
    .where(and(eq(callbacks.status, 'open'), eq(callbacks.deskId, deskId)))
  return { open: row?.open ?? 0, late: row?.late ?? 0 }
}

/** A desk's requests done most recently, the latest first: listCallbacks orders done ones by due time. */
export async function listRecentlyDone(db: Queryable, deskId: string, limit: number): Promise<CallbackItem[]> {
  const rows = await db
    .select({ callback: callbacks, clientName: clients.name })
    .from(callbacks)
    .leftJoin(clients, eq(clients.id, callbacks.clientId))
    .where(and(eq(callbacks.status, 'done'), eq(callbacks.deskId, deskId)))
    .orderBy(desc(callbacks.doneAt), desc(callbacks.id))
    .limit(limit)
  return rows.map((row) => ({ ...row.callback, clientName: row.clientName }))
}

export async function findCallback(db: Queryable, id: number): Promise<CallbackItem | null> {
  const [row] = await db
    .select({ callback: callbacks, clientName: clients.name })
    .from(callbacks)
    .leftJoin(clients, eq(clients.id, callbacks.clientId))
    .where(eq(callbacks.id, id))
  return row ? { ...row.callback, clientName: row.clientName } : null
}

export type CallbackChange =
  | { ok: true; callback: CallbackItem }
  | { ok: false; reason: 'not_found' | 'already_done' | 'unknown_agent' }

/** Gives an open request to an active agent (a later assignment replaces an earlier one). */
export async function assignCallback(db: Database, id: number, agentId: string, actor: Actor): Promise<CallbackChange> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ status: callbacks.status }).from(callbacks).where(eq(callbacks.id, id)).for('update')
    if (!current) return { ok: false, reason: 'not_found' }
    if (current.status === 'done') return { ok: false, reason: 'already_done' }
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.active, true)))
    if (!agent) return { ok: false, reason: 'unknown_agent' }
    await tx
      .update(callbacks)
      .set({ assignedTo: agentId, assignedBy: actor.name, assignedAt: actor.now })
      .where(eq(callbacks.id, id))
    return { ok: true, callback: (await findCallback(tx, id)) as CallbackItem }
  })
}

/** Closes an open request with a note of what was done. */
export async function completeCallback(db: Database, id: number, note: string, actor: Actor): Promise<CallbackChange> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ status: callbacks.status }).from(callbacks).where(eq(callbacks.id, id)).for('update')
    if (!current) return { ok: false, reason: 'not_found' }
    if (current.status === 'done') return { ok: false, reason: 'already_done' }
    await tx.update(callbacks).set({ status: 'done', doneAt: actor.now, doneBy: actor.name, note }).where(eq(callbacks.id, id))
    return { ok: true, callback: (await findCallback(tx, id)) as CallbackItem }
  })
}
