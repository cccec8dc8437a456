// Call records: created by the voice webhook, completed by the callbacks that follow, each fact
// merged under a row lock so that duplicates and reordering always converge on the same record.
import { eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { callEvents, calls } from '../../db/schema.js'
import type { Decision, Outcome, Plan } from '../domain/call.js'
import { resolveOutcome } from '../domain/outcome.js'

export type CallRow = typeof calls.$inferSelect

export interface IncomingCall {
  callSid: string
  from: string
  to: string
  decision: Decision
  startedAt: Date
}

/** Inserts the call's record; a repeated voice webhook for the same CallSid leaves the first one. */
export async function recordIncomingCall(tx: Queryable, call: IncomingCall): Promise<boolean> {
  const { decision } = call
  const inserted = await tx
    .insert(calls)
    .values({
      callSid: call.callSid,
      deskId: decision.deskId,
      fromNumber: call.from,
      toNumber: call.to,
      clientId: decision.clientId,
      contractId: decision.contractId,
      startedAt: call.startedAt,
      usageMonth: decision.usageMonth,
      decision: decision.plan.kind,
      outcome: 'outcome' in decision.plan ? decision.plan.outcome : null,
    })
    .onConflictDoNothing()
    .returning({ callSid: calls.callSid })
  return inserted.length > 0
}

export async function appendEvent(
  tx: Queryable,
  event: { callSid: string; kind: string; at: Date; params: Record<string, string> },
): Promise<void> {
  await tx.insert(callEvents).values(event)
}

export async function findCall(db: Queryable, callSid: string): Promise<CallRow | null> {
  const [row] = await db.select().from(calls).where(eq(calls.callSid, callSid))
  return row ?? null
}

/** The facts a callback can add to a call; absent fields are left as they are. */
export type CallFactsPatch = Partial<
  Pick<
    CallRow,
    | 'agentId'
    | 'dialCallSid'
    | 'dialStatus'
    | 'dialAttempts'
    | 'talkSeconds'
    | 'recordingUrl'
    | 'callStatus'
    | 'durationSeconds'
    | 'endedAt'
    | 'overageAccepted'
    | 'onCall'
  >
> & { outcome?: Outcome }

/**
 * Merges facts into a call under a row lock and derives the outcome again from all of them.
 * Returns the updated record, or null when the call is unknown.
 */
export async function mergeCallFacts(tx: Queryable, callSid: string, patch: CallFactsPatch): Promise<CallRow | null> {
  const [current] = await tx.select().from(calls).where(eq(calls.callSid, callSid)).for('update')
  if (!current) return null
  const merged = { ...current, ...withoutUndefined(patch) }
  // A status callback that arrived first must not be undone by an older dial fact, and talk time
  // only ever grows (the answered leg is the one that talked).
  merged.talkSeconds = Math.max(current.talkSeconds, patch.talkSeconds ?? 0)
  merged.dialAttempts = Math.max(current.dialAttempts, patch.dialAttempts ?? 0)
  if (current.talkSeconds > 0 && patch.dialStatus !== undefined) merged.dialStatus = current.dialStatus
  if (current.agentId && patch.agentId === undefined) merged.agentId = current.agentId
  merged.outcome = resolveOutcome({
    decision: merged.decision as Plan['kind'],
    outcome: patch.outcome ?? current.outcome,
    dialStatus: merged.dialStatus,
    talkSeconds: merged.talkSeconds,
    recordingUrl: merged.recordingUrl,
    callStatus: merged.callStatus,
  })
  const { callSid: _, ...changes } = merged
  const [row] = await tx.update(calls).set(changes).where(eq(calls.callSid, callSid)).returning()
  return row ?? null
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
