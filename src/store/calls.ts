// Call records: created by the voice webhook, completed by the callbacks that follow, each fact
// merged under a row lock so that duplicates and reordering always converge on the same record.
import { eq, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { calls } from '../../db/schema.js'
import type { Plan } from '../domain/call.js'
import type { Outcome } from '../domain/outcome.js'
import { resolveOutcome } from '../domain/outcome.js'

export type CallRow = typeof calls.$inferSelect

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
    decision: merged.decision as Plan['kind'] | typeof PENDING,
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

/** What a call record holds once the voice webhook decided. */
export type VoiceCallRow = Pick<
  typeof calls.$inferInsert,
  | 'callSid'
  | 'fromNumber'
  | 'toNumber'
  | 'startedAt'
  | 'deskId'
  | 'clientId'
  | 'contractId'
  | 'usageMonth'
  | 'decision'
  | 'outcome'
>

/**
 * The voice webhook's record, applied late (from a journal): inserted, or completing the
 * placeholder that callbacks applied before it created; the outcome is derived again from all facts.
 */
export async function upsertVoiceCall(tx: Queryable, row: VoiceCallRow): Promise<void> {
  const { callSid: _, ...decided } = row
  await tx
    .insert(calls)
    .values(row)
    .onConflictDoUpdate({ target: calls.callSid, set: decided, setWhere: sql`${calls.decision} = ${PENDING}` })
  await mergeCallFacts(tx, row.callSid, {})
}

/** The decision of a call whose voice webhook has not reached the database yet. */
export const PENDING = 'pending'

/**
 * Merges facts into a call; when the call is not recorded yet (its voice webhook is still in
 * another instance's journal), a placeholder record holds them until it is.
 */
export async function mergeOrCreateCall(
  tx: Queryable,
  callSid: string,
  patch: CallFactsPatch,
  placeholder: { from: string; to: string; at: Date },
): Promise<CallRow | null> {
  const merged = await mergeCallFacts(tx, callSid, patch)
  if (merged) return merged
  await tx
    .insert(calls)
    .values({ callSid, fromNumber: placeholder.from, toNumber: placeholder.to, startedAt: placeholder.at, decision: PENDING })
    .onConflictDoNothing()
  return mergeCallFacts(tx, callSid, patch)
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
