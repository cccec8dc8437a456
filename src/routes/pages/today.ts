// Today's page, and what managers do from it: the on-duty switch, the emergency closure (closing a
// late callback is the callbacks pages' form).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { spokenText } from '../../domain/boundary.js'
import { describeHours, deskStatus, holidaysToConfirm, hoursOn } from '../../domain/calendar/index.js'
import { ROLES } from '../../domain/access.js'
import { AppError, notFound } from '../../errors.js'
import { localDate } from '../../domain/contract-overview.js'
import { formatDayShort } from '../../pages/format.js'
import { HOME } from '../../pages/layout.js'
import { todayPage } from '../../pages/today-page.js'
import { setAgentDuty } from '../../store/agent-duty.js'
import { setClosedNow } from '../../store/calendar.js'
import { countOpenCallbacks, listCallbacks } from '../../store/callback-queue.js'
import { listCalls } from '../../store/call-log.js'
import { deskAgents } from '../../store/dashboard.js'
import { findDesk } from '../../store/desks.js'
import { MANAGE, idParam } from '../api/schemas.js'
import { actorOf, chooseDesk, loadDirectory, optional, pageContext, redirectDone, scopeOf, sendHtml } from './context.js'

/** How far ahead Today lists the estimated holidays to confirm. */
const HOLIDAYS_AHEAD_DAYS = 60

/** Enough for a busy day; the call log has the rest. */
const DAY_CALLS = 200
const deskQuery = z.object({ desk: optional(idParam) })

export const todayPages: FastifyPluginAsyncZod = async (app) => {
  app.get('/', { config: { roles: ROLES }, schema: { hide: true, querystring: deskQuery } }, async (request, reply) => {
    const scope = scopeOf(request)
    const { desks, desk } = await chooseDesk(app, request.query.desk)
    const facts = await findDesk(app.db, desk.id)
    if (!facts) throw notFound(`Desk ${desk.id}`)
    const now = app.clock()
    const today = localDate(now, desk.timezone)
    const manager = scope === null
    const [calls, agents, callbacks, counts, directory] = await Promise.all([
      listCalls(app.db, { deskId: desk.id, clientId: scope ?? undefined, fromDate: today, toDate: today }, { limit: DAY_CALLS }),
      manager ? deskAgents(app.db, desk.id) : null,
      // Open requests come first by due time, so the late ones are at the head of the queue.
      manager ? listCallbacks(app.db, { status: 'open', deskId: desk.id }, { limit: 200 }) : null,
      manager ? countOpenCallbacks(app.db, desk.id, now) : null,
      loadDirectory(app, desks, scope),
    ])
    // The hours in force today: a season's (Ramadan) says so, and until when.
    const inForce = hoursOn(facts.calendar, today)
    const ctx = pageContext(app, request)
    const described = describeHours(inForce.weekly, request.lang)
    const page = todayPage(ctx, {
      desks,
      desk,
      today,
      status: deskStatus(facts.calendar, now),
      hours: inForce.season
        ? ctx.t.today.inSeason(inForce.season.name, formatDayShort(inForce.season.end, request.lang), described)
        : described,
      closedNow: facts.calendar.closedNow ?? null,
      agents,
      calls: calls.items,
      callbacks: callbacks && counts ? { open: callbacks.items, counts } : null,
      holidaysToConfirm: manager
        ? holidaysToConfirm(facts.calendar.country, facts.calendar.holidayOverrides, today, HOLIDAYS_AHEAD_DAYS)
        : null,
      directory,
    })
    return sendHtml(reply, page)
  })

  app.post(
    '/agents/:id/duty',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        params: z.object({ id: idParam }),
        body: z.object({ onDuty: z.enum(['true', 'false']), desk: optional(idParam) }),
      },
    },
    async (request, reply) => {
      const onDuty = request.body.onDuty === 'true'
      const agent = await setAgentDuty(app.db, request.params.id, onDuty, actorOf(app, request))
      if (!agent) throw notFound(`Agent ${request.params.id}`)
      return redirectDone(reply, HOME, { desk: request.body.desk }, onDuty ? 'duty-on' : 'duty-off')
    },
  )

  app.post(
    '/desks/:id/closed-now',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        params: z.object({ id: idParam }),
        body: z.object({ closed: z.enum(['true', 'false']), reason: optional(spokenText()) }),
      },
    },
    async (request, reply) => {
      const closing = request.body.closed === 'true'
      if (closing && !request.body.reason)
        throw new AppError(400, 'bad_request', 'reason', [{ field: 'body.reason', message: 'callers hear it: say why' }])
      const done = await setClosedNow(
        app.db,
        request.params.id,
        closing ? (request.body.reason as string) : null,
        actorOf(app, request),
      )
      if (!done) throw notFound(`Desk ${request.params.id}`)
      return redirectDone(reply, HOME, { desk: request.params.id }, closing ? 'closed-now' : 'reopened')
    },
  )
}
