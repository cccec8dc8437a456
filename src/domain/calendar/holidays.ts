// A desk's holidays for a year: the country's rules with the managers' (and shipped) overrides applied.
import { occurrencesStartingIn, yearOf, type HolidayStatus, type Occurrence } from './holiday-rules.js'
import { isoDateOf, parseIsoDate, type DayNumber } from './local-time.js'
import { slugOf, type Country, type HolidayOverride } from './schemas.js'

export type { HolidayStatus }

/** One item per date: an Eid gives three items, day 1…3 of 3, sharing the occurrence id. */
export interface Holiday {
  id: string
  key: string
  date: string
  name: string
  status: HolidayStatus
  day?: number
  of?: number
  by?: string
  at?: string
  movedFrom?: string
}

/** An occurrence once its override is applied, with who decided and where it came from. */
export interface Decided extends Occurrence {
  by?: string
  at?: string
  movedFrom?: string
}

/** Who the shipped observed dates (db/holidays/*.json) are decided by. */
export const SHIPPED_BY = 'supportline (observed dates)'

/** A manager's decision outranks shipped data whenever it was made; then the later decision wins. */
function outranks(override: HolidayOverride, current: HolidayOverride): boolean {
  const shipped = override.by === SHIPPED_BY
  if (shipped !== (current.by === SHIPPED_BY)) return !shipped
  return Date.parse(override.at) >= Date.parse(current.at)
}

/**
 * The override in force for each holiday id: a manager's over the shipped data's, then the latest
 * by `at`, the later in the list on a tie.
 */
function latestOverrides(overrides: readonly HolidayOverride[]): Map<string, HolidayOverride> {
  const latest = new Map<string, HolidayOverride>()
  for (const override of overrides) {
    const current = latest.get(override.holidayId)
    if (current === undefined || outranks(override, current)) latest.set(override.holidayId, override)
  }
  return latest
}

function startOf(override: HolidayOverride): DayNumber {
  // the schema requires `start` for move and add; a missing or bad one is a programming error
  const start = parseIsoDate(override.start ?? '')
  if (start === null)
    throw new RangeError(`holiday override "${override.holidayId}" (${override.action}) needs a valid start date`)
  return start
}

/** An occurrence as the latest decision about it leaves it: as estimated, confirmed, moved, or removed (null). */
function withManagersDecision(base: Occurrence, override: HolidayOverride | undefined): Decided | null {
  if (override === undefined) return base
  const record = { by: override.by, at: override.at }
  switch (override.action) {
    case 'remove':
      return null
    case 'confirm':
      // A confirmation pins the date it confirmed: new Islamic calendar data in the runtime cannot move it.
      return { ...base, ...record, ...(override.start === undefined ? {} : { start: startOf(override) }), status: 'confirmed' }
    case 'move': {
      const start = startOf(override)
      const moved = start === base.start ? {} : { movedFrom: isoDateOf(base.start) }
      return {
        ...base,
        ...record,
        ...moved,
        name: override.name ?? base.name,
        start,
        days: override.days ?? base.days,
        status: 'confirmed',
      }
    }
    case 'add':
      return added(override)
  }
}

function added(override: HolidayOverride): Decided {
  return {
    id: override.holidayId,
    key: override.holidayId,
    name: override.name ?? override.holidayId,
    start: startOf(override),
    days: override.days ?? 1,
    status: 'manual',
    by: override.by,
    at: override.at,
  }
}

/**
 * The occurrences of the years around `year` with their overrides: an occurrence of the year
 * before or after may be moved into `year`, or straddle New Year (an Eid from 30 December).
 * An override whose id matches no occurrence of those three years is ignored, except 'add',
 * which stands on its own; so the shipped DZ data does nothing to a French desk.
 */
function decidedOccurrences(country: Country | null, year: number, overrides: readonly HolidayOverride[]): Decided[] {
  const latest = latestOverrides(overrides)
  const decided: Decided[] = []
  const seen = new Set<string>()
  if (country !== null) {
    for (const around of [year - 1, year, year + 1]) {
      for (const base of occurrencesStartingIn(country, around)) {
        seen.add(base.id)
        const occurrence = withManagersDecision(base, latest.get(base.id))
        if (occurrence !== null) decided.push(occurrence)
      }
    }
  }
  for (const override of latest.values()) {
    if (override.action === 'add' && !seen.has(override.holidayId)) decided.push(added(override))
  }
  return decided
}

function itemsOf(occurrence: Decided): Holiday[] {
  const items: Holiday[] = []
  for (let index = 0; index < occurrence.days; index++) {
    const item: Holiday = {
      id: occurrence.id,
      key: occurrence.key,
      date: isoDateOf(occurrence.start + index),
      name: occurrence.name,
      status: occurrence.status,
    }
    if (occurrence.days > 1) Object.assign(item, { day: index + 1, of: occurrence.days })
    if (occurrence.by !== undefined) Object.assign(item, { by: occurrence.by, at: occurrence.at })
    if (occurrence.movedFrom !== undefined) item.movedFrom = occurrence.movedFrom
    items.push(item)
  }
  return items
}

/**
 * The id of a holiday a manager adds by hand: its first day and its name, readable and stable
 * ("Grève générale" on 2026-12-08 is manual-2026-12-08-greve-generale).
 */
export function manualHolidayId(name: string, start: string): string {
  return `manual-${start}-${slugOf(name) || 'holiday'}`
}

