// Seasons: weekly hours that replace a desk's own on their dates each year: a Hijri month (Ramadan), estimated then decided like the lunar holidays, or a Gregorian month-day range.
/*
 * - A Hijri season runs from the 1st of its month to the eve of the next month's 1st. Both are
 *   estimated with Umm al-Qura (as the lunar holidays are) and each bound is decided on its own:
 *   by the holiday of the desk's country that opens that month once the holiday is decided (Eid al-
 *   Fitr opens Shawwal, so confirming or moving it moves the end of Ramadan: one decision, one
 *   truth), else by the latest season decision that sets it, else it stays estimated.
 * - A Gregorian season runs from `from` to `to` (included) every year, across the new year when
 *   `to` comes before `from`; its dates are the desk's own, hence 'manual'.
 * - Seasons come from the schedule and from the revisions (`changes`) that carry them: on a date,
 *   the list in force is the latest one from a date on or before it. When two seasons of that list
 *   cover a date, the first in the list wins.
 * - Occurrence ids: key + Hijri year for a Hijri season (ramadan-1447), key + the Gregorian year it
 *   starts in for the others (horaires-d-ete-2026).
 */
import type { HolidayIndex } from './holidays.js'
import { hijriDateOf, hijriMonthStart, holidayOpeningHijriMonth } from './holiday-rules.js'
import { civilDateOf, dayNumberOf, isoDateOf, parseIsoDate, type DayNumber } from './local-time.js'
import { parseMonthDay, seasonKey, type Country, type Season, type SeasonOverride, type WeeklySchedule } from './schemas.js'

export type SeasonStatus = 'estimated' | 'confirmed' | 'manual'

/** One bound of a Hijri season and what fixed it. */
export interface SeasonBound {
  date: string
  status: 'estimated' | 'confirmed'
  /** a decision on the season itself, or the holiday that opens the month */
  decidedBy?: 'season' | 'holiday'
  holidayId?: string
  by?: string
  at?: string
  /** the estimate, when the decision moved it */
  movedFrom?: string
}

/** One occurrence of a season (the future GET /api/desks/{id}/seasons?year= items). */
export interface SeasonOccurrence {
  id: string
  key: string
  name: string
  /** first and last local dates, both included */
  start: string
  end: string
  /** estimated while a bound of a Hijri season is; confirmed once both are decided; manual for dates */
  status: SeasonStatus
  weekly: WeeklySchedule
  /** a Hijri season: its month and the Hijri year of this occurrence, and what fixed each bound */
  hijriMonth?: number
  hijriYear?: number
  bounds?: { start: SeasonBound; end: SeasonBound }
  /** a Gregorian season: its month-days as configured ("MM-DD") */
  from?: string
  to?: string
}

/** A list of seasons in force from a local date on (the schedule's from the beginning of time). */
export interface SeasonSource {
  from: DayNumber
  seasons: readonly Season[]
}

interface Bound {
  day: DayNumber
  info: Omit<SeasonBound, 'date'>
}

interface Resolved {
  id: string
  key: string
  start: DayNumber
  end: DayNumber
  status: SeasonStatus
  hijri?: { year: number; month: number }
  bounds?: { start: Bound; end: Bound }
}

/** The latest decision setting each bound of each season occurrence (a tie goes to the later in the list). */
interface BoundDecision {
  date: string | undefined
  by: string
  at: string
}
type Decisions = Map<string, { start?: BoundDecision; end?: BoundDecision }>

function latestDecisions(overrides: readonly SeasonOverride[]): Decisions {
  const decisions: Decisions = new Map()
  const keep = (current: BoundDecision | undefined, next: BoundDecision): BoundDecision =>
    current === undefined || Date.parse(next.at) >= Date.parse(current.at) ? next : current
  for (const override of overrides) {
    const bounds = decisions.get(override.seasonId) ?? {}
    const record = { by: override.by, at: override.at }
    if (override.action === 'confirm') bounds.start = keep(bounds.start, { date: undefined, ...record })
    if (override.start !== undefined) bounds.start = keep(bounds.start, { date: override.start, ...record })
    if (override.end !== undefined) bounds.end = keep(bounds.end, { date: override.end, ...record })
    decisions.set(override.seasonId, bounds)
  }
  return decisions
}

/** The Gregorian date a month-day falls on in a year; a 29 February is the 28th in common years (or the 1st of March as a start). */
function monthDayIn(year: number, text: string, asStart: boolean): DayNumber {
  const { month, day } = parseMonthDay(text) as { month: number; day: number }
  const dayNumber = dayNumberOf(year, month, day)
  if (civilDateOf(dayNumber).day === day || asStart) return dayNumber
  return dayNumberOf(year, month + 1, 1) - 1
}

