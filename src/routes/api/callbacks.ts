// The callback queue (model clause: requests answered within 24 working hours): open requests
// first by due time, whether each is late, assigning one to an agent and closing it with a note.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { CALLBACK_REASONS, isLate } from '../../domain/callback.js'
import { conflict, invalidField, notFound } from '../../errors.js'
import { type CallbackAttempt, attemptsOf } from '../../store/callback-calls.js'
import { callbackCaller } from '../shared/callback-call.js'
import {
  type CallbackChange,
  type CallbackCursor,
  type CallbackItem,
  assignCallback,
  completeCallback,
  findCallback,
  listCallbacks,
} from '../../store/callback-queue.js'
import { type PageCursor, cursorInstant, pageCursor } from '../shared/cursor.js'
import { actorOf } from './principal.js'
import { MANAGE, QUEUE, authProblems, conflictProblems, idParam, limitParam, problemSchema, rowId } from './schemas.js'

const callbackPages: PageCursor<CallbackCursor> = pageCursor(
  z.object({ done: z.boolean(), dueAt: cursorInstant.nullable(), id: z.number().int().positive() }).strict(),
)
export const callbackCursor = callbackPages.schema
export const encodeCallbackCursor = callbackPages.encode

const attemptItem = z.object({
  id: z.number(),
  callbackId: z.number(),
  agentId: z.string(),
  number: z.string().describe("the client's number dialled"),
  from: z.string().describe("the desk's number the call came from"),
  callSid: z.string().nullable(),
  status: z
    .enum(['initiated', 'answered', 'no_answer', 'busy', 'failed', 'agent_unavailable'])
    .describe('initiated until the call ends; agent_unavailable: the agent did not answer or did not press 1'),
  talkSeconds: z.number().describe("the client's talk"),
  createdAt: z.string(),
  createdBy: z.string(),
  endedAt: z.string().nullable(),
})

export const callbackItem = z.object({
  id: z.number(),
  channel: z.enum(['phone', 'email']).describe('phone: a call owes it; email: a client wrote (issue #15)'),
  callSid: z.string().nullable().describe('null for an e-mail request'),
  desk: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  from: z.string().describe("the caller's number, or the e-mail sender's address"),
  subject: z.string().nullable().describe("an e-mail request's subject"),
  reason: z.enum(CALLBACK_REASONS),
  recordingUrl: z.string().nullable(),
  recordingSeconds: z.number().nullable(),
  createdAt: z.string(),
  dueAt: z.string().nullable().describe('within the working hours the desk promises (24 by default)'),
  late: z.boolean().describe('open past its due time, or done after it'),
  status: z.enum(['open', 'done']),
  assignedTo: z.string().nullable(),
  assignedBy: z.string().nullable(),
  assignedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  note: z.string().nullable(),
  attempts: z.array(attemptItem).describe('the calls back through the line (POST /api/callbacks/{id}/call), oldest first'),
})

const iso = (at: Date | null) => at?.toISOString() ?? null

function serialiseAttempt(attempt: CallbackAttempt): z.infer<typeof attemptItem> {
  return {
    id: attempt.id,
    callbackId: attempt.callbackId,
    agentId: attempt.agentId,
    number: attempt.number,
    from: attempt.fromNumber,
    callSid: attempt.callSid,
    status: attempt.status,
    talkSeconds: attempt.talkSeconds,
    createdAt: attempt.createdAt.toISOString(),
    createdBy: attempt.createdBy,
    endedAt: iso(attempt.endedAt),
  }
}

/** A request as the API gives it. */
export function serialiseCallback(
  item: CallbackItem,
  now: Date,
  attempts: readonly CallbackAttempt[] = [],
): z.infer<typeof callbackItem> {
  return {
    id: item.id,
    channel: item.channel,
    callSid: item.callSid,
    desk: item.deskId,
    clientId: item.clientId,
    clientName: item.clientName,
    from: item.fromNumber ?? item.fromAddress ?? '',
    subject: item.subject,
    reason: item.reason,
    recordingUrl: item.recordingUrl,
    recordingSeconds: item.recordingSeconds,
    createdAt: item.createdAt.toISOString(),
    dueAt: iso(item.dueAt),
    late: isLate(item, now),
    status: item.status,
    assignedTo: item.assignedTo,
    assignedBy: item.assignedBy,
    assignedAt: iso(item.assignedAt),
    doneAt: iso(item.doneAt),
    doneBy: item.doneBy,
    note: item.note,
    attempts: attempts.map(serialiseAttempt),
  }
}

