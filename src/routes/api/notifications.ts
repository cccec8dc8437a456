// The notification outbox over HTTP: what was (or will be) sent, to whom, with the attempts and
// the last error; a failed one sent again by a manager. A client token sees what was sent about it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { clientScope } from '../../domain/access.js'
import { EVENT_TYPES } from '../../domain/notifications.js'
import { AppError, conflict, notFound } from '../../errors.js'
import { type NotificationItem, findNotification, listNotifications, resendNotification } from '../../store/notifications.js'
import { cursorInstant, pageCursor } from '../shared/cursor.js'
import { actorOf } from './principal.js'
import { MANAGE, authProblems, conflictProblems, idParam, limitParam } from './schemas.js'

export const notificationIdParam = z.string().regex(/^msg_[0-9a-f]{32}$/, 'is not a notification id')

/** Where a page of the outbox ended (the API's and the Notifications page's). */
export const notificationCursor = pageCursor(z.object({ createdAt: cursorInstant, id: notificationIdParam }).strict())

const notificationItem = z.object({
  id: z.string().describe('also the webhook-id and the Message-ID: the same on every attempt'),
  type: z.enum(EVENT_TYPES),
  desk: z.string(),
  clientId: z.string().nullable(),
  channel: z.enum(['email', 'sms', 'webhook']),
  recipient: z.string(),
  language: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable().describe('while pending'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  resentBy: z.string().nullable(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()).describe("the event's data, as the webhook body carries it"),
})

function serialise(item: NotificationItem): z.infer<typeof notificationItem> {
  return {
    id: item.id,
    type: item.type,
    desk: item.deskId,
    clientId: item.clientId,
    channel: item.channel,
    recipient: item.recipient,
    language: item.language,
    status: item.status,
    attempts: item.attempts,
    nextAttemptAt: item.status === 'pending' ? item.nextAttemptAt.toISOString() : null,
    lastError: item.lastError,
    createdAt: item.createdAt.toISOString(),
    sentAt: item.sentAt?.toISOString() ?? null,
    resentBy: item.resentBy,
    occurredAt: item.event.occurredAt.toISOString(),
    data: item.event.data,
  }
}

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications']
  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary:
          'Notifications, newest first: pending, sent, failed, by event and recipient (a client token: those sent to its contact)',
        querystring: z.object({
          status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(),
          type: z.enum(EVENT_TYPES).optional(),
          channel: z.enum(['email', 'sms', 'webhook']).optional(),
          desk: idParam.optional(),
          client: idParam.optional(),
          limit: limitParam,
          cursor: notificationCursor.schema.optional().describe('nextCursor of the previous page'),
        }),
        response: {
          200: z.object({
            items: z.array(notificationItem),
            nextCursor: z.string().nullable(),
            channels: z.array(z.string()).describe('the channels this instance sends; the others are kept, not sent'),
          }),
          ...authProblems,
        },
      },
    },
    async (request) => {
      const { limit, cursor, ...query } = request.query
      const scope = request.principal && clientScope(request.principal)
      if (scope && query.client && query.client !== scope)
        throw new AppError(403, 'forbidden', 'A client token can only read its own notifications')
      const page = await listNotifications(
        app.db,
        // A client's token sees what was sent to its own contact, never agents' SMS, managers' mail or webhooks.
        scope
          ? { status: query.status, type: query.type, channel: query.channel, deskId: query.desk, sentToClient: scope }
          : { status: query.status, type: query.type, channel: query.channel, deskId: query.desk, clientId: query.client },
        { limit, cursor },
      )
      return {
        items: page.items.map(serialise),
        nextCursor: page.next ? notificationCursor.encode({ createdAt: page.next.createdAt, id: page.next.id }) : null,
        channels: app.notificationSender.channels,
      }
    },
  )

  const params = z.object({ id: notificationIdParam })

  app.get(
    '/api/notifications/:id',
    {
      schema: { tags, summary: 'One notification', params, response: { 200: notificationItem, ...authProblems } },
    },
    async (request) => {
      const item = await findNotification(app.db, request.params.id)
      const scope = request.principal && clientScope(request.principal)
      if (!item || (scope && (item.clientId !== scope || !item.forClient))) throw notFound(`Notification ${request.params.id}`)
      return serialise(item)
    },
  )

  app.post(
    '/api/notifications/:id/resend',
    {
      config: { roles: MANAGE },
      schema: {
        tags,
        summary: 'Send a failed notification again (same id), with 24 hours of retries from now',
        params,
        response: { 200: notificationItem, ...conflictProblems },
      },
    },
    async (request) => {
      const { id } = request.params
      const actor = actorOf(request, app.clock())
      if (!(await resendNotification(app.db, id, actor.name, actor.now))) {
        if (!(await findNotification(app.db, id))) throw notFound(`Notification ${id}`)
        throw conflict(`Notification ${id} has not failed: only a failed notification is sent again`)
      }
      return serialise((await findNotification(app.db, id)) as NotificationItem)
    },
  )
}