function bound(estimate: DayNumber, holiday: Bound | null, decision: BoundDecision | undefined): Bound {
  if (holiday !== null) return holiday
  if (decision === undefined) return { day: estimate, info: { status: 'estimated' } }
  // the schema checked the date
  const day = decision.date === undefined ? estimate : (parseIsoDate(decision.date) as DayNumber)
  const moved = day === estimate ? {} : { movedFrom: isoDateOf(estimate) }
  return { day, info: { status: 'confirmed', decidedBy: 'season', by: decision.by, at: decision.at, ...moved } }
}

/**
 * Season occurrences of a desk, resolved with its holidays (for the holidays that open a Hijri
 * month) and the managers' decisions, one Gregorian year at a time.
 */
export class SeasonIndex {
  private readonly decisions: Decisions
  private readonly years = new Map<number, (SeasonHit | null)[]>()

  constructor(
    private readonly country: Country | null,
    private readonly holidays: HolidayIndex,
    readonly sources: readonly SeasonSource[],
    overrides: readonly SeasonOverride[],
  ) {
    this.decisions = latestDecisions(overrides)
  }

  /** The season in force on a local date (which list, which of its seasons, and the occurrence), or null. */
  on(day: DayNumber): SeasonHit | null {
    const { year } = civilDateOf(day)
    let days = this.years.get(year)
    if (days === undefined) {
      days = this.layOut(year)
      this.years.set(year, days)
    }
    return days[day - dayNumberOf(year, 1, 1)] ?? null
  }

  /** Which season each date of a year follows: per list in force, the first of its seasons whose occurrence covers it. */
  private layOut(year: number): (SeasonHit | null)[] {
    const [first, last] = [dayNumberOf(year, 1, 1), dayNumberOf(year, 12, 31)]
    const days: (SeasonHit | null)[] = new Array(last - first + 1).fill(null)
    this.sources.forEach((source, sourceIndex) => {
      const until = (this.sources[sourceIndex + 1]?.from ?? Number.POSITIVE_INFINITY) - 1
      const [from, to] = [Math.max(first, source.from), Math.min(last, until)]
      if (from > to) return
      source.seasons.forEach((season, seasonIndex) => {
        for (const occurrence of this.occurrencesIn(season, year)) {
          const hit = { source: sourceIndex, season: seasonIndex, occurrence }
          for (let day = Math.max(from, occurrence.start); day <= Math.min(to, occurrence.end); day++) {
            days[day - first] ??= hit
          }
        }
      })
    })
    return days
  }

  /** The occurrences of a season that touch a Gregorian year. */
  private occurrencesIn(season: Season, year: number): Resolved[] {
    const [first, last] = [dayNumberOf(year, 1, 1), dayNumberOf(year, 12, 31)]
    const found: Resolved[] = []
    if (season.hijriMonth !== undefined) {
      // a bound may be moved a little either way: look at the Hijri years around
      for (let hijriYear = hijriDateOf(first).year - 1; hijriYear <= hijriDateOf(last).year + 1; hijriYear++) {
        const occurrence = this.hijriOccurrence(season, season.hijriMonth, hijriYear)
        if (occurrence !== null) found.push(occurrence)
      }
    } else {
      for (const startYear of [year - 1, year]) found.push(gregorianOccurrence(season, startYear))
    }
    return found.filter((occurrence) => occurrence.start <= last && occurrence.end >= first)
  }

  private hijriOccurrence(season: Season, month: number, hijriYear: number): Resolved | null {
    const key = seasonKey(season)
    const id = `${key}-${hijriYear}`
    const [nextYear, nextMonth] = month === 12 ? [hijriYear + 1, 1] : [hijriYear, month + 1]
    const estimatedStart = hijriMonthStart(hijriYear, month)
    const nextStart = hijriMonthStart(nextYear, nextMonth)
    const own = this.decisions.get(id)
    const start = bound(estimatedStart, this.openedByHoliday(hijriYear, month, estimatedStart, 0), own?.start)
    const end = bound(nextStart - 1, this.openedByHoliday(nextYear, nextMonth, nextStart, -1), own?.end)
    if (end.day < start.day) return null
    const decided = start.info.status !== 'estimated' && end.info.status !== 'estimated'
    return {
      id,
      key,
      start: start.day,
      end: end.day,
      status: decided ? 'confirmed' : 'estimated',
      hijri: { year: hijriYear, month },
      bounds: { start, end },
    }
  }

  /** The bound a decided holiday opening a Hijri month gives (its first day, shifted), or null. */
  private openedByHoliday(hijriYear: number, month: number, estimate: DayNumber, shift: number): Bound | null {
    const holidayKey = holidayOpeningHijriMonth(this.country, month)
    if (holidayKey === null) return null
    const holidayId = `${holidayKey}-${hijriYear}`
    const holiday = this.holidays.occurrence(holidayId, civilDateOf(estimate).year)
    if (holiday === null || holiday.status === 'estimated') return null
    const day = holiday.start + shift
    const moved = day === estimate + shift ? {} : { movedFrom: isoDateOf(estimate + shift) }
    // a decided lunar holiday carries its decision's author (the fixed ones, by law, open no Hijri month)
    const record = { by: holiday.by as string, at: holiday.at as string }
    return { day, info: { status: 'confirmed', decidedBy: 'holiday', holidayId, ...record, ...moved } }
  }
}

