// The calendar page (the year's holidays, the closures, the exceptional openings) and managers'
// decisions from it: confirm, move, remove or add a holiday, add or remove a closure or an opening;
// each recorded with who and when by the store, the same functions the API calls.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  type Closure,
  type Holiday,
  type HolidayOverride,
  type Opening,
  closureSchema,
  type HolidayOccurrence,
  holidayOccurrence,
  holidaysForYear,
  isPastUnconfirmed,
  isoDateSchema,
  manualHolidayId,
  moveSeason,
  openingSchema,
  seasonsForYear,
} from '../../domain/calendar/index.js'
import { spokenText, text } from '../../domain/boundary.js'
import type { DeskFacts } from '../../domain/call.js'
import { fieldErrors } from '../../domain/desk-file.js'
import { AppError, invalidField, notFound } from '../../errors.js'
import { type CalendarEntryRow, calendarPage } from '../../pages/calendar-page.js'
import { localYearOf } from '../../pages/format.js'
import { localDate } from '../../domain/contract-overview.js'
import type { FlashKey } from '../../pages/i18n.js'
import { HOME, canManage } from '../../pages/layout.js'
import {
  type EntryKind,
  addCalendarEntry,
  listCalendarEntries,
  recordHolidayOverride,
  recordSeasonOverride,
  removeCalendarEntry,
} from '../../store/calendar.js'
import { findDesk } from '../../store/desks.js'
import { MANAGE, idParam, rowId, year } from '../api/schemas.js'
import { actorOf, chooseDesk, optional, pageContext, redirectDone, sendHtml, sessionOf } from './context.js'

/** What a form changes is no longer there: removed since the page was shown, often by someone else. */
const gone = (what: string) => new AppError(404, 'calendar_gone', `${what} not found`)
const holidayParams = z.object({ holidayId: z.string().regex(/^[a-z0-9-]{1,80}$/) })
const seasonParams = z.object({ seasonId: z.string().regex(/^[a-z0-9-]{1,80}$/) })
const deskForm = z.object({ desk: idParam, year })

/**
 * The holidays of the year that a manager removed (the desk works then), as they stood before, with
 * who removed them and when. The domain drops a removed occurrence; reading the year again without
 * the removals gives it back, so which decision wins stays the domain's.
 */
function removedHolidays(facts: DeskFacts, shownYear: number, kept: readonly Holiday[]): Holiday[] {
  const overrides = facts.calendar.holidayOverrides
  const removals = overrides.filter((override) => override.action === 'remove')
  if (removals.length === 0) return []
  const keptIds = new Set(kept.map((holiday) => holiday.id))
  const latest = new Map<string, HolidayOverride>()
  for (const removal of removals) {
    const known = latest.get(removal.holidayId)
    if (!known || Date.parse(removal.at) >= Date.parse(known.at)) latest.set(removal.holidayId, removal)
  }
  const withoutRemovals = overrides.filter((override) => override.action !== 'remove')
  return holidaysForYear(facts.calendar.country, shownYear, withoutRemovals)
    .filter((holiday) => !keptIds.has(holiday.id) && latest.has(holiday.id))
    .map((holiday) => {
      const { by, at } = latest.get(holiday.id) as HolidayOverride
      return { ...holiday, by, at }
    })
}

/** The usual hours of a working day (the most common in the week), to start an opening's form with. */
function usualHours(facts: DeskFacts): string {
  const counts = new Map<string, number>()
  for (const hours of Object.values(facts.calendar.weekly)) {
    if (!hours?.length) continue
    const text = hours.join(', ')
    counts.set(text, (counts.get(text) ?? 0) + 1)
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ''
}

/** "09:30-12:00, 13:15-16:00" (commas, semicolons or spaces between, spaces around the dash) → intervals. */
function hoursOf(text: string): string[] {
  return text
    .replace(/\s*-\s*/g, '-')
    .split(/[\s,;]+/)
    .filter(Boolean)
}

/** A form's fields as the calendar's own schema reads them: empty ones are absent; its problems as the page shows them. */
function parseEntry<T>(schema: z.ZodType<T>, what: string, fields: Record<string, unknown>): T {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')),
  )
  if (!parsed.success) {
    const problems = fieldErrors(parsed.error).map((e) => ({ field: `body.${e.path}`, message: e.message }))
    throw new AppError(400, 'validation_failed', what, problems)
  }
  return parsed.data
}

