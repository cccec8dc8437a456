// The notifications page: everyone signed in reads (a client's session, its own client's only);
// admins and managers send a failed notification again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { EVENT_TYPES } from '../../domain/notifications.js'
import { AppError, notFound } from '../../errors.js'
import { NOTIFICATIONS, notificationsPage } from '../../pages/notifications-page.js'
import { findNotification, listNotifications, resendNotification } from '../../store/notifications.js'
import { notificationCursor, notificationIdParam } from '../api/notifications.js'
import { MANAGE } from '../api/schemas.js'
import { actorOf, loadDirectory, optional, pageContext, redirectDone, scopeOf, sendHtml } from './context.js'
import { listActiveDesks } from '../../store/dashboard.js'

const PAGE_SIZE = 100

export const notificationPages: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notifications',
    {
      schema: {
        hide: true,
        querystring: z.object({
          status: optional(z.enum(['pending', 'sending', 'sent', 'failed'])),
          type: optional(z.enum(EVENT_TYPES)),
          cursor: optional(notificationCursor.schema),
        }),
      },
    },
    async (request, reply) => {
      const { status, type } = request.query
      const scope = scopeOf(request)
      const [page, desks] = await Promise.all([
        listNotifications(
          app.db,
          { status, type, ...(scope ? { sentToClient: scope } : {}) },
          { limit: PAGE_SIZE, cursor: request.query.cursor },
        ),
        listActiveDesks(app.db),
      ])
      const directory = await loadDirectory(app, desks, scope)
      const view = {
        items: page.items,
        filter: { status: status ?? null, type: type ?? null },
        next: page.next ? notificationCursor.encode({ createdAt: page.next.createdAt, id: page.next.id }) : null,
        firstPage: !request.query.cursor,
        channels: app.notificationSender.channels,
        zones: directory.zones,
        defaultZone: directory.defaultZone,
      }
      return sendHtml(reply, notificationsPage(pageContext(app, request), view))
    },
  )

  app.post(
    '/notifications/:id/resend',
    { config: { roles: MANAGE }, schema: { hide: true, params: z.object({ id: notificationIdParam }) } },
    async (request, reply) => {
      const { id } = request.params
      const actor = actorOf(app, request)
      if (!(await resendNotification(app.db, id, actor.name, actor.now))) {
        if (!(await findNotification(app.db, id))) throw notFound(`Notification ${id}`)
        throw new AppError(409, 'not_failed', `Notification ${id} has not failed`)
      }
      return redirectDone(reply, NOTIFICATIONS, {}, 'notification-resent')
    },
  )
}