export interface SeasonHit {
  /** index of the list in force (in SeasonIndex.sources) and of the season in it */
  source: number
  season: number
  occurrence: Resolved
}

function gregorianOccurrence(season: Season, startYear: number): Resolved {
  const [from, to] = [season.from as string, season.to as string]
  const endYear = to < from ? startYear + 1 : startYear
  const key = seasonKey(season)
  return {
    id: `${key}-${startYear}`,
    key,
    start: monthDayIn(startYear, from, true),
    end: monthDayIn(endYear, to, false),
    status: 'manual',
  }
}

/** An occurrence as the API and the spoken sentences see it, with the season of the list in force. */
export function occurrenceOf(hit: SeasonHit, season: Season): SeasonOccurrence {
  const { occurrence } = hit
  const item: SeasonOccurrence = {
    id: occurrence.id,
    key: occurrence.key,
    name: season.name,
    start: isoDateOf(occurrence.start),
    end: isoDateOf(occurrence.end),
    status: occurrence.status,
    weekly: season.weekly,
  }
  if (occurrence.hijri !== undefined && occurrence.bounds !== undefined) {
    Object.assign(item, { hijriMonth: occurrence.hijri.month, hijriYear: occurrence.hijri.year })
    item.bounds = {
      start: { date: item.start, ...occurrence.bounds.start.info },
      end: { date: item.end, ...occurrence.bounds.end.info },
    }
  } else Object.assign(item, { from: season.from, to: season.to })
  return item
}

/*
 * Callers build a fresh calendar for each call: the index is kept by content (the holiday index,
 * itself kept by content, and a key of the season lists and decisions), so that a year's seasons
 * are resolved once per configuration, not on every incoming call.
 */
const MAX_INDEXES = 64
const indexes = new WeakMap<HolidayIndex, Map<string, SeasonIndex>>()

/** The (shared) season index of a desk's season lists and decisions. */
export function seasonIndexFor(
  country: Country | null,
  holidays: HolidayIndex,
  sources: readonly SeasonSource[],
  overrides: readonly SeasonOverride[],
): SeasonIndex {
  const key = JSON.stringify([
    sources.map((source) => [source.from, source.seasons.map((s) => [seasonKey(s), s.hijriMonth, s.from, s.to])]),
    overrides.map((o) => [o.seasonId, o.action, o.start, o.end, o.by, o.at]),
  ])
  let byKey = indexes.get(holidays)
  if (byKey === undefined) {
    byKey = new Map()
    indexes.set(holidays, byKey)
  }
  const known = byKey.get(key)
  if (known !== undefined) return known
  if (byKey.size >= MAX_INDEXES) byKey.clear()
  // copies: the index must not see later changes to the caller's lists (the weekly hours are read per call)
  const copy = sources.map((source) => ({ from: source.from, seasons: source.seasons.map((season) => ({ ...season })) }))
  const index = new SeasonIndex(
    country,
    holidays,
    copy,
    overrides.map((override) => ({ ...override })),
  )
  byKey.set(key, index)
  return index
}

/** Why a move of a Hijri season occurrence is refused, and the field at fault. */
export interface SeasonMoveProblem {
  code: 'season_bound_decided' | 'season_reversed'
  field: 'body.start' | 'body.end'
  message: string
}

/**
 * A manager moves a Hijri season occurrence's first and/or last day: the dates it would have. A
 * bound that a holiday fixes (Ramadan ends on the eve of Eid al-Fitr) moves only with that holiday,
 * one decision and one truth: asking another date for it is refused rather than recorded and then
 * silently overruled. Asking the date it already has is no problem (a form sends both bounds).
 */
export function moveSeason(
  season: SeasonOccurrence,
  asked: { start?: string | undefined; end?: string | undefined },
): { ok: true; start: string; end: string } | { ok: false; problem: SeasonMoveProblem } {
  for (const side of ['start', 'end'] as const) {
    const bound = season.bounds?.[side]
    const date = asked[side]
    if (date !== undefined && bound !== undefined && date !== bound.date && bound.decidedBy === 'holiday') {
      const decided = bound.by ? ` (decided by ${bound.by})` : ''
      return {
        ok: false,
        problem: {
          code: 'season_bound_decided',
          field: `body.${side}`,
          message: `the ${side === 'start' ? 'first' : 'last'} day of ${season.name} (${bound.date}) follows the holiday ${bound.holidayId}${decided}: move that holiday instead`,
        },
      }
    }
  }
  const start = asked.start ?? season.start
  const end = asked.end ?? season.end
  if (end < start)
    return {
      ok: false,
      problem: {
        code: 'season_reversed',
        field: 'body.end',
        message: `the season would end (${end}) before it starts (${start})`,
      },
    }
  return { ok: true, start, end }
}
