// Managers' calendar decisions: confirmed, moved, added or removed holidays, closures and
// openings added through the API, and the closed-now switch. Each is audited and bumps the
// configuration version in its transaction.
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { calendarEntries, desks, holidayOverrides, seasonOverrides } from '../../db/schema.js'
import type { Closure, HolidayOverride, Opening, SeasonOverride } from '../domain/calendar/index.js'
import { parseIsoDate } from '../domain/calendar/local-time.js'
import { writeAudit } from './audit.js'
import { touchConfiguration } from './config-version.js'
import { nextOpeningOf, notify } from './notifications.js'

export interface Actor {
  name: string
  now: Date
}

export async function recordHolidayOverride(
  db: Database,
  deskId: string,
  override: Omit<HolidayOverride, 'by' | 'at'>,
  actor: Actor,
): Promise<HolidayOverride> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(holidayOverrides)
      .values({
        deskId,
        holidayId: override.holidayId,
        action: override.action,
        start: override.start ?? null,
        days: override.days ?? null,
        name: override.name ?? null,
        by: actor.name,
        at: actor.now,
      })
      .returning({ id: holidayOverrides.id })
    const recorded = { ...override, by: actor.name, at: actor.now.toISOString() }
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: `holiday.${override.action}`,
      entity: 'holiday',
      entityId: `${deskId}/${override.holidayId}`,
      before: null,
      after: { id: row?.id, ...recorded },
    })
    await touchConfiguration(tx, actor.now)
    await notify(tx, {
      type: 'holiday.changed',
      key: `holiday.changed:${row?.id}`,
      desk: deskId,
      clientId: null,
      at: actor.now,
      data: {
        desk: deskId,
        kind: 'holiday',
        holidayId: override.holidayId,
        action: override.action,
        name: override.name ?? null,
        start: override.action === 'remove' ? null : (override.start ?? null),
        days: override.action === 'remove' ? null : (override.days ?? null),
        by: actor.name,
        nextOpening: await nextOpeningOf(tx, deskId, actor.now),
      },
    })
    return recorded
  })
}

/**
 * A manager confirms or moves a Hijri season occurrence (ramadan-1447): stored, audited,
 * configuration bumped, and the desk's clients told (`holiday.changed` of kind `season`: the
 * season's hours apply on its new dates).
 */
export async function recordSeasonOverride(
  db: Database,
  deskId: string,
  override: Omit<SeasonOverride, 'by' | 'at'>,
  /** the occurrence as it stands after the decision */
  after: { name: string; start: string; end: string },
  actor: Actor,
): Promise<SeasonOverride> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(seasonOverrides)
      .values({
        deskId,
        seasonId: override.seasonId,
        action: override.action,
        start: override.start ?? null,
        end: override.end ?? null,
        by: actor.name,
        at: actor.now,
      })
      .returning({ id: seasonOverrides.id })
    const recorded = { ...override, by: actor.name, at: actor.now.toISOString() }
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: `season.${override.action}`,
      entity: 'season',
      entityId: `${deskId}/${override.seasonId}`,
      before: null,
      after: { id: row?.id, ...recorded },
    })
    await touchConfiguration(tx, actor.now)
    await notify(tx, {
      type: 'holiday.changed',
      key: `season.changed:${row?.id}`,
      desk: deskId,
      clientId: null,
      at: actor.now,
      data: {
        desk: deskId,
        kind: 'season',
        holidayId: override.seasonId,
        action: override.action,
        name: after.name,
        start: after.start,
        days: (parseIsoDate(after.end) ?? 0) - (parseIsoDate(after.start) ?? 0) + 1,
        by: actor.name,
        nextOpening: await nextOpeningOf(tx, deskId, actor.now),
      },
    })
    return recorded
  })
}

export type EntryKind = 'closure' | 'opening'

export interface CalendarEntry {
  id: number
  kind: EntryKind
  entry: Closure | Opening
  by: string
  at: Date
}

