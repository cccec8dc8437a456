// The desk calendar over HTTP: open or closed at an instant, the year's holidays, and the
// managers' decisions (confirm or move a holiday, closures, openings, the closed-now switch).
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { DateTime } from 'luxon'
import { z } from 'zod'
import {
  type HolidayOccurrence,
  closureSchema,
  describeNextOpening,
  deskStatus,
  holidayOccurrence,
  holidaysForYear,
  isPastUnconfirmed,
  isoDateSchema,
  manualHolidayId,
  moveSeason,
  openingSchema,
  type SeasonOccurrence,
  seasonsForYear,
} from '../../domain/calendar/index.js'
import { spokenText } from '../../domain/boundary.js'
import { type DeskFacts, spokenHours } from '../../domain/call.js'
import { localDate } from '../../domain/contract-overview.js'
import { AppError, notFound } from '../../errors.js'
import {
  type EntryKind,
  addCalendarEntry,
  listCalendarEntries,
  recordHolidayOverride,
  recordSeasonOverride,
  removeCalendarEntry,
  setClosedNow,
} from '../../store/calendar.js'
import { findDesk } from '../../store/desks.js'
import { MANAGE, authProblems, conflictProblems, idParam, instant, rowId, year } from './schemas.js'
import { actorOf } from './principal.js'

const deskParams = z.object({ id: idParam })
const holidayParams = deskParams.extend({
  holidayId: z.string().regex(/^[a-z0-9-]{1,80}$/, 'must be a holiday id like eid-al-fitr-1446'),
})
const seasonParams = deskParams.extend({
  seasonId: z.string().regex(/^[a-z0-9-]{1,80}$/, 'must be a season occurrence id like ramadan-1447'),
})
const entryParams = deskParams.extend({ entryId: rowId })

const statusSchema = z.object({
  desk: z.string(),
  at: z.string().describe("the instant asked about, in the desk's time zone"),
  timezone: z.string(),
  open: z.boolean(),
  reason: z.enum(['open', 'outside_hours', 'holiday', 'closure']),
  holiday: z.string().optional().describe("the holiday's name when reason is holiday"),
  closure: z.string().optional().describe("the closure's name when reason is closure"),
  nextOpening: z.string().nullable().optional().describe('when closed: the next opening, or null when none is scheduled'),
  closesAt: z.string().optional().describe('when open: the end of the current opening'),
  message: z.string().describe('what a caller would hear about the hours'),
})

const holidaySchema = z.object({
  id: z.string(),
  key: z.string(),
  date: z.string(),
  name: z.string(),
  status: z.enum(['estimated', 'confirmed', 'manual']),
  day: z.number().optional(),
  of: z.number().optional(),
  by: z.string().optional(),
  at: z.string().optional(),
  movedFrom: z.string().optional(),
})

const seasonBoundSchema = z.object({
  date: z.string(),
  status: z.enum(['estimated', 'confirmed']),
  decidedBy: z.enum(['season', 'holiday']).optional(),
  holidayId: z.string().optional(),
  by: z.string().optional(),
  at: z.string().optional(),
  movedFrom: z.string().optional(),
})

const seasonSchema = z.object({
  id: z.string().describe('key + Hijri year (ramadan-1448), or key + the Gregorian year it starts in'),
  key: z.string(),
  name: z.string(),
  start: z.string().describe('first local date, included'),
  end: z.string().describe('last local date, included'),
  status: z.enum(['estimated', 'confirmed', 'manual']),
  weekly: z.record(z.string(), z.array(z.string())).describe("the weekly hours that replace the desk's on these dates"),
  hijriMonth: z.number().optional(),
  hijriYear: z.number().optional(),
  bounds: z.object({ start: seasonBoundSchema, end: seasonBoundSchema }).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
})

const entrySchema = z.object({ id: z.number(), entry: z.record(z.string(), z.unknown()), by: z.string(), at: z.string() })

const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISO() as string

