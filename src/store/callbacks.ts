// Callback requests: every voicemail, and every in-hours call nobody answered, owes the caller a
// call back within the desk's working hours (model clause: 24 working hours).
import { sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { callbacks } from '../../db/schema.js'

export interface CallbackRequest {
  callSid: string
  deskId: string
  clientId: string | null
  fromNumber: string
  reason: 'no_answer' | 'no_agent' | 'closed_hours' | 'closed_holiday'
  createdAt: Date
  dueAt: Date | null
  recordingUrl?: string | undefined
  recordingSeconds?: number | undefined
}

/** One request per call: a later recording attaches to the request the missed call opened. */
export async function requestCallback(tx: Queryable, request: CallbackRequest): Promise<void> {
  await tx
    .insert(callbacks)
    .values(request)
    .onConflictDoUpdate({
      target: callbacks.callSid,
      set: {
        recordingUrl: sql`coalesce(excluded.recording_url, ${callbacks.recordingUrl})`,
        recordingSeconds: sql`coalesce(excluded.recording_seconds, ${callbacks.recordingSeconds})`,
      },
    })
}
