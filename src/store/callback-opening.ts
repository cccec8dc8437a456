// Callback requests: every voicemail, and every in-hours call nobody answered, owes the caller a
// call back within the desk's working hours (model clause: 24 working hours).
import { eq, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { callbacks } from '../../db/schema.js'
import { type CallbackReason, reasonOnceDecided } from '../domain/callback.js'

export interface CallbackRequest {
  callSid: string
  deskId: string
  clientId: string | null
  fromNumber: string
  reason: CallbackReason
  createdAt: Date
  dueAt: Date | null
  recordingUrl?: string | undefined
  recordingSeconds?: number | undefined
}

/**
 * One request per call, whatever order its writes arrive in: a later recording attaches to the
 * request a missed call opened; the request dates from the first write that owed it; and a
 * reason a write owes (`owed`: nobody on duty, nobody answered) wins over one derived from the
 * call's record for a recording, which the order of arrival may have left incomplete.
 */
export async function requestCallback(tx: Queryable, request: CallbackRequest, { owed }: { owed: boolean }): Promise<void> {
  await tx
    .insert(callbacks)
    .values(request)
    .onConflictDoUpdate({
      target: callbacks.callSid,
      set: {
        recordingUrl: sql`coalesce(excluded.recording_url, ${callbacks.recordingUrl})`,
        recordingSeconds: sql`coalesce(excluded.recording_seconds, ${callbacks.recordingSeconds})`,
        createdAt: sql`least(excluded.created_at, ${callbacks.createdAt})`,
        dueAt: sql`least(excluded.due_at, ${callbacks.dueAt})`,
        ...(owed ? { reason: sql`excluded.reason` } : {}),
      },
    })
}

/**
 * What a request opened before its call's decision reached the database (a placeholder's) learns
 * from it: the client, and why it is owed (see reasonOnceDecided).
 */
export async function completeCallbackRequest(
  tx: Queryable,
  call: { callSid: string; clientId: string | null; decision: string; outcome: string | null; dialStatus: string | null },
): Promise<void> {
  const [request] = await tx.select().from(callbacks).where(eq(callbacks.callSid, call.callSid)).for('update')
  if (!request) return
  await tx
    .update(callbacks)
    .set({ clientId: request.clientId ?? call.clientId, reason: reasonOnceDecided(request.reason, call) })
    .where(eq(callbacks.callSid, call.callSid))
}