export const deskCalendarRoutes: FastifyPluginAsyncZod = async (app) => {
  async function deskOr404(id: string): Promise<DeskFacts> {
    const desk = await findDesk(app.db, id)
    if (!desk) throw notFound(`Desk ${id}`)
    return desk
  }
  const actor = (request: FastifyRequest) => actorOf(request, app.clock())

  app.get(
    '/api/desks/:id/status',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Open or closed at an instant (now by default), why, and the next opening',
        params: deskParams,
        querystring: z.object({ at: instant.optional() }),
        response: { 200: statusSchema, ...authProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      const at = request.query.at ? new Date(request.query.at) : app.clock()
      const status = deskStatus(desk.calendar, at)
      const zone = desk.timezone
      // the hours in force that day, a season's included, as a caller hears them
      const hours = spokenHours(desk, localDate(at, zone), desk.language)
      return {
        desk: desk.id,
        at: local(at, zone),
        timezone: zone,
        open: status.open,
        reason: status.reason,
        ...(status.holiday ? { holiday: status.holiday } : {}),
        ...(status.closure ? { closure: status.closure } : {}),
        ...(status.open ? {} : { nextOpening: status.nextOpening ? local(status.nextOpening, zone) : null }),
        ...(status.closesAt ? { closesAt: local(status.closesAt, zone) } : {}),
        message: status.open ? hours : `${hours} ${describeNextOpening(at, status.nextOpening, zone, desk.language)}`,
      }
    },
  )

  app.get(
    '/api/desks/:id/holidays',
    {
      schema: {
        tags: ['calendar'],
        summary: "The year's public holidays, estimated, confirmed or added by hand",
        params: deskParams,
        querystring: z.object({ year: year.optional() }),
        response: { 200: z.object({ items: z.array(holidaySchema) }), ...authProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      const year = request.query.year ?? DateTime.fromJSDate(app.clock(), { zone: desk.timezone }).year
      return { items: holidaysForYear(desk.calendar.country, year, desk.calendar.holidayOverrides) }
    },
  )

  app.get(
    '/api/desks/:id/seasons',
    {
      schema: {
        tags: ['calendar'],
        summary: "The year's seasons (Ramadan, summer hours): their dates, estimated, confirmed or the desk's own, and hours",
        params: deskParams,
        querystring: z.object({ year: year.optional() }),
        response: { 200: z.object({ items: z.array(seasonSchema) }), ...authProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      const year = request.query.year ?? DateTime.fromJSDate(app.clock(), { zone: desk.timezone }).year
      return { items: seasonsForYear(desk.calendar, year) }
    },
  )

  /** The occurrence a holiday id names, looked up around the year its id carries. */
  function findOccurrence(desk: DeskFacts, holidayId: string): HolidayOccurrence {
    const year = Number(/(\d+)$/.exec(holidayId)?.[1])
    // Lunar ids carry a Hijri year: about 0.97 Gregorian years each, from 622.
    const gregorian = year < 1900 ? Math.round(year * 0.970229 + 621.5643) : year
    // A year no calendar reaches (an id made up, or mistyped) names no holiday.
    if (gregorian < 1000 || gregorian > 3000) throw notFound(`Holiday ${holidayId} of desk ${desk.id}`)
    const found = holidayOccurrence(desk.calendar.country, desk.calendar.holidayOverrides, holidayId, gregorian)
    if (!found) throw notFound(`Holiday ${holidayId} of desk ${desk.id}`)
    return found
  }

  const decided = z.object({
    holidayId: z.string(),
    action: z.string(),
    start: z.string().optional(),
    days: z.number().optional(),
    by: z.string(),
    at: z.string(),
  })

  // Confirm (as estimated) or remove (the desk works that day): the same decision but for its action.
  for (const [method, url, action, summary] of [
    ['POST', '/api/desks/:id/holidays/:holidayId/confirm', 'confirm', 'Confirm an estimated holiday as it stands'],
    ['DELETE', '/api/desks/:id/holidays/:holidayId', 'remove', 'The desk works on this holiday (it is removed)'],
  ] as const) {
    app.route({
      method,
      url,
      config: { roles: MANAGE },
      schema: { tags: ['calendar'], summary, params: holidayParams, response: { 200: decided, ...conflictProblems } },
      handler: async (request) => {
        const desk = await deskOr404(request.params.id)
        const occurrence = findOccurrence(desk, request.params.holidayId)
        if (action === 'remove')
          return recordHolidayOverride(app.db, desk.id, { holidayId: occurrence.id, action }, actor(request))
        if (isPastUnconfirmed(occurrence, localDate(app.clock(), desk.timezone)))
          throw new AppError(
            409,
            'holiday_past',
            `${occurrence.name} (${occurrence.first}) is over and was never confirmed: move it to the dates observed instead`,
          )
        // The date confirmed is recorded with the decision: it stays whatever the runtime's calendar data says later.
        return recordHolidayOverride(
          app.db,
          desk.id,
          { holidayId: occurrence.id, action, start: occurrence.first },
          actor(request),
        )
      },
    })
  }

  app.post(
    '/api/desks/:id/holidays/:holidayId/move',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Move a holiday to the dates actually observed (it becomes confirmed)',
        params: holidayParams,
        body: z.object({ start: isoDateSchema, days: z.number().int().min(1).max(31).optional() }).strict(),
        response: { 200: decided, ...authProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      findOccurrence(desk, request.params.holidayId)
      const { start, days } = request.body
      return recordHolidayOverride(
        app.db,
        desk.id,
        { holidayId: request.params.holidayId, action: 'move', start, ...(days ? { days } : {}) },
        actor(request),
      )
    },
  )

  /** The Hijri season occurrence a season id names (ramadan-1447), looked up around the year its id carries. */
  function findSeason(desk: DeskFacts, seasonId: string): SeasonOccurrence {
    const hijri = Number(/-(\d{4})$/.exec(seasonId)?.[1])
    const gregorian = Math.round(hijri * 0.970229 + 621.5643)
    if (Number.isFinite(gregorian) && gregorian >= 1000 && gregorian <= 3000) {
      for (const year of [gregorian, gregorian - 1, gregorian + 1]) {
        const found = seasonsForYear(desk.calendar, year).find((season) => season.id === seasonId)
        if (found?.hijriMonth !== undefined) return found
      }
    }
    throw notFound(`Hijri season ${seasonId} of desk ${desk.id}`)
  }

  const seasonDecided = z.object({
    seasonId: z.string(),
    action: z.string(),
    start: z.string().optional(),
    end: z.string().optional(),
    by: z.string(),
    at: z.string(),
  })

  app.post(
    '/api/desks/:id/seasons/:seasonId/confirm',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Confirm the estimated dates of a Hijri season occurrence (ramadan-1447) as they stand',
        params: seasonParams,
        response: { 200: seasonDecided, ...conflictProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      const season = findSeason(desk, request.params.seasonId)
      if (season.status === 'estimated' && season.end < localDate(app.clock(), desk.timezone))
        throw new AppError(
          409,
          'season_past',
          `${season.name} (${season.start} to ${season.end}) is over and was never confirmed: move it to the dates observed instead`,
        )
      // The dates confirmed are recorded with the decision: they stay whatever the runtime's calendar data says later.
      return recordSeasonOverride(
        app.db,
        desk.id,
        { seasonId: season.id, action: 'confirm', start: season.start, end: season.end },
        { name: season.name, start: season.start, end: season.end },
        actor(request),
      )
    },
  )

  app.post(
    '/api/desks/:id/seasons/:seasonId/move',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Move the first and/or last day of a Hijri season occurrence to the dates observed (it becomes confirmed)',
        params: seasonParams,
        body: z
          .object({ start: isoDateSchema.optional(), end: isoDateSchema.optional() })
          .strict()
          .refine((body) => body.start !== undefined || body.end !== undefined, 'give a start or an end date')
          .refine((body) => !body.start || !body.end || body.start <= body.end, 'end is before start'),
        response: { 200: seasonDecided, ...conflictProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      const season = findSeason(desk, request.params.seasonId)
      const { start, end } = request.body
      const moved = moveSeason(season, { start, end })
      if (!moved.ok) {
        const { problem } = moved
        if (problem.code === 'season_bound_decided') throw new AppError(409, problem.code, problem.message)
        throw new AppError(400, 'validation_failed', problem.message)
      }
      return recordSeasonOverride(
        app.db,
        desk.id,
        { seasonId: season.id, action: 'move', ...(start ? { start } : {}), ...(end ? { end } : {}) },
        { name: season.name, start: moved.start, end: moved.end },
        actor(request),
      )
    },
  )

  app.post(
    '/api/desks/:id/holidays',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Add a holiday by hand (a public holiday declared by decree, say)',
        params: deskParams,
        body: z
          .object({
            name: spokenText(),
            start: isoDateSchema,
            days: z.number().int().min(1).max(31).default(1),
          })
          .strict(),
        response: { 201: decided, ...authProblems },
      },
    },
    async (request, reply) => {
      const desk = await deskOr404(request.params.id)
      const { name, start, days } = request.body
      const recorded = await recordHolidayOverride(
        app.db,
        desk.id,
        { holidayId: manualHolidayId(name, start), action: 'add', start, days, name },
        actor(request),
      )
      return reply.code(201).send(recorded)
    },
  )

  for (const kind of ['closure', 'opening'] as const satisfies readonly EntryKind[]) {
    const path = `/api/desks/:id/${kind}s`
    const body = kind === 'closure' ? closureSchema : openingSchema

    app.get(
      path,
      {
        schema: {
          tags: ['calendar'],
          summary: `The ${kind}s managers added (the desk file's are in the configuration)`,
          params: deskParams,
          response: { 200: z.object({ items: z.array(entrySchema) }), ...authProblems },
        },
      },
      async (request) => {
        const desk = await deskOr404(request.params.id)
        const items = await listCalendarEntries(app.db, desk.id, kind)
        return { items: items.map((item) => ({ id: item.id, entry: item.entry, by: item.by, at: item.at.toISOString() })) }
      },
    )

    app.post(
      path,
      {
        config: { roles: MANAGE },
        schema: {
          tags: ['calendar'],
          summary:
            kind === 'closure'
              ? 'Close the desk: a day, part of a day, a range, or every year'
              : 'Open the desk exceptionally (on a holiday, or outside hours)',
          params: deskParams,
          body,
          response: { 201: entrySchema, ...authProblems },
        },
      },
      async (request, reply) => {
        const desk = await deskOr404(request.params.id)
        const item = await addCalendarEntry(app.db, desk.id, kind, request.body, actor(request))
        return reply.code(201).send({ id: item.id, entry: item.entry, by: item.by, at: item.at.toISOString() })
      },
    )

    app.delete(
      `${path}/:entryId`,
      {
        config: { roles: MANAGE },
        schema: {
          tags: ['calendar'],
          summary: `Remove a ${kind} managers added`,
          params: entryParams,
          response: { 204: z.null(), ...authProblems },
        },
      },
      async (request, reply) => {
        const desk = await deskOr404(request.params.id)
        if (!(await removeCalendarEntry(app.db, desk.id, kind, request.params.entryId, actor(request)))) {
          throw notFound(`${kind} ${request.params.entryId} of desk ${desk.id}`)
        }
        return reply.code(204).send(null)
      },
    )
  }

  app.put(
    '/api/desks/:id/closed-now',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Emergency switch: close the desk now, until reopened',
        params: deskParams,
        body: z.object({ reason: spokenText({ minMessage: 'say why, callers hear it' }) }).strict(),
        response: { 200: statusSchema.pick({ desk: true, open: true, reason: true, closure: true }), ...authProblems },
      },
    },
    async (request) => {
      const desk = await deskOr404(request.params.id)
      await setClosedNow(app.db, desk.id, request.body.reason, actor(request))
      return { desk: desk.id, open: false, reason: 'closure' as const, closure: request.body.reason }
    },
  )

  app.delete(
    '/api/desks/:id/closed-now',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['calendar'],
        summary: 'Lift the emergency closure',
        params: deskParams,
        response: { 204: z.null(), ...conflictProblems },
      },
    },
    async (request, reply) => {
      const desk = await deskOr404(request.params.id)
      if (!desk.calendar.closedNow) throw new AppError(409, 'not_closed', `Desk ${desk.id} is not closed by the switch`)
      await setClosedNow(app.db, desk.id, null, actor(request))
      return reply.code(204).send(null)
    },
  )
}