/** The holidays whose date falls in `year`, sorted by date (then id), one item per date of each occurrence. */
export function holidaysForYear(country: Country | null, year: number, overrides: readonly HolidayOverride[]): Holiday[] {
  return decidedOccurrences(country, year, overrides)
    .flatMap(itemsOf)
    .filter((item) => item.date.startsWith(`${String(year).padStart(4, '0')}-`))
    .sort((a, b) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date < b.date ? -1 : 1))
}

/** One occurrence as people see it: its name, first and last dates, and where it stands. */
export interface HolidayOccurrence {
  id: string
  name: string
  status: HolidayStatus
  first: string
  last: string
}

/**
 * An estimate nobody confirmed whose last day is behind `today` (a desk-local date): shown as
 * "past, not confirmed", and no longer to confirm (moving it to the observed dates still records them).
 */
export function isPastUnconfirmed(occurrence: { status: HolidayStatus; last: string }, today: string): boolean {
  return occurrence.status === 'estimated' && occurrence.last < today
}

/**
 * The occurrence `holidayId` as it stands (decisions applied), looked for among the occurrences
 * starting in `nearYear` and the years around it; null when removed or unknown.
 */
export function holidayOccurrence(
  country: Country | null,
  overrides: readonly HolidayOverride[],
  holidayId: string,
  nearYear: number,
): HolidayOccurrence | null {
  const found = decidedOccurrences(country, nearYear, overrides).find((occurrence) => occurrence.id === holidayId)
  return found ? occurrenceView(found) : null
}

const occurrenceView = (occurrence: Decided): HolidayOccurrence => ({
  id: occurrence.id,
  name: occurrence.name,
  status: occurrence.status,
  first: isoDateOf(occurrence.start),
  last: isoDateOf(occurrence.start + occurrence.days - 1),
})

/** The estimated holidays that begin within `days` days of `today` (or are under way), to confirm: soonest first. */
export function holidaysToConfirm(
  country: Country | null,
  overrides: readonly HolidayOverride[],
  today: string,
  days: number,
): HolidayOccurrence[] {
  const from = parseIsoDate(today) as DayNumber
  const year = yearOf(from)
  const byId = new Map<string, HolidayOccurrence>()
  for (const occurrence of [
    ...decidedOccurrences(country, year, overrides),
    ...decidedOccurrences(country, year + 1, overrides),
  ]) {
    const ends = occurrence.start + occurrence.days - 1
    if (occurrence.status === 'estimated' && ends >= from && occurrence.start <= from + days)
      byId.set(occurrence.id, occurrenceView(occurrence))
  }
  return [...byId.values()].sort((a, b) => a.first.localeCompare(b.first))
}

/** Holidays by local date for the status hot path, built one year at a time. */
export class HolidayIndex {
  private readonly years = new Map<number, Map<DayNumber, Holiday[]>>()

  constructor(
    private readonly country: Country | null,
    private readonly overrides: readonly HolidayOverride[],
  ) {}

  /** The holidays on a local date, empty when there is none. */
  on(dayNumber: DayNumber): readonly Holiday[] {
    const year = yearOf(dayNumber)
    let byDay = this.years.get(year)
    if (byDay === undefined) {
      byDay = new Map()
      for (const holiday of holidaysForYear(this.country, year, this.overrides)) {
        const day = parseIsoDate(holiday.date) as DayNumber
        byDay.set(day, [...(byDay.get(day) ?? []), holiday])
      }
      this.years.set(year, byDay)
    }
    return byDay.get(dayNumber) ?? NO_HOLIDAYS
  }

  /**
   * One occurrence by id (eid-al-fitr-1447) once its override applies, looked for among the
   * occurrences starting in `nearYear` and the years around it; null when removed or unknown.
   */
  occurrence(id: string, nearYear: number): Decided | null {
    return decidedOccurrences(this.country, nearYear, this.overrides).find((occurrence) => occurrence.id === id) ?? null
  }
}

const NO_HOLIDAYS: readonly Holiday[] = []

/*
 * Callers build a fresh calendar (and a fresh concatenated overrides list) for each call, so the
 * index is kept by content, never by object identity (a list changed in place must not answer
 * from a stale index): resolving a year's overrides (tens of µs) then happens once per set of
 * decisions, not on every incoming call. Lists are bucketed by country, length and last entry,
 * then compared field by field, which costs far less than hashing a key built from all of them.
 */
const MAX_INDEXES = 256
interface CachedIndex {
  overrides: readonly HolidayOverride[]
  index: HolidayIndex
}
const indexes = new Map<string, CachedIndex[]>()
let cachedCount = 0

const FIELDS = ['holidayId', 'action', 'start', 'days', 'name', 'by', 'at'] as const

function sameOverrides(a: readonly HolidayOverride[], b: readonly HolidayOverride[]): boolean {
  return a.every((override, i) => FIELDS.every((field) => override[field] === b[i]?.[field]))
}

/** The (shared) holiday index of a country and its overrides. */
export function holidayIndexFor(country: Country | null, overrides: readonly HolidayOverride[]): HolidayIndex {
  const last = overrides[overrides.length - 1]
  const bucketKey = `${country}|${overrides.length}|${last?.holidayId}|${last?.at}`
  const bucket = indexes.get(bucketKey) ?? []
  const known = bucket.find((cached) => sameOverrides(cached.overrides, overrides))
  if (known !== undefined) return known.index
  if (cachedCount >= MAX_INDEXES) {
    indexes.clear()
    cachedCount = 0
  }
  // a copy: the index must not see later changes to the caller's list
  const copy = overrides.map((override) => ({ ...override }))
  const index = new HolidayIndex(country, copy)
  indexes.set(bucketKey, [...(indexes.get(bucketKey) ?? []), { overrides: copy, index }])
  cachedCount++
  return index
}
