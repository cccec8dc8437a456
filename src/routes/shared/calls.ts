// What the call log's API and the dashboard's call pages share: the call SID in a path, the page
// cursor, a call as JSON, and the CSV columns of an export.
import { z } from 'zod'
import { instantInYears, text } from '../../domain/boundary.js'
import { OUTCOMES } from '../../domain/outcome.js'
import type { CallLogItem, Cursor } from '../../store/call-log.js'

/** A call's SID as a path names it: text the database can hold (the log's own SIDs are Twilio's). */
export const callSidParam = text(64)

export const cursorSchema = z.string().transform((value, ctx): Cursor => {
  const [at, callSid] = Buffer.from(value, 'base64url').toString('utf8').split('|')
  const startedAt = new Date(at ?? '')
  if (!callSid || !callSidParam.safeParse(callSid).success || !instantInYears(startedAt)) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out' })
    return z.NEVER
  }
  return { startedAt, callSid }
})
export const encodeCursor = (cursor: Cursor) =>
  Buffer.from(`${cursor.startedAt.toISOString()}|${cursor.callSid}`).toString('base64url')

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
