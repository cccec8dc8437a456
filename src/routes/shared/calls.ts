// What the call log's API and the dashboard's call pages share: the call SID in a path, the page
// cursor, a call as JSON, and the CSV columns of an export.
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { OUTCOMES } from '../../domain/outcome.js'
import type { CallLogItem, Cursor } from '../../store/call-log.js'
import { type PageCursor, cursorInstant, pageCursor } from './cursor.js'

/** A call's SID as a path names it: text the database can hold (the log's own SIDs are Twilio's). */
export const callSidParam = text(64)

const callCursor: PageCursor<Cursor> = pageCursor(z.object({ startedAt: cursorInstant, callSid: callSidParam }).strict())
export const cursorSchema = callCursor.schema
export const encodeCursor = callCursor.encode

export const callItem = z.object({
  callSid: z.string(),
  desk: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  clientId: z.string().nullable(),
  contractId: z.number().nullable(),
  outcome: z.enum(OUTCOMES).nullable().describe('null while the call is in progress'),
  decision: z.string(),
  direction: z.enum(['inbound', 'outbound']).describe('outbound: the desk called a client back (POST /api/callbacks/{id}/call)'),
  callbackId: z.number().nullable().describe('the callback request an outbound call answers'),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  talkSeconds: z.number(),
  durationSeconds: z.number().nullable(),
  agentId: z.string().nullable(),
  onCall: z.boolean(),
  overageAccepted: z.boolean(),
  overageSeconds: z.number().describe("seconds of this call beyond the month's quota, billable"),
  graceSeconds: z.number().describe("seconds of this call beyond the month's quota, never billed"),
  recordingUrl: z.string().nullable(),
})

export function serialise(item: CallLogItem): z.infer<typeof callItem> {
  return { ...item, startedAt: item.startedAt.toISOString(), endedAt: item.endedAt?.toISOString() ?? null }
}

export async function* serialiseEach(items: AsyncIterable<CallLogItem>) {
  for await (const item of items) yield serialise(item)
}

export const CSV_COLUMNS = [
  'callSid',
  'desk',
  'from',
  'to',
  'clientId',
  'outcome',
  'startedAt',
  'endedAt',
  'talkSeconds',
  'overageSeconds',
  'graceSeconds',
  'durationSeconds',
  'agentId',
  'onCall',
  'overageAccepted',
  'recordingUrl',
] as const
