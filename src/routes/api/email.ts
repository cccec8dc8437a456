// E-mail requests over the API (issue #15): a request's messages, the agent's answer (threaded,
// through the outbox, closing the request), and the unidentified senders a manager assigns.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { conflict, notFound } from '../../errors.js'
import { findCallback } from '../../store/callback-queue.js'
import { clientScope } from '../../domain/access.js'
import {
  assignUnidentified,
  attachmentFile,
  emailMonth,
  listUnidentified,
  replyToRequest,
  requestMessages,
} from '../../store/email-requests.js'
import { sendAttachment } from '../shared/attachment.js'
import { assignmentRefused, attachmentPlace } from '../shared/email-requests.js'
import { currentUsageMonth } from '../../store/usage-report.js'
import { callbackItem, serialiseCallback } from './callbacks.js'
import { actorOf } from './principal.js'
import { MANAGE, QUEUE, authProblems, conflictProblems, idParam, limitParam, month, problemSchema, rowId } from './schemas.js'

const attachment = z.object({
  position: z.number(),
  filename: z.string().nullable(),
  contentType: z.string(),
  size: z.number().describe('bytes, decoded'),
  kept: z.boolean().describe('the content is stored (10 MB a message); false: only its name and size'),
})

const message = z.object({
  id: z.number(),
  messageId: z.string(),
  direction: z.enum(['in', 'out']),
  disposition: z.enum(['opened', 'joined', 'unidentified', 'refused', 'automatic', 'sent']),
  via: z.string().describe('in: imap or webhook; out: acknowledged, refused or answered'),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable().describe('sanitised (no scripts, handlers, styles, forms or remote images); render it sandboxed'),
  at: z.string(),
  attachments: z.array(attachment),
})

const unidentified = z.object({
  id: z.number(),
  messageId: z.string(),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  subject: z.string(),
  text: z.string().describe('the first 2000 characters'),
  receivedAt: z.string(),
  reason: z.string().describe('unknown, ambiguous (two clients claim the address) or no_address'),
  candidates: z.array(z.string()),
})

