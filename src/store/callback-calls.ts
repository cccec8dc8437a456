// Calling a client back through the line (issue #16): the facts the route and the webhooks read
// (the request, its desk and number, the desk's agents, the client's numbers and contract), the
// attempts each call makes, and what an ended attempt does to its request.
import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { agentDesks, agents, callbackAttempts, callbacks, calls, clientNumbers, clients, deskNumbers } from '../../db/schema.js'
import type { CallerFacts, DeskFacts } from '../domain/call.js'
import { attemptResult } from '../domain/callback-call.js'
import { monthOf } from '../domain/quota.js'
import { findCaller } from './clients.js'
import { findDesk } from './desks.js'

export type CallbackAttempt = typeof callbackAttempts.$inferSelect

/** What deciding a call back needs, read at once. */
export interface CallbackCallFacts {
  callback: typeof callbacks.$inferSelect
  clientName: string | null
  desk: DeskFacts
  /** the number the desk calls from: its first number */
  deskNumber: string
  /** the desk's active agents (on duty or not: a call back is not an incoming call) */
  agents: { id: string; name: string; number: string }[]
  /** the numbers registered to the request's client */
  registered: string[]
}

export async function callbackCallFacts(db: Queryable, callbackId: number): Promise<CallbackCallFacts | null> {
  const [row] = await db
    .select({ callback: callbacks, clientName: clients.name })
    .from(callbacks)
    .leftJoin(clients, eq(clients.id, callbacks.clientId))
    .where(eq(callbacks.id, callbackId))
  if (!row) return null
  const { callback } = row
  const [desk, numbers, deskAgents, registered] = await Promise.all([
    findDesk(db, callback.deskId),
    db.select({ number: deskNumbers.number }).from(deskNumbers).where(eq(deskNumbers.deskId, callback.deskId)),
    db
      .select({ id: agents.id, name: agents.name, number: agents.number })
      .from(agentDesks)
      .innerJoin(agents, eq(agents.id, agentDesks.agentId))
      .where(and(eq(agentDesks.deskId, callback.deskId), eq(agents.active, true)))
      .orderBy(asc(agentDesks.position), asc(agents.id)),
    callback.clientId
      ? db
          .select({ number: clientNumbers.number })
          .from(clientNumbers)
          .where(eq(clientNumbers.clientId, callback.clientId))
          .orderBy(asc(clientNumbers.number))
      : Promise.resolve([]),
  ])
  const deskNumber = numbers.map((n) => n.number).sort()[0]
  if (!desk || !deskNumber) return null
  return {
    callback,
    clientName: row.clientName,
    desk,
    deskNumber,
    agents: deskAgents,
    registered: registered.map((r) => r.number),
  }
}

/** The client at the number dialled, with its contracts on the desk and the month's usage (null: not a client's number). */
export function calledClient(db: Queryable, desk: DeskFacts, number: string, now: Date): Promise<CallerFacts | null> {
  return findCaller(db, number, desk.id, monthOf(now, desk.timezone))
}

export type AttemptOpening =
  | { ok: true; attempt: CallbackAttempt; fresh: boolean }
  | { ok: false; reason: 'not_found' | 'already_done' }

/**
 * A new attempt, or the one a double click already started: under the request's row lock, an
 * attempt still `initiated` and younger than `windowMs` is the same call (not a second one).
 */
export async function openAttempt(
  db: Database,
  input: { callbackId: number; agentId: string; number: string; fromNumber: string; actor: string; now: Date; windowMs: number },
): Promise<AttemptOpening> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({ status: callbacks.status })
      .from(callbacks)
      .where(eq(callbacks.id, input.callbackId))
      .for('update')
    if (!request) return { ok: false, reason: 'not_found' }
    if (request.status === 'done') return { ok: false, reason: 'already_done' }
    const [open] = await tx
      .select()
      .from(callbackAttempts)
      .where(
        and(
          eq(callbackAttempts.callbackId, input.callbackId),
          eq(callbackAttempts.status, 'initiated'),
          gt(callbackAttempts.createdAt, new Date(input.now.getTime() - input.windowMs)),
        ),
      )
      .orderBy(desc(callbackAttempts.id))
      .limit(1)
    if (open) return { ok: true, attempt: open, fresh: false }
    const [attempt] = await tx
      .insert(callbackAttempts)
      .values({
        callbackId: input.callbackId,
        agentId: input.agentId,
        number: input.number,
        fromNumber: input.fromNumber,
        createdAt: input.now,
        createdBy: input.actor,
      })
      .returning()
    if (!attempt) throw new Error('the attempt was not inserted')
    return { ok: true, attempt, fresh: true }
  })
}

