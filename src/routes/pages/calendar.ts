// The calendar page (the year's holidays, the closures) and managers' decisions from it: confirm or
// move a holiday, add or remove a closure; each recorded with who and when by the store.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { closureSchema, holidaysForYear, isoDateSchema } from '../../domain/calendar/index.js'
import type { DeskFacts } from '../../domain/call.js'
import { fieldErrors } from '../../domain/desk-file.js'
import { AppError, notFound } from '../../errors.js'
import { type ClosureRow, calendarPage } from '../../pages/calendar-page.js'
import { localDateOf, localYearOf } from '../../pages/format.js'
import { HOME, canManage } from '../../pages/layout.js'
import { addCalendarEntry, listCalendarEntries, recordHolidayOverride, removeCalendarEntry } from '../../store/calendar.js'
import { findDesk } from '../../store/desks.js'
import { idParam } from '../api/schemas.js'
import { actorOf, chooseDesk, optional, pageContext, redirectDone, sendHtml, sessionOf } from './context.js'

const MANAGE = ['admin', 'manager'] as const
const year = z.coerce.number().int().min(1900).max(2200)
const holidayParams = z.object({ holidayId: z.string().regex(/^[a-z0-9-]{1,80}$/) })
const deskForm = z.object({ desk: idParam, year })

export const calendarPages: FastifyPluginAsyncZod = async (app) => {
  async function deskFacts(id: string): Promise<DeskFacts> {
    const desk = await findDesk(app.db, id)
    if (!desk) throw notFound(`Desk ${id}`)
    return desk
  }

  app.get(
    '/calendar',
    { schema: { hide: true, querystring: z.object({ desk: optional(idParam), year: optional(year) }) } },
    async (request, reply) => {
      const { desks, desk } = await chooseDesk(app, request.query.desk)
      const facts = await deskFacts(desk.id)
      const now = app.clock()
      const shownYear = request.query.year ?? localYearOf(now, desk.timezone)
      const entries = await listCalendarEntries(app.db, desk.id, 'closure')
      const managers = new Set(entries.map((entry) => String(entry.id)))
      const rows: ClosureRow[] = [
        // The desk file's closures first; the managers' ones carry their entry's id.
        ...facts.calendar.closures
          .filter((closure) => !closure.id || !managers.has(closure.id))
          .map((closure) => ({ closure, entryId: null })),
        ...entries.map((entry) => ({
          closure: entry.entry as ClosureRow['closure'],
          entryId: entry.id,
          by: entry.by,
          at: entry.at,
        })),
      ]
      // Closures of the year shown or later, and the yearly ones.
      const shown = rows.filter((row) => row.closure.yearly || (row.closure.end ?? row.closure.start) >= `${shownYear}-01-01`)
      const page = calendarPage(pageContext(app, request), {
        desks,
        desk,
        year: shownYear,
        today: localDateOf(now, desk.timezone),
        holidays: holidaysForYear(facts.calendar.country, shownYear, facts.calendar.holidayOverrides),
        closures: shown,
        canManage: canManage(sessionOf(request).principal),
      })
      return sendHtml(reply, page)
    },
  )

  /** The holiday must be one the page showed for that desk and year (an id from elsewhere is refused). */
  async function occurrenceOn(deskId: string, shownYear: number, holidayId: string): Promise<DeskFacts> {
    const facts = await deskFacts(deskId)
    const known = holidaysForYear(facts.calendar.country, shownYear, facts.calendar.holidayOverrides).some(
      (h) => h.id === holidayId,
    )
    if (!known) throw notFound(`Holiday ${holidayId} in ${shownYear}`)
    return facts
  }

  app.post(
    '/calendar/holidays/:holidayId/confirm',
    { config: { roles: MANAGE }, schema: { hide: true, params: holidayParams, body: deskForm } },
    async (request, reply) => {
      const { desk, year: shownYear } = request.body
      await occurrenceOn(desk, shownYear, request.params.holidayId)
      await recordHolidayOverride(app.db, desk, { holidayId: request.params.holidayId, action: 'confirm' }, actorOf(app, request))
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'holiday-confirmed')
    },
  )

  app.post(
    '/calendar/holidays/:holidayId/move',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        params: holidayParams,
        body: deskForm.extend({ start: isoDateSchema, days: optional(z.coerce.number().int().min(1).max(31)) }),
      },
    },
    async (request, reply) => {
      const { desk, year: shownYear, start, days } = request.body
      await occurrenceOn(desk, shownYear, request.params.holidayId)
      await recordHolidayOverride(
        app.db,
        desk,
        { holidayId: request.params.holidayId, action: 'move', start, ...(days ? { days } : {}) },
        actorOf(app, request),
      )
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'holiday-moved')
    },
  )

  app.post(
    '/calendar/closures',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: deskForm.extend({
          name: z.string().trim().min(1).max(200),
          start: z.string(),
          end: optional(z.string()),
          from: optional(z.string()),
          to: optional(z.string()),
        }),
      },
    },
    async (request, reply) => {
      const { desk, year: shownYear, ...fields } = request.body
      await deskFacts(desk)
      // The desk file's own schema checks the closure, so the page and the file accept the same ones.
      const parsed = closureSchema.safeParse(
        Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      )
      if (!parsed.success) {
        const problems = fieldErrors(parsed.error).map((e) => ({ field: `body.${e.path}`, message: e.message }))
        throw new AppError(400, 'validation_failed', 'closure', problems)
      }
      await addCalendarEntry(app.db, desk, 'closure', parsed.data, actorOf(app, request))
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'closure-added')
    },
  )

  app.post(
    '/calendar/closures/:entryId/remove',
    {
      config: { roles: MANAGE },
      schema: { hide: true, params: z.object({ entryId: z.coerce.number().int().positive() }), body: deskForm },
    },
    async (request, reply) => {
      const { desk, year: shownYear } = request.body
      if (!(await removeCalendarEntry(app.db, desk, 'closure', request.params.entryId, actorOf(app, request)))) {
        throw notFound(`Closure ${request.params.entryId}`)
      }
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'closure-removed')
    },
  )
}