export const callbackRoutes: FastifyPluginAsyncZod = async (app) => {
  const callBack = callbackCaller(app)
  const serialise = (item: CallbackItem, attempts: readonly CallbackAttempt[] = []) =>
    serialiseCallback(item, app.clock(), attempts)

  /** The request with its attempts, read again. */
  async function withAttempts(item: CallbackItem) {
    return serialise(item, (await attemptsOf(app.db, [item.id])).get(item.id))
  }

  /** The changed request, or its problem: 404 unknown, 409 already done, 400 an unknown agent. */
  async function changed(change: CallbackChange, id: number) {
    if (change.ok) return withAttempts(change.callback)
    if (change.reason === 'not_found') throw notFound(`Callback ${id}`)
    if (change.reason === 'already_done') throw conflict(`Callback ${id} is already done`)
    throw invalidField('body.agentId', 'there is no active agent with this id')
  }

  const callbackParams = z.object({ id: rowId })

  app.get(
    '/api/callbacks',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary: 'Callback requests: open first, by due time, with whether each is late',
        querystring: z.object({
          status: z.enum(['open', 'done']).optional().describe('both when absent, open first'),
          desk: idParam.optional(),
          limit: limitParam,
          cursor: callbackCursor.optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(callbackItem), nextCursor: z.string().nullable() }), ...authProblems },
      },
    },
    async (request) => {
      const { status, desk, limit, cursor } = request.query
      const page = await listCallbacks(app.db, { status, deskId: desk }, { limit, cursor })
      const attempts = await attemptsOf(
        app.db,
        page.items.map((item) => item.id),
      )
      return {
        items: page.items.map((item) => serialise(item, attempts.get(item.id))),
        nextCursor: page.next ? encodeCallbackCursor(page.next) : null,
      }
    },
  )

  app.get(
    '/api/callbacks/:id',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary: 'One callback request',
        params: callbackParams,
        response: { 200: callbackItem, ...authProblems },
      },
    },
    async (request) => {
      const item = await findCallback(app.db, request.params.id)
      if (!item) throw notFound(`Callback ${request.params.id}`)
      return withAttempts(item)
    },
  )

  app.post(
    '/api/callbacks/:id/assign',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['callbacks'],
        summary: 'Give an open callback request to an agent (who assigned it, and when, is recorded)',
        params: callbackParams,
        body: z.object({ agentId: idParam }).strict(),
        response: { 200: callbackItem, ...conflictProblems },
      },
    },
    async (request) =>
      changed(
        await assignCallback(app.db, request.params.id, request.body.agentId, actorOf(request, app.clock())),
        request.params.id,
      ),
  )

  app.post(
    '/api/callbacks/:id/done',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary: 'Close a callback request with a note of what was done (who and when are recorded)',
        params: callbackParams,
        body: z.object({ note: text(2000, { minMessage: 'say what was done' }) }).strict(),
        response: { 200: callbackItem, ...conflictProblems },
      },
    },
    async (request) =>
      changed(
        await completeCallback(app.db, request.params.id, request.body.note, actorOf(request, app.clock())),
        request.params.id,
      ),
  )

  app.post(
    '/api/callbacks/:id/call',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary: "Call the client back through the desk's line: Twilio rings the agent, then the client (issue #16)",
        description:
          "Twilio rings the agent's phone from the desk's number; the agent hears whose request it is and presses 1, " +
          "then the client is dialled with the desk's number as caller ID. The talk counts into the client's month as " +
          "an incoming call's does, and the request closes itself once the client was reached for the desk's " +
          '`callbackReachedSeconds` (30 by default). An agent token always calls as its own agent. 201: a call was ' +
          'placed; 200: the same click again while that call has not ended (no second call). 503 without ' +
          'TWILIO_ACCOUNT_SID; 409 when the request is done, the month refuses assistance, or the desk is closed ' +
          '(the detail says when it opens); 400 naming body.agentId or body.number; 400/502 when Twilio refused or ' +
          'could not be reached (the request unchanged).',
        params: callbackParams,
        body: z
          .object({
            agentId: idParam.optional().describe("who calls: the request's assignee when absent (an agent token: itself)"),
            number: z
              .string()
              .max(32)
              .optional()
              .describe("the number to call: the request's, or another registered to the client"),
          })
          .strict()
          .nullish()
          .describe("optional: no body calls as the token (an agent) or the assignee, the request's number"),
        response: {
          200: z.object({ attempt: attemptItem, callback: callbackItem }),
          201: z.object({ attempt: attemptItem, callback: callbackItem }),
          ...conflictProblems,
          502: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id
      const { attempt, fresh } = await callBack(request.principal, id, request.body ?? {})
      const item = await findCallback(app.db, id)
      if (!item) throw notFound(`Callback ${id}`)
      reply.code(fresh ? 201 : 200)
      return { attempt: serialiseAttempt(attempt), callback: await withAttempts(item) }
    },
  )
}