/** Twilio refused the call, or could not be reached: the attempt never was, the request stays as it was. */
export async function dropAttempt(db: Queryable, attemptId: number): Promise<void> {
  await db.delete(callbackAttempts).where(and(eq(callbackAttempts.id, attemptId), isNull(callbackAttempts.callSid)))
}

/**
 * Twilio took the call: the attempt gets its SID, and the call log its outbound record (or, when
 * the call's first webhooks beat this, the placeholder they made gets the facts).
 */
export async function attemptPlaced(
  db: Database,
  input: {
    attempt: CallbackAttempt
    callSid: string
    deskId: string
    clientId: string | null
    contractId: number | null
    usageMonth: string | null
    now: Date
  },
): Promise<CallbackAttempt> {
  return db.transaction(async (tx) => {
    // The call's record first, then the attempt: the order a status write that beat this takes
    // them in (its call, then settleAttempt), so the two wait on each other, never deadlock.
    const outbound = {
      direction: 'outbound' as const,
      callbackId: input.attempt.callbackId,
      deskId: input.deskId,
      clientId: input.clientId,
      contractId: input.contractId,
      usageMonth: input.usageMonth,
      fromNumber: input.attempt.fromNumber,
      toNumber: input.attempt.number,
      decision: 'dial',
    }
    await tx
      .insert(calls)
      .values({ callSid: input.callSid, startedAt: input.now, ...outbound })
      .onConflictDoUpdate({ target: calls.callSid, set: outbound })
    const [attempt] = await tx
      .update(callbackAttempts)
      .set({ callSid: input.callSid })
      .where(eq(callbackAttempts.id, input.attempt.id))
      .returning()
    return attempt ?? input.attempt
  })
}

export async function findAttempt(db: Queryable, attemptId: number): Promise<CallbackAttempt | null> {
  const [row] = await db.select().from(callbackAttempts).where(eq(callbackAttempts.id, attemptId))
  return row ?? null
}

/** The attempts of some requests, oldest first, by request. */
export async function attemptsOf(db: Queryable, callbackIds: readonly number[]): Promise<Map<number, CallbackAttempt[]>> {
  const byRequest = new Map<number, CallbackAttempt[]>()
  if (callbackIds.length === 0) return byRequest
  const rows = await db
    .select()
    .from(callbackAttempts)
    .where(inArray(callbackAttempts.callbackId, [...callbackIds]))
    .orderBy(asc(callbackAttempts.id))
  for (const row of rows) byRequest.set(row.callbackId, [...(byRequest.get(row.callbackId) ?? []), row])
  return byRequest
}

/**
 * An attempt ended (in a webhook write's transaction): its result, once (an attempt no longer
 * `initiated` is left as it is), and the request closed when the client was reached long enough.
 * `dialStatus` null: the client was never dialled (the agent did not answer, or did not press 1).
 */
export async function settleAttempt(
  tx: Queryable,
  attemptId: number,
  ended: { dialStatus: string | null; talkSeconds: number; callSid: string; at: Date },
): Promise<void> {
  const [attempt] = await tx.select().from(callbackAttempts).where(eq(callbackAttempts.id, attemptId)).for('update')
  if (attempt?.status !== 'initiated') return
  const [request] = await tx.select().from(callbacks).where(eq(callbacks.id, attempt.callbackId)).for('update')
  const desk = request ? await findDesk(tx, request.deskId) : null
  const { result, closes } = attemptResult({
    dialStatus: ended.dialStatus,
    talkSeconds: ended.talkSeconds,
    reachedSeconds: desk?.options.callbackReachedSeconds,
  })
  await tx
    .update(callbackAttempts)
    .set({ status: result, talkSeconds: ended.talkSeconds, endedAt: ended.at, callSid: attempt.callSid ?? ended.callSid })
    .where(eq(callbackAttempts.id, attemptId))
  if (!closes || !request || request.status !== 'open') return
  const [agent] = await tx.select({ name: agents.name }).from(agents).where(eq(agents.id, attempt.agentId))
  await tx
    .update(callbacks)
    .set({
      status: 'done',
      doneAt: ended.at,
      doneBy: agent?.name ?? attempt.agentId,
      note: `Rappelé par la ligne : ${attempt.number} joint ${ended.talkSeconds} s (appel ${attempt.callSid ?? ended.callSid})`,
    })
    .where(eq(callbacks.id, request.id))
}
