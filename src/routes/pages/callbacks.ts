// The callbacks page (admins, managers and agents, as in the API; only managers assign): a desk's open requests in pages and its
// latest done ones; giving a request to an agent, and closing one with a note, from here or Today.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { AppError, invalidField, notFound } from '../../errors.js'
import { CALLBACKS, callbacksPage } from '../../pages/callbacks-page.js'
import { HOME } from '../../pages/layout.js'
import {
  type CallbackChange,
  assignCallback,
  completeCallback,
  countOpenCallbacks,
  listCallbacks,
  listRecentlyDone,
} from '../../store/callback-queue.js'
import { attemptsOf } from '../../store/callback-calls.js'
import { deskAgents } from '../../store/dashboard.js'
import { findDesk } from '../../store/desks.js'
import { deskStatus } from '../../domain/calendar/index.js'
import { callbackCaller } from '../shared/callback-call.js'
import { assignmentRefused, attachmentPlace } from '../shared/email-requests.js'
import { assignUnidentified, attachmentFile, listUnidentified, replyToRequest, requestMail } from '../../store/email-requests.js'
import { sendAttachment } from '../shared/attachment.js'
import { canManage } from '../../pages/layout.js'
import { callbackCursor, encodeCallbackCursor } from '../api/callbacks.js'
import { MANAGE, QUEUE, idParam, rowId } from '../api/schemas.js'
import { actorOf, chooseDesk, loadDirectory, optional, pageContext, redirectDone, sendHtml, sessionOf } from './context.js'

const PAGE_SIZE = 100
/** Enough to see what the queue has lately been closed with; the API has them all. */
const DONE_SHOWN = 20

/** The pages where a form about a callback is posted from, and where it leads back to: never a URL. */
const BACK = { today: HOME, callbacks: CALLBACKS } as const

const callbackParams = z.object({ id: rowId })

/** The changed request, or its problem: 404 unknown, 409 already done, 400 an unknown agent. */
function settle(change: CallbackChange, id: number): void {
  if (change.ok) return
  if (change.reason === 'not_found') throw notFound(`Callback ${id}`)
  if (change.reason === 'already_done') throw new AppError(409, 'callback_done', `Callback ${id} is already done`)
  throw invalidField('body.agent', 'there is no active agent with this id')
}

