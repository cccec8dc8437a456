// Desks as the call flow and the API need them: found by a dialled number, with their calendar
// (weekly hours, holidays with managers' decisions, closures, openings) and agents on duty.
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { agentDesks, agents, calendarEntries, deskNumbers, desks, holidayOverrides, seasonOverrides } from '../../db/schema.js'
import type { AgentFacts, DeskFacts } from '../domain/call.js'
import { type Closure, type HolidayOverride, type Opening, type SeasonOverride, fixedCalendar } from '../domain/calendar/index.js'
import { type ManagersCalendar, deskFacts } from '../domain/configured-facts.js'

type DeskRow = typeof desks.$inferSelect

export async function findDeskByNumber(db: Queryable, number: string): Promise<DeskFacts | null> {
  const [row] = await db
    .select({ desk: desks })
    .from(deskNumbers)
    .innerJoin(desks, eq(desks.id, deskNumbers.deskId))
    .where(and(eq(deskNumbers.number, number), eq(desks.active, true)))
  return row ? loadDeskFacts(db, row.desk) : null
}

export async function findDesk(db: Queryable, id: string): Promise<DeskFacts | null> {
  const [row] = await db.select().from(desks).where(eq(desks.id, id))
  return row ? loadDeskFacts(db, row) : null
}

async function loadDeskFacts(db: Queryable, desk: DeskRow): Promise<DeskFacts> {
  const [overrides, entries, seasons] = await Promise.all([
    db.select().from(holidayOverrides).where(eq(holidayOverrides.deskId, desk.id)).orderBy(asc(holidayOverrides.id)),
    db
      .select()
      .from(calendarEntries)
      .where(and(eq(calendarEntries.deskId, desk.id), isNull(calendarEntries.removedAt)))
      .orderBy(asc(calendarEntries.id)),
    db.select().from(seasonOverrides).where(eq(seasonOverrides.deskId, desk.id)).orderBy(asc(seasonOverrides.id)),
  ])
  return assembleDesk(desk, overrides, entries, seasons)
}

/**
 * Every desk with its calendar, for the in-memory configuration: by id (all) and by number (active
 * ones). Each calendar is fixed (compiled once, frozen): it lives as long as the configuration
 * version it was read at, and a change of it comes as a new snapshot with new calendars, so no
 * call compiles the calendar again nor answers from a stale compilation.
 */
export async function loadAllDesks(tx: Queryable): Promise<{ byId: Map<string, DeskFacts>; byNumber: Map<string, DeskFacts> }> {
  const [rows, numbers, overrides, entries, seasons] = await Promise.all([
    tx.select().from(desks),
    tx.select().from(deskNumbers),
    tx.select().from(holidayOverrides).orderBy(asc(holidayOverrides.id)),
    tx.select().from(calendarEntries).where(isNull(calendarEntries.removedAt)).orderBy(asc(calendarEntries.id)),
    tx.select().from(seasonOverrides).orderBy(asc(seasonOverrides.id)),
  ])
  const byId = new Map<string, DeskFacts>()
  for (const desk of rows) {
    const own = <T extends { deskId: string }>(list: T[]) => list.filter((row) => row.deskId === desk.id)
    const facts = assembleDesk(desk, own(overrides), own(entries), own(seasons))
    byId.set(desk.id, { ...facts, calendar: fixedCalendar(facts.calendar) })
  }
  const active = new Set(rows.filter((desk) => desk.active).map((desk) => desk.id))
  const byNumber = new Map<string, DeskFacts>()
  for (const { number, deskId } of numbers) {
    const desk = byId.get(deskId)
    if (desk && active.has(deskId)) byNumber.set(number, desk)
  }
  return { byId, byNumber }
}

/** The desk's calendar: the desk file's part, the shipped observed holidays, and managers' decisions. */
function assembleDesk(
  desk: DeskRow,
  overrides: (typeof holidayOverrides.$inferSelect)[],
  entries: (typeof calendarEntries.$inferSelect)[],
  seasons: (typeof seasonOverrides.$inferSelect)[],
): DeskFacts {
  return deskFacts(desk, managersCalendar(desk, overrides, entries, seasons))
}

/** The managers' decisions on a desk's calendar, as stored apart from the desk file. */
export function managersCalendar(
  desk: Pick<DeskRow, 'closedSince' | 'closedBy' | 'closedReason'>,
  overrides: (typeof holidayOverrides.$inferSelect)[],
  entries: (typeof calendarEntries.$inferSelect)[],
  seasons: (typeof seasonOverrides.$inferSelect)[] = [],
): ManagersCalendar {
  return {
    holidayOverrides: overrides.map(toOverride),
    seasonOverrides: seasons.map(toSeasonOverride),
    closures: entries.filter((e) => e.kind === 'closure').map((e) => withRecord(e) as Closure),
    openings: entries.filter((e) => e.kind === 'opening').map((e) => withRecord(e) as Opening),
    closedNow: desk.closedSince
      ? {
          since: desk.closedSince.toISOString(),
          by: desk.closedBy ?? 'unknown',
          ...(desk.closedReason ? { reason: desk.closedReason } : {}),
        }
      : null,
  }
}

function toOverride(row: typeof holidayOverrides.$inferSelect): HolidayOverride {
  return {
    holidayId: row.holidayId,
    action: row.action,
    ...(row.start ? { start: row.start } : {}),
    ...(row.days ? { days: row.days } : {}),
    ...(row.name ? { name: row.name } : {}),
    by: row.by,
    at: row.at.toISOString(),
  }
}

function toSeasonOverride(row: typeof seasonOverrides.$inferSelect): SeasonOverride {
  return {
    seasonId: row.seasonId,
    action: row.action,
    ...(row.start ? { start: row.start } : {}),
    ...(row.end ? { end: row.end } : {}),
    by: row.by,
    at: row.at.toISOString(),
  }
}

function withRecord(entry: typeof calendarEntries.$inferSelect): Closure | Opening {
  return { ...entry.entry, id: String(entry.id), by: entry.by, at: entry.at.toISOString() }
}

/** The desk's agents on duty, in ringing order. */
export async function agentsOnDuty(db: Queryable, deskId: string): Promise<AgentFacts[]> {
  return db
    .select({ id: agents.id, name: agents.name, number: agents.number })
    .from(agentDesks)
    .innerJoin(agents, eq(agents.id, agentDesks.agentId))
    .where(and(eq(agentDesks.deskId, deskId), eq(agents.onDuty, true), eq(agents.active, true)))
    .orderBy(asc(agentDesks.position), asc(agents.id))
}

/** Every desk's numbers (the demo's emulated Twilio account owns them, to call back from). */
export async function allDeskNumbers(db: Queryable): Promise<string[]> {
  const rows = await db.select({ number: deskNumbers.number }).from(deskNumbers).orderBy(asc(deskNumbers.number))
  return rows.map((row) => row.number)
}