export const calendarPages: FastifyPluginAsyncZod = async (app) => {
  async function deskFacts(id: string): Promise<DeskFacts> {
    const desk = await findDesk(app.db, id)
    if (!desk) throw notFound(`Desk ${id}`)
    return desk
  }

  /** The desk file's entries first, then the managers' ones, which carry their entry's id (removable). */
  async function entryRows<T extends Closure | Opening>(
    deskId: string,
    kind: EntryKind,
    fromFile: readonly T[],
  ): Promise<CalendarEntryRow<T>[]> {
    const entries = await listCalendarEntries(app.db, deskId, kind)
    const managers = new Set(entries.map((entry) => String(entry.id)))
    return [
      ...fromFile.filter((item) => !item.id || !managers.has(item.id)).map((item) => ({ item, entryId: null })),
      ...entries.map((entry) => ({ item: entry.entry as T, entryId: entry.id, by: entry.by, at: entry.at })),
    ]
  }

  app.get(
    '/calendar',
    { schema: { hide: true, querystring: z.object({ desk: optional(idParam), year: optional(year) }) } },
    async (request, reply) => {
      const { desks, desk } = await chooseDesk(app, request.query.desk)
      const facts = await deskFacts(desk.id)
      const now = app.clock()
      const shownYear = request.query.year ?? localYearOf(now, desk.timezone)
      const from = `${shownYear}-01-01`
      const closures = await entryRows(desk.id, 'closure', facts.calendar.closures)
      const openings = await entryRows(desk.id, 'opening', facts.calendar.openings)
      const holidays = holidaysForYear(facts.calendar.country, shownYear, facts.calendar.holidayOverrides)
      const page = calendarPage(pageContext(app, request), {
        desks,
        desk,
        year: shownYear,
        today: localDate(now, desk.timezone),
        holidays,
        seasons: seasonsForYear(facts.calendar, shownYear),
        removedHolidays: removedHolidays(facts, shownYear, holidays),
        // Closures and openings of the year shown or later, and the yearly closures.
        closures: closures.filter((row) => row.item.yearly || (row.item.end ?? row.item.start) >= from),
        openings: openings.filter((row) => (row.item.end ?? row.item.date) >= from),
        usualHours: usualHours(facts),
        canManage: canManage(sessionOf(request).principal),
      })
      return sendHtml(reply, page)
    },
  )

  /** The holiday must be one the page showed for that desk and year (an id from elsewhere is refused). */
  async function occurrenceOn(
    deskId: string,
    shownYear: number,
    holidayId: string,
  ): Promise<HolidayOccurrence & { past: boolean }> {
    const facts = await deskFacts(deskId)
    const known = holidaysForYear(facts.calendar.country, shownYear, facts.calendar.holidayOverrides).some(
      (h) => h.id === holidayId,
    )
    const occurrence = known && holidayOccurrence(facts.calendar.country, facts.calendar.holidayOverrides, holidayId, shownYear)
    if (!occurrence) throw gone(`Holiday ${holidayId} in ${shownYear}`)
    return { ...occurrence, past: isPastUnconfirmed(occurrence, localDate(app.clock(), facts.timezone)) }
  }

  // Confirm (as estimated) or remove (the desk works that day): the same decision but for its action.
  for (const [action, done] of [
    ['confirm', 'holiday-confirmed'],
    ['remove', 'holiday-removed'],
  ] as const satisfies readonly (readonly [HolidayOverride['action'], FlashKey])[]) {
    app.post(
      `/calendar/holidays/:holidayId/${action}`,
      { config: { roles: MANAGE }, schema: { hide: true, params: holidayParams, body: deskForm } },
      async (request, reply) => {
        const { desk, year: shownYear } = request.body
        const occurrence = await occurrenceOn(desk, shownYear, request.params.holidayId)
        // A past estimate nobody confirmed is not offered for confirmation (the page shows no button).
        if (action === 'confirm' && occurrence.past) throw gone(`Holiday ${occurrence.id}: past, never confirmed`)
        await recordHolidayOverride(
          app.db,
          desk,
          action === 'confirm'
            ? { holidayId: occurrence.id, action, start: occurrence.first }
            : { holidayId: occurrence.id, action },
          actorOf(app, request),
        )
        return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, done)
      },
    )
  }

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

  /** The Hijri season occurrence must be one the page showed for that desk and year. */
  async function seasonOn(deskId: string, shownYear: number, seasonId: string) {
    const facts = await deskFacts(deskId)
    const season = seasonsForYear(facts.calendar, shownYear).find((s) => s.id === seasonId && s.hijriMonth !== undefined)
    if (!season) throw gone(`Season ${seasonId} in ${shownYear}`)
    return { season, today: localDate(app.clock(), facts.timezone) }
  }

  app.post(
    '/calendar/seasons/:seasonId/confirm',
    { config: { roles: MANAGE }, schema: { hide: true, params: seasonParams, body: deskForm } },
    async (request, reply) => {
      const { desk, year: shownYear } = request.body
      const { season, today } = await seasonOn(desk, shownYear, request.params.seasonId)
      // A past estimate nobody confirmed is not offered for confirmation (the page shows no button).
      if (season.status === 'estimated' && season.end < today) throw gone(`Season ${season.id}: past, never confirmed`)
      await recordSeasonOverride(
        app.db,
        desk,
        { seasonId: season.id, action: 'confirm', start: season.start, end: season.end },
        { name: season.name, start: season.start, end: season.end },
        actorOf(app, request),
      )
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'season-confirmed')
    },
  )

  app.post(
    '/calendar/seasons/:seasonId/move',
    {
      config: { roles: MANAGE },
      schema: { hide: true, params: seasonParams, body: deskForm.extend({ start: isoDateSchema, end: isoDateSchema }) },
    },
    async (request, reply) => {
      const { desk, year: shownYear, start, end } = request.body
      const { season } = await seasonOn(desk, shownYear, request.params.seasonId)
      const moved = moveSeason(season, { start, end })
      if (!moved.ok) throw invalidField(moved.problem.field, moved.problem.message)
      await recordSeasonOverride(
        app.db,
        desk,
        { seasonId: season.id, action: 'move', start, end },
        { name: season.name, start, end },
        actorOf(app, request),
      )
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'season-moved')
    },
  )

  // POST /api/desks/:id/holidays's body: a name, a first day, a number of days (1 by default).
  app.post(
    '/calendar/holidays',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: deskForm.extend({
          name: spokenText(),
          start: isoDateSchema,
          days: optional(z.coerce.number().int().min(1).max(31)),
        }),
      },
    },
    async (request, reply) => {
      const { desk, name, start, days = 1 } = request.body
      await deskFacts(desk)
      const holidayId = manualHolidayId(name, start)
      await recordHolidayOverride(app.db, desk, { holidayId, action: 'add', start, days, name }, actorOf(app, request))
      // Back on the year the holiday starts in, where it is listed.
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: Number(start.slice(0, 4)) }, 'holiday-added')
    },
  )

  app.post(
    '/calendar/closures',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: deskForm.extend({
          name: spokenText(),
          start: text(40, { min: 0 }),
          end: optional(text(40)),
          from: optional(text(40)),
          to: optional(text(40)),
        }),
      },
    },
    async (request, reply) => {
      const { desk, year: shownYear, ...fields } = request.body
      await deskFacts(desk)
      // The desk file's own schema checks the closure, so the page and the file accept the same ones.
      const closure = parseEntry(closureSchema, 'closure', fields)
      await addCalendarEntry(app.db, desk, 'closure', closure, actorOf(app, request))
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'closure-added')
    },
  )

  app.post(
    '/calendar/openings',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: deskForm.extend({
          date: text(40, { min: 0 }),
          end: optional(text(40)),
          hours: text(200, { min: 0 }),
          name: optional(spokenText()),
        }),
      },
    },
    async (request, reply) => {
      const { desk, year: shownYear, hours, ...fields } = request.body
      await deskFacts(desk)
      // The desk file's (and the API's) schema checks the opening: hours as "HH:MM-HH:MM" each.
      const opening = parseEntry(openingSchema, 'opening', { ...fields, hours: hoursOf(hours) })
      // The schema lets a range run past midnight (a desk file's night hours); typed in this form,
      // "12:00-09:00" is a slip that would open the desk all night, so it is refused here.
      const backwards = opening.hours.findIndex((range) => {
        const [start, end] = range.split('-') as [string, string]
        return end <= start && end !== '00:00'
      })
      if (backwards >= 0) {
        throw invalidField(`body.hours[${backwards}]`, 'ends before it starts: an opening past midnight belongs in the desk file')
      }
      await addCalendarEntry(app.db, desk, 'opening', opening, actorOf(app, request))
      return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, 'opening-added')
    },
  )

  for (const [kind, done] of [
    ['closure', 'closure-removed'],
    ['opening', 'opening-removed'],
  ] as const satisfies readonly (readonly [EntryKind, FlashKey])[]) {
    app.post(
      `/calendar/${kind}s/:entryId/remove`,
      {
        config: { roles: MANAGE },
        schema: { hide: true, params: z.object({ entryId: rowId }), body: deskForm },
      },
      async (request, reply) => {
        const { desk, year: shownYear } = request.body
        if (!(await removeCalendarEntry(app.db, desk, kind, request.params.entryId, actorOf(app, request)))) {
          throw gone(`${kind} ${request.params.entryId}`)
        }
        return redirectDone(reply, `${HOME}/calendar`, { desk, year: shownYear }, done)
      },
    )
  }
}