export async function listCalendarEntries(db: Queryable, deskId: string, kind: EntryKind): Promise<CalendarEntry[]> {
  return db
    .select({
      id: calendarEntries.id,
      kind: calendarEntries.kind,
      entry: calendarEntries.entry,
      by: calendarEntries.by,
      at: calendarEntries.at,
    })
    .from(calendarEntries)
    .where(and(eq(calendarEntries.deskId, deskId), eq(calendarEntries.kind, kind), isNull(calendarEntries.removedAt)))
    .orderBy(asc(calendarEntries.id))
}

export async function addCalendarEntry(
  db: Database,
  deskId: string,
  kind: EntryKind,
  entry: Closure | Opening,
  actor: Actor,
): Promise<CalendarEntry> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(calendarEntries).values({ deskId, kind, entry, by: actor.name, at: actor.now }).returning({
      id: calendarEntries.id,
      kind: calendarEntries.kind,
      entry: calendarEntries.entry,
      by: calendarEntries.by,
      at: calendarEntries.at,
    })
    if (!row) throw new Error('calendar entry insert returned nothing')
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: `${kind}.create`,
      entity: kind,
      entityId: `${deskId}/${row.id}`,
      before: null,
      after: entry,
    })
    await touchConfiguration(tx, actor.now)
    return row
  })
}

/** Removes a closure or opening (kept with who removed it); false when there is no such live entry. */
export async function removeCalendarEntry(
  db: Database,
  deskId: string,
  kind: EntryKind,
  id: number,
  actor: Actor,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(calendarEntries)
      .set({ removedAt: actor.now, removedBy: actor.name })
      .where(
        and(
          eq(calendarEntries.id, id),
          eq(calendarEntries.deskId, deskId),
          eq(calendarEntries.kind, kind),
          isNull(calendarEntries.removedAt),
        ),
      )
      .returning({ entry: calendarEntries.entry })
    if (!row) return false
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: `${kind}.remove`,
      entity: kind,
      entityId: `${deskId}/${id}`,
      before: row.entry,
      after: null,
    })
    await touchConfiguration(tx, actor.now)
    return true
  })
}

/** The emergency switch: closed from now with a reason, or open again (reason null). */
export async function setClosedNow(db: Database, deskId: string, reason: string | null, actor: Actor): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ since: desks.closedSince, reason: desks.closedReason })
      .from(desks)
      .where(eq(desks.id, deskId))
    if (!before) return false
    const closing = reason !== null
    await tx
      .update(desks)
      .set(
        closing
          ? { closedSince: actor.now, closedBy: actor.name, closedReason: reason }
          : { closedSince: null, closedBy: null, closedReason: null },
      )
      .where(eq(desks.id, deskId))
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: closing ? 'desk.close-now' : 'desk.reopen',
      entity: 'desk',
      entityId: deskId,
      before,
      after: closing ? { since: actor.now, reason } : { since: null },
    })
    await touchConfiguration(tx, actor.now)
    // Agents on duty and webhooks hear of the switch when it changes the desk's state.
    if (closing && !before.since)
      await notify(tx, {
        type: 'desk.closed_now',
        key: `desk.closed_now:${deskId}:${actor.now.toISOString()}`,
        desk: deskId,
        clientId: null,
        at: actor.now,
        data: { desk: deskId, since: actor.now.toISOString(), by: actor.name, reason },
      })
    if (!closing && before.since)
      await notify(tx, {
        type: 'desk.reopened',
        key: `desk.reopened:${deskId}:${actor.now.toISOString()}`,
        desk: deskId,
        clientId: null,
        at: actor.now,
        data: {
          desk: deskId,
          at: actor.now.toISOString(),
          by: actor.name,
          nextOpening: await nextOpeningOf(tx, deskId, actor.now),
        },
      })
    return true
  })
}