export const callbackPages: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/callbacks',
    {
      config: { roles: QUEUE },
      schema: { hide: true, querystring: z.object({ desk: optional(idParam), cursor: optional(callbackCursor) }) },
    },
    async (request, reply) => {
      const { desks, desk } = await chooseDesk(app, request.query.desk)
      const { cursor } = request.query
      const [page, counts, agents, done, directory] = await Promise.all([
        listCallbacks(app.db, { status: 'open', deskId: desk.id }, { limit: PAGE_SIZE, cursor }),
        countOpenCallbacks(app.db, desk.id, app.clock()),
        deskAgents(app.db, desk.id),
        listRecentlyDone(app.db, desk.id, DONE_SHOWN),
        loadDirectory(app, desks, null),
      ])
      const emailIds = [...page.items, ...done].filter((c) => c.channel === 'email').map((c) => c.id)
      const manager = canManage(request.dashboard?.principal ?? null)
      const attempts = await attemptsOf(
        app.db,
        page.items.map((item) => item.id),
      )
      const facts = await findDesk(app.db, desk.id)
      const status = facts ? deskStatus(facts.calendar, app.clock()) : null
      const view = {
        callable: status?.open === false ? { now: false as const, from: status.nextOpening } : { now: true as const },
        attempts,
        mail: await requestMail(app.db, emailIds),
        unidentified: manager ? await listUnidentified(app.db, 50) : [],
        desks,
        desk,
        open: page.items,
        counts,
        next: page.next ? encodeCallbackCursor(page.next) : null,
        firstPage: !cursor,
        agents,
        done,
        directory,
      }
      return sendHtml(reply, callbacksPage(pageContext(app, request), view))
    },
  )

  app.post(
    '/callbacks/:id/assign',
    {
      config: { roles: MANAGE },
      schema: { hide: true, params: callbackParams, body: z.object({ agent: idParam, desk: optional(idParam) }) },
    },
    async (request, reply) => {
      settle(await assignCallback(app.db, request.params.id, request.body.agent, actorOf(app, request)), request.params.id)
      return redirectDone(reply, CALLBACKS, { desk: request.body.desk }, 'callback-assigned')
    },
  )

  app.post(
    '/callbacks/:id/done',
    {
      config: { roles: QUEUE },
      schema: {
        hide: true,
        params: callbackParams,
        body: z.object({
          note: text(2000),
          desk: optional(idParam),
          from: optional(z.enum(['today', 'callbacks'])),
        }),
      },
    },
    async (request, reply) => {
      const { note, desk, from } = request.body
      settle(await completeCallback(app.db, request.params.id, note, actorOf(app, request)), request.params.id)
      return redirectDone(reply, BACK[from ?? 'today'], { desk }, 'callback-done')
    },
  )

  // An e-mail request's attachment, downloaded as the API serves it (issue #15): never inline.
  app.get(
    '/callbacks/:id/messages/:messageId/attachments/:position',
    {
      config: { roles: QUEUE },
      schema: {
        hide: true,
        params: callbackParams.extend(attachmentPlace),
      },
    },
    async (request, reply) => {
      const { id, messageId, position } = request.params
      const file = await attachmentFile(app.db, id, messageId, position)
      return sendAttachment(reply, file, position, `Attachment ${position} of message ${messageId} of callback ${id}`)
    },
  )

  // An unidentified e-mail given to a client (issue #15), through the same store function as the API.
  app.post(
    '/email/unidentified/:id/assign',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        params: callbackParams,
        body: z.object({
          clientId: idParam,
          addAddress: optional(z.literal('true')),
          desk: optional(idParam),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const result = await assignUnidentified(
        app.db,
        id,
        { clientId: request.body.clientId, addAddress: request.body.addAddress === 'true' },
        actorOf(app, request),
        app.mailIntake.identity,
      )
      if (!result.ok) throw assignmentRefused(result, id)
      return redirectDone(reply, CALLBACKS, { desk: request.body.desk }, 'email-assigned')
    },
  )

  // An e-mail request's answer (issue #15), through the same store function as the API.
  app.post(
    '/callbacks/:id/reply',
    {
      config: { roles: QUEUE },
      schema: {
        hide: true,
        params: callbackParams,
        body: z.object({
          text: text(20_000),
          minutes: optional(z.coerce.number().int().min(1).max(1440)),
          desk: optional(idParam),
        }),
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const result = await replyToRequest(
        app.db,
        id,
        { text: request.body.text, minutes: request.body.minutes ?? null },
        actorOf(app, request),
        app.mailIntake.identity,
      )
      if (!result.ok) {
        if (result.reason === 'not_found') throw notFound(`Callback ${id}`)
        throw new AppError(409, 'callback_done', `Callback ${id} cannot be answered by e-mail (${result.reason})`)
      }
      return redirectDone(reply, CALLBACKS, { desk: request.body.desk }, 'email-answered')
    },
  )

  // "Rappeler": as POST /api/callbacks/{id}/call; a refusal is the error page with the API's message.
  const callBack = callbackCaller(app)
  app.post(
    '/callbacks/:id/call',
    {
      config: { roles: QUEUE },
      schema: {
        hide: true,
        params: callbackParams,
        body: z.object({ caller: optional(idParam), number: optional(z.string().max(32)), desk: optional(idParam) }),
      },
    },
    async (request, reply) => {
      const { caller, number, desk } = request.body
      await callBack(sessionOf(request).principal, request.params.id, { agentId: caller, number })
      return redirectDone(reply, CALLBACKS, { desk }, 'callback-called')
    },
  )
}
