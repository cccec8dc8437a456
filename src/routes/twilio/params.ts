// The parameters Twilio posts to each webhook, as zod schemas. Unknown parameters pass through:
// Twilio adds new ones over time, and they are part of what it signed; like the known ones they
// must be text the call's event log can hold (no NUL, no lone surrogate).
import { z } from 'zod'
import { twilioText } from '../../domain/boundary.js'
import { idParam, month, rowId } from '../api/schemas.js'

const sid = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a Twilio ${prefix} SID (${prefix} and 32 hex digits)`)
const text = twilioText(256)
const seconds = z.coerce
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600)

/** A webhook's parameters: the known ones as shaped, any other as well-formed text. */
function twilioParams<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).catchall(twilioText())
}

const callParams = {
  CallSid: sid('CA'),
  AccountSid: sid('AC').optional(),
  From: text.default(''),
  To: text.default(''),
  CallStatus: text.optional(),
}

/** The incoming call (the phone number's "A call comes in" webhook). */
export const voiceParams = twilioParams({ ...callParams, To: text.min(1, 'is required') })

/** <Dial action>: the dial leg ended (answered and hung up, or not answered). */
export const dialParams = twilioParams({
  ...callParams,
  DialCallSid: sid('CA').optional(),
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']),
  DialCallDuration: seconds.optional(),
})

export const dialQuery = z.object({
  leg: z.enum(['agents', 'on-call']).default('agents'),
  attempt: z.coerce.number().int().min(1).max(100).default(1),
  /** the contract and month the talk counts into (absent: nothing to count, e.g. a fallback dial) */
  contract: rowId.optional(),
  month: month.optional(),
  /** the dial's timeLimit at the quota line, and what the caller hears once it cut the leg */
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  after: z.enum(['ask', 'refuse']).optional(),
  /** the caller consented to billing beyond the quota */
  consent: z.literal('1').optional(),
  /** the agent who answered, dialled again after the caller's yes at the quota line */
  redial: z.literal('1').optional(),
  /** the leg dials a client back (issue #16): the attempt it settles */
  callback: rowId.optional(),
})

/** A call back's webhooks (issue #16) name its attempt. */
export const callbackCallQuery = z.object({ attempt: rowId })

/** The status callback of a call back names its attempt; an incoming call's names nothing. */
export const statusQuery = z.object({ attempt: rowId.optional() })

/** The overage question's action: asked at the start of the call, or when the limit cut the agent's leg. */
export const overageQuery = z.object({
  question: z.enum(['start', 'cut']).default('start'),
  /** at the cut: the agent who answered (dialled again on a yes), the leg's attempt, where the talk counts */
  agent: idParam.optional(),
  attempt: z.coerce.number().int().min(1).max(100).default(1),
  contract: rowId.optional(),
  month: month.optional(),
})

/** The whisper's URL names the desk (absent for the FALLBACK_NUMBERS dial). */
export const whisperQuery = z.object({
  desk: idParam.optional(),
  leg: z.enum(['agents', 'on-call']).optional(),
  /** the agent dialled again after the caller's yes at the quota line: told so, no question */
  consented: z.literal('1').optional(),
})

/** <Gather action>: the key pressed (empty when nothing was). */
export const gatherParams = twilioParams({ ...callParams, Digits: twilioText(32).default('') })

/** The language menu's <Gather action>: an incoming call's parameters, and the key pressed. */
export const languageParams = twilioParams({ ...callParams, To: text.min(1, 'is required'), Digits: twilioText(32).default('') })

/** The agent's leg: its own CallSid, and the caller's as ParentCallSid. */
export const whisperParams = twilioParams({ ...callParams, ParentCallSid: sid('CA'), Digits: twilioText(32).default('') })

/** <Record action>: the voicemail. */
export const recordingParams = twilioParams({
  ...callParams,
  RecordingUrl: z
    .url({ protocol: /^https?$/ })
    .max(1024)
    .optional(),
  RecordingSid: sid('RE').optional(),
  RecordingDuration: seconds.optional(),
})

/** The call's status callback (the phone number's "Call status changes" webhook). */
export const statusParams = twilioParams({
  ...callParams,
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed']),
  CallDuration: seconds.optional(),
})

export const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed'])
