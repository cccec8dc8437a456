// Call records: created by the voice webhook, completed by the callbacks that follow, each fact
// merged under a row lock so that duplicates and reordering always converge on the same record.
import { eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { calls } from '../../db/schema.js'
import { type CallState, type Outcome, outcomeOnceDecided, resolveOutcome } from '../domain/outcome.js'

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
  const current = await lockCall(tx, callSid)
  return current && saveCall(tx, withFacts(current, patch))
}

/** The record with the facts of a patch, and the outcome they give, whatever order they came in. */
export function withFacts(current: CallRow, patch: CallFactsPatch): CallRow {
  const merged = { ...current, ...withoutUndefined(patch) }
  // A status callback that arrived first must not be undone by an older dial fact, and talk time
  // only ever grows (the answered leg is the one that talked).
  merged.talkSeconds = Math.max(current.talkSeconds, patch.talkSeconds ?? 0)
  merged.dialAttempts = Math.max(current.dialAttempts, patch.dialAttempts ?? 0)
  // The record keeps one dial leg: an answered one over one nobody answered, then the latest
  // attempt (a re-dial at the quota line comes after the leg it continues), in any arrival order.
  if (patch.dialStatus !== undefined) {
    const [currentAnswered, patchAnswered] = [current.talkSeconds > 0, (patch.talkSeconds ?? 0) > 0]
    const keep =
      (currentAnswered && !patchAnswered) ||
      (currentAnswered === patchAnswered && (patch.dialAttempts ?? 0) < current.dialAttempts)
    if (keep) {
      merged.dialStatus = current.dialStatus
      merged.dialCallSid = current.dialCallSid
    }
  }
  if (current.agentId && patch.agentId === undefined) merged.agentId = current.agentId
  merged.outcome = resolveOutcome({ ...stateOf(merged), outcome: patch.outcome ?? current.outcome })
  return merged
}

function stateOf(call: CallRow): CallState {
  return {
    decision: call.decision as CallState['decision'],
    outcome: call.outcome,
    dialStatus: call.dialStatus,
    talkSeconds: call.talkSeconds,
    recordingUrl: call.recordingUrl,
    callStatus: call.callStatus,
  }
}

async function lockCall(tx: Queryable, callSid: string): Promise<CallRow | null> {
  const [row] = await tx.select().from(calls).where(eq(calls.callSid, callSid)).for('update')
  return row ?? null
}

async function saveCall(tx: Queryable, call: CallRow): Promise<CallRow | null> {
  const { callSid, ...changes } = call
  const [row] = await tx.update(calls).set(changes).where(eq(calls.callSid, callSid)).returning()
  return row ?? null
}

/**
 * The columns the voice webhook decides; the callbacks that follow fill in the rest. Both ways a
 * voice write reaches the database (one statement live, a transaction otherwise) write these.
 */
export const VOICE_COLUMNS = [
  'callSid',
  'fromNumber',
  'toNumber',
  'startedAt',
  'deskId',
  'clientId',
  'contractId',
  'usageMonth',
  'decision',
  'outcome',
] as const satisfies readonly (keyof CallRow)[]

/** What a call record holds once the voice webhook decided. */
export type VoiceCallRow = Required<Pick<typeof calls.$inferInsert, (typeof VOICE_COLUMNS)[number]>>

/**
 * The voice webhook's record: inserted, or completing the placeholder that callbacks applied
 * before it created (the outcome then derived again from all the facts; the completed record is
 * returned). A call already decided is left as it is: the first decision recorded stands.
 */
export async function recordVoiceDecision(tx: Queryable, row: VoiceCallRow): Promise<CallRow | null> {
  const [inserted] = await tx.insert(calls).values(row).onConflictDoNothing().returning({ callSid: calls.callSid })
  if (inserted) return null
  const placeholder = await lockCall(tx, row.callSid)
  if (placeholder?.decision !== PENDING) return null
  const outcome = outcomeOnceDecided(stateOf(placeholder), row.outcome)
  return saveCall(tx, withFacts({ ...placeholder, ...row, outcome }, {}))
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