export const emailRoutes: FastifyPluginAsyncZod = async (app) => {
  const params = z.object({ id: rowId })
  const context = () => app.mailIntake.identity

  app.get(
    '/api/callbacks/:id/messages',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary: "An e-mail request's messages, received and sent, in order (empty for a phone request)",
        params,
        response: { 200: z.object({ items: z.array(message) }), ...authProblems },
      },
    },
    async (request) => {
      if (!(await findCallback(app.db, request.params.id))) throw notFound(`Callback ${request.params.id}`)
      const items = await requestMessages(app.db, request.params.id)
      return {
        items: items.map((m) => ({
          id: m.id,
          messageId: m.messageId,
          direction: m.direction,
          disposition: m.disposition,
          via: m.via,
          from: m.fromAddress,
          fromName: m.fromName,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          at: m.receivedAt.toISOString(),
          attachments: m.attachments,
        })),
      }
    },
  )

  app.get(
    '/api/callbacks/:id/messages/:messageId/attachments/:position',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary:
          "An attachment's bytes, as a download (application/octet-stream, Content-Disposition: attachment, nosniff): never the sender's type, so nothing renders inline",
        description:
          "`messageId` is the message's `id` in GET /api/callbacks/{id}/messages, `position` its attachment's. 404: no such request, message or attachment; 410: an attachment listed but not kept (its message was over the size limit: only its name and size were stored).",
        params: params.extend(attachmentPlace),
        response: {
          200: z.unknown().describe('the bytes (application/octet-stream)'),
          ...authProblems,
          410: problemSchema.describe('not kept: over the size limit'),
        },
      },
    },
    async (request, reply) => {
      const { id, messageId, position } = request.params
      const file = await attachmentFile(app.db, id, messageId, position)
      return sendAttachment(reply, file, position, `Attachment ${position} of message ${messageId} of callback ${id}`)
    },
  )

  app.post(
    '/api/callbacks/:id/reply',
    {
      config: { roles: QUEUE },
      schema: {
        tags: ['callbacks'],
        summary:
          'Answer an e-mail request: the reply leaves through the outbox, threaded, and closes the request with it as its note',
        params,
        body: z
          .object({
            text: text(20_000, { minMessage: 'write the answer' }),
            minutes: z
              .number()
              .int()
              .min(1)
              .max(1440)
              .optional()
              .describe('time spent; counts into the quota when the contract says e-mail does'),
          })
          .strict(),
        response: { 200: callbackItem.extend({ counted: z.boolean() }), ...conflictProblems },
      },
    },
    async (request) => {
      const { id } = request.params
      const result = await replyToRequest(
        app.db,
        id,
        { text: request.body.text, minutes: request.body.minutes ?? null },
        actorOf(request, app.clock()),
        context(),
      )
      if (result.ok) return { ...serialiseCallback(result.callback, app.clock()), counted: result.counted }
      if (result.reason === 'not_found') throw notFound(`Callback ${id}`)
      if (result.reason === 'already_done') throw conflict(`Callback ${id} is already done`)
      if (result.reason === 'not_email') throw conflict(`Callback ${id} is a phone request: call back, then mark it done`)
      throw conflict(`Callback ${id} has no address to answer (only our own addresses wrote into it)`)
    },
  )

  app.get(
    '/api/usage/email',
    {
      schema: {
        tags: ['usage'],
        summary: 'E-mail requests per client and desk-local month: answered on time, late, still open (a client token: its own)',
        querystring: z.object({ month: month.optional().describe('YYYY-MM; the current month when absent') }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                clientId: z.string(),
                clientName: z.string(),
                desk: z.string(),
                month: z.string(),
                requests: z.number(),
                answeredOnTime: z.number(),
                answeredLate: z.number(),
                open: z.number(),
                openLate: z.number().describe('open and past its due time now'),
              }),
            ),
          }),
          ...authProblems,
        },
      },
    },
    async (request) => {
      const scope = request.principal && clientScope(request.principal)
      const wanted = request.query.month ?? (await currentUsageMonth(app.db, app.clock()))
      return { items: await emailMonth(app.db, wanted, scope ?? null, app.clock()) }
    },
  )

  app.get(
    '/api/email/unidentified',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['callbacks'],
        summary: 'E-mails whose sender no client is known by, the latest first, for a manager to assign',
        querystring: z.object({ limit: limitParam }),
        response: { 200: z.object({ items: z.array(unidentified) }), ...authProblems },
      },
    },
    async (request) => {
      const rows = await listUnidentified(app.db, request.query.limit)
      return {
        items: rows.map((row) => ({
          id: row.id,
          messageId: row.messageId,
          from: row.fromAddress,
          fromName: row.fromName,
          subject: row.subject,
          text: row.text.slice(0, 2000),
          receivedAt: row.receivedAt.toISOString(),
          reason: typeof row.detail.reason === 'string' ? row.detail.reason : 'unknown',
          candidates: Array.isArray(row.detail.candidates) ? row.detail.candidates.map(String) : [],
        })),
      }
    },
  )

  app.post(
    '/api/email/unidentified/:id/assign',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['callbacks'],
        summary:
          "Give an unidentified e-mail to a client: it opens the request (or is refused, as the client's standing says); addAddress ties the sender's address to the client",
        params,
        body: z.object({ clientId: idParam, addAddress: z.boolean().default(false) }).strict(),
        response: {
          200: z.object({ outcome: z.enum(['opened', 'refused']), requestId: z.number().nullable() }),
          ...conflictProblems,
        },
      },
    },
    async (request) => {
      const { id } = request.params
      const result = await assignUnidentified(
        app.db,
        id,
        { clientId: request.body.clientId, addAddress: request.body.addAddress },
        actorOf(request, app.clock()),
        context(),
      )
      if (result.ok) return { outcome: result.outcome, requestId: result.requestId }
      throw assignmentRefused(result, id)
    },
  )
}
