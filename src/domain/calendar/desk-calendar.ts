// A desk's calendar at instants: open windows day by day, and open or closed (with the reason and next opening) at an instant.
/*
 * Open time = ((weekly intervals − holiday dates) ∪ exceptional openings) − closures − closedNow,
 * where a season's weekly intervals replace the desk's on the dates it covers (seasons.ts).
 *
 * - Every wall-clock time is local to the desk's IANA zone. Intervals are half-open: 16:00 sharp is closed.
 * - An interval belongs to the date it starts on; one that runs past midnight ("22:00-02:00") has a
 *   tail on the next date. A holiday closes its whole local date, 00:00–24:00: it cuts the intervals
 *   starting that date and the tail running into it, but not the tail running out of it.
 * - An exceptional opening adds its hours on each date from `date` to `end`, holiday or not.
 * - A closure runs continuously from `from` (default 00:00) on `start` to `to` (default 24:00) on
 *   `end` (default `start`), so it may cross midnight; `yearly` repeats it on the same month-days
 *   every year from its first (a 29 February start only in leap years; a 29 February end is the 28th
 *   in other years).
 * - closedNow closes everything from `since` until it is switched off.
 * - DST: wall-clock bounds become instants as luxon converts them: a nonexistent time (02:30 on the
 *   spring-forward night in Europe/Paris) moves forward an hour, an ambiguous one (02:30 on the
 *   fall-back night) is the later, standard-time one.
 * - Windows are computed one local date at a time, only as far as the question needs, and no
 *   further than SEARCH_DAYS ahead: a desk with no hours answers "never" (null) instead of looping.
 */
import { holidayIndexFor, type HolidayIndex } from './holidays.js'
import {
  DAY_MINUTES,
  dayNumberOf,
  civilDateOf,
  localTimeIn,
  parseIsoDate,
  weekdayIndexOf,
  type DayNumber,
  type LocalTime,
} from './local-time.js'
import { mergeRanges, subtractRanges, type Range } from './minute-ranges.js'
import {
  parseClock,
  parseTimeRange,
  WEEKDAYS,
  type Closure,
  type Country,
  type HolidayOverride,
  type Opening,
  type Season,
  type SeasonOverride,
  type WeeklySchedule,
} from './schemas.js'
import { occurrenceOf, seasonIndexFor, type SeasonIndex, type SeasonOccurrence, type SeasonSource } from './seasons.js'

/** How far ahead the next opening (and working time) is searched before answering "never". */
export const SEARCH_DAYS = 400

/** A change of the weekly hours from a local date on (model clause: revised with 30 days' notice). */
export interface WeeklyChange {
  from: string
  weekly: WeeklySchedule
  /** when given, the seasons from this date on (absent: the seasons in force carry on) */
  seasons?: Season[] | undefined
}

export interface DeskCalendar {
  timezone: string
  weekly: WeeklySchedule
  /** later weekly hours, each in force from its date until the next change */
  weeklyChanges?: readonly WeeklyChange[]
  /** weekly hours that replace the desk's on their dates each year (Ramadan, summer hours) */
  seasons?: readonly Season[]
  /** managers' decisions on the occurrences of Hijri seasons (confirm, move) */
  seasonOverrides?: readonly SeasonOverride[]
  country: Country | null
  /** shipped observed data + the desk's own, concatenated by the caller */
  holidayOverrides: readonly HolidayOverride[]
  closures: readonly Closure[]
  openings: readonly Opening[]
  /** the emergency switch: closed from `since` until switched off */
  closedNow?: { since: string; by: string; reason?: string } | null
}

export interface Window {
  start: Date
  end: Date
}

export type ClosedReason = 'outside_hours' | 'holiday' | 'closure'

export interface DeskStatus {
  open: boolean
  reason: 'open' | ClosedReason
  /** the holiday's name when reason is 'holiday' */
  holiday?: string
  /** and its rule's key (eid-al-fitr), by which each language names it */
  holidayKey?: string
  /** the closure's name (or the closed-now reason) when reason is 'closure' */
  closure?: string
  /** when closed: the start of the first open window after the instant; null when open or "never" */
  nextOpening: Date | null
  /** when open: the end of the current window (absent if it runs past the search bound) */
  closesAt?: Date
}

interface LabelledRange extends Range {
  name: string
}

interface YearlyClosure {
  firstYear: number
  startMonth: number
  startDay: number
  from: number
  spanYears: number
  endMonth: number
  endDay: number
  to: number
  name: string
}

interface CompiledOpening {
  first: DayNumber
  last: DayNumber
  ranges: Range[]
}

interface CompiledCalendar {
  local: LocalTime
  /** the weekly hours in force from each date (the first from the beginning of time), latest last */
  weeklies: { from: DayNumber; weekly: Range[][] }[]
  holidays: HolidayIndex
  /** the seasons in force date by date (null: the desk has none), and their lists (weekly hours compiled when first met) */
  seasons: SeasonIndex | null
  seasonSources: SeasonSource[]
  seasonWeeklies: Map<Season, Range[][]>
  /** closures as wall-clock minute stamps (day number × 1440 + minute) */
  closures: LabelledRange[]
  yearly: YearlyClosure[]
  openings: CompiledOpening[]
  /** the last date that can hold open time: none after it without weekly hours or after closed now */
  lastOpenDay: DayNumber
  closedSince: number
  closedReason: string | undefined
  /** a fixed calendar's open time by local date, as computed (null: computed afresh each time) */
  openDays: Map<DayNumber, Range[]> | null
  /** a fixed calendar's last date asked about by deskStatus, with the instants it spans (a day without a transition) */
  lastDay: OpenDay | null
}

/** A local date's open pieces, the instants [from, until) the date spans, and its next midnight. */
interface OpenDay {
  day: DayNumber
  from: number
  until: number
  pieces: Range[]
  midnight: number
}

function compileWeekly(weekly: WeeklySchedule): Range[][] {
  const own = WEEKDAYS.map((weekday) => (weekly[weekday] ?? []).map(parseTimeRange))
  return own.map((ranges, index) => {
    const previous = own[(index + 6) % 7] as Range[]
    const tails = previous.filter((range) => range.end > DAY_MINUTES).map((range) => ({ start: 0, end: range.end - DAY_MINUTES }))
    return mergeRanges([...ranges.map((range) => ({ start: range.start, end: Math.min(range.end, DAY_MINUTES) })), ...tails])
  })
}

function dateOf(text: string): DayNumber {
  const day = parseIsoDate(text)
  if (day === null) throw new RangeError(`expected a date "YYYY-MM-DD", got "${text}"`)
  return day
}

function clockOf(text: string | undefined, fallback: number, asEnd: boolean): number {
  if (text === undefined) return fallback
  const minutes = parseClock(text, asEnd)
  if (minutes === null) throw new RangeError(`expected a time "HH:MM", got "${text}"`)
  return minutes
}

function compileClosures(closures: readonly Closure[]): { closures: LabelledRange[]; yearly: YearlyClosure[] } {
  const once: LabelledRange[] = []
  const yearly: YearlyClosure[] = []
  for (const closure of closures) {
    const [start, end] = [dateOf(closure.start), dateOf(closure.end ?? closure.start)]
    const [from, to] = [clockOf(closure.from, 0, false), clockOf(closure.to, DAY_MINUTES, true)]
    if (closure.yearly === true) {
      const [first, last] = [civilDateOf(start), civilDateOf(end)]
      yearly.push({
        firstYear: first.year,
        startMonth: first.month,
        startDay: first.day,
        from,
        spanYears: last.year - first.year,
        endMonth: last.month,
        endDay: last.day,
        to,
        name: closure.name,
      })
    } else {
      once.push({ start: start * DAY_MINUTES + from, end: end * DAY_MINUTES + to, name: closure.name })
    }
  }
  return { closures: once, yearly }
}

function compileOpenings(openings: readonly Opening[]): CompiledOpening[] {
  return openings.map((opening) => ({
    first: dateOf(opening.date),
    last: dateOf(opening.end ?? opening.date),
    ranges: opening.hours.map(parseTimeRange),
  }))
}

/** The season lists in force from their dates (the schedule's, then the revisions that carry some); none when no list has a season. */
function seasonSourcesOf(calendar: DeskCalendar): SeasonSource[] {
  const sources: SeasonSource[] = [{ from: Number.NEGATIVE_INFINITY, seasons: calendar.seasons ?? [] }]
  for (const change of calendar.weeklyChanges ?? []) {
    if (change.seasons !== undefined) sources.push({ from: dateOf(change.from), seasons: change.seasons })
  }
  sources.sort((a, b) => a.from - b.from)
  return sources.some((source) => source.seasons.length > 0) ? sources : []
}

function seasonIndexOf(calendar: DeskCalendar, holidays: HolidayIndex, sources: readonly SeasonSource[]): SeasonIndex | null {
  return sources.length === 0 ? null : seasonIndexFor(calendar.country, holidays, sources, calendar.seasonOverrides ?? [])
}

/** Fixed calendars (fixedCalendar) and their compiled form, kept for as long as the calendar lives. */
const compiledOnce = new WeakMap<DeskCalendar, CompiledCalendar>()
const MAX_OPEN_DAYS = 4096

/**
 * A calendar that will not change, compiled once: it is deep-frozen (a change in place throws,
 * so nothing can answer from a stale compilation), and deskStatus, openWindows and hoursOn on it
 * reuse its compiled form and each date's open time. For the what-if replay, which decides up to
 * a million calls on a few calendars; live calls build a fresh calendar for each call.
 */
export function fixedCalendar<T extends DeskCalendar>(calendar: T): T {
  if (compiledOnce.has(calendar)) return calendar
  deepFreeze(calendar)
  compiledOnce.set(calendar, { ...compileFresh(calendar), openDays: new Map() })
  return calendar
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const inner of Object.values(value)) deepFreeze(inner)
}

function compile(calendar: DeskCalendar): CompiledCalendar {
  return compiledOnce.get(calendar) ?? compileFresh(calendar)
}

function compileFresh(calendar: DeskCalendar): CompiledCalendar {
  const since = calendar.closedNow ? Date.parse(calendar.closedNow.since) : Number.POSITIVE_INFINITY
  if (Number.isNaN(since)) throw new RangeError(`closedNow.since is not an instant: "${calendar.closedNow?.since}"`)
  const local = localTimeIn(calendar.timezone)
  const weeklies = [
    { from: Number.NEGATIVE_INFINITY, weekly: compileWeekly(calendar.weekly) },
    ...(calendar.weeklyChanges ?? [])
      .map((change) => ({ from: dateOf(change.from), weekly: compileWeekly(change.weekly) }))
      .sort((a, b) => a.from - b.from),
  ]
  const openings = compileOpenings(calendar.openings)
  const holidays = holidayIndexFor(calendar.country, calendar.holidayOverrides)
  const sources = seasonSourcesOf(calendar)
  // so that a desk without hours, or closed now, answers "never" without walking the search bound
  const lastOpening = Math.max(Number.NEGATIVE_INFINITY, ...openings.map((opening) => opening.last + 1))
  const hasHours =
    weeklies.some(({ weekly }) => weekly.some((ranges) => ranges.length > 0)) ||
    sources.some((source) => source.seasons.some((season) => Object.values(season.weekly).some((day) => day.length > 0)))
  const lastByHours = hasHours ? Number.POSITIVE_INFINITY : lastOpening
  const lastBySwitch = Number.isFinite(since) ? local.localAt(since).dayNumber : Number.POSITIVE_INFINITY
  return {
    local,
    weeklies,
    holidays,
    seasons: seasonIndexOf(calendar, holidays, sources),
    seasonSources: sources,
    seasonWeeklies: new Map(),
    ...compileClosures(calendar.closures),
    openings,
    lastOpenDay: Math.min(lastByHours, lastBySwitch),
    closedSince: since,
    closedReason: calendar.closedNow?.reason,
    openDays: null,
    lastDay: null,
  }
}

/** A month-day of a year as a day number; null when it does not exist that year (29 February). */
function monthDayIn(year: number, month: number, day: number): DayNumber | null {
  const dayNumber = dayNumberOf(year, month, day)
  return civilDateOf(dayNumber).day === day ? dayNumber : null
}

/** The closures (as minute stamps) that touch a local date, yearly ones unfolded for the years concerned. */
function closuresAround(calendar: CompiledCalendar, day: DayNumber): LabelledRange[] {
  const [dayStart, dayEnd] = [day * DAY_MINUTES, (day + 1) * DAY_MINUTES]
  const touching = calendar.closures.filter((closure) => closure.start < dayEnd && closure.end > dayStart)
  if (calendar.yearly.length === 0) return touching
  const year = civilDateOf(day).year
  for (const closure of calendar.yearly) {
    for (let first = year - closure.spanYears; first <= year; first++) {
      const start = first < closure.firstYear ? null : monthDayIn(first, closure.startMonth, closure.startDay)
      if (start === null) continue
      const endYear = first + closure.spanYears
      // a 29 February end falls back to the 28th when the year has none
      const end = monthDayIn(endYear, closure.endMonth, closure.endDay) ?? dayNumberOf(endYear, 3, 1) - 1
      const range = { start: start * DAY_MINUTES + closure.from, end: end * DAY_MINUTES + closure.to, name: closure.name }
      if (range.start < dayEnd && range.end > dayStart) touching.push(range)
    }
  }
  return touching
}

function openingsOn(calendar: CompiledCalendar, day: DayNumber): Range[] {
  const ranges: Range[] = []
  for (const opening of calendar.openings) {
    if (day >= opening.first && day <= opening.last) {
      for (const range of opening.ranges) ranges.push({ start: range.start, end: Math.min(range.end, DAY_MINUTES) })
    }
    if (day - 1 >= opening.first && day - 1 <= opening.last) {
      for (const range of opening.ranges) if (range.end > DAY_MINUTES) ranges.push({ start: 0, end: range.end - DAY_MINUTES })
    }
  }
  return ranges
}

/** The weekly hours in force on a date: its season's, else the desk's (a change's or a season's first date already follows it, tails included). */
function weeklyOf(calendar: CompiledCalendar, day: DayNumber): Range[][] {
  const season = calendar.seasons?.on(day) ?? null
  if (season !== null) {
    const own = calendar.seasonSources[season.source]?.seasons[season.season] as Season
    let weekly = calendar.seasonWeeklies.get(own)
    if (weekly === undefined) {
      weekly = compileWeekly(own.weekly)
      calendar.seasonWeeklies.set(own, weekly)
    }
    return weekly
  }
  let weekly = calendar.weeklies[0]?.weekly as Range[][]
  for (const change of calendar.weeklies) if (change.from <= day) weekly = change.weekly
  return weekly
}

/** The weekly hours (as written) in force on a local date, and the season they come from (null: the desk's own). */
export function hoursOn(calendar: DeskCalendar, date: string): { weekly: WeeklySchedule; season: SeasonOccurrence | null } {
  const fixed = compiledOnce.get(calendar)
  const sources = fixed?.seasonSources ?? seasonSourcesOf(calendar)
  const index = fixed
    ? fixed.seasons
    : seasonIndexOf(calendar, holidayIndexFor(calendar.country, calendar.holidayOverrides), sources)
  const hit = index?.on(dateOf(date)) ?? null
  if (hit !== null) {
    const season = sources[hit.source]?.seasons[hit.season] as Season
    return { weekly: season.weekly, season: occurrenceOf(hit, season) }
  }
  let weekly = calendar.weekly
  let latest = ''
  for (const change of calendar.weeklyChanges ?? []) {
    if (change.from <= date && change.from >= latest) [weekly, latest] = [change.weekly, change.from]
  }
  return { weekly, season: null }
}

/** The weekly hours (as written) in force on a local date, a season's included: for the sentence a caller hears. */
export function weeklyOn(calendar: DeskCalendar, date: string): WeeklySchedule {
  return hoursOn(calendar, date).weekly
}

/**
 * The occurrences of the desk's seasons that apply on some date of a Gregorian year, in the order
 * they first apply (a season wholly hidden by an earlier one of its list is not listed), each with
 * the weekly hours of the list in force on that first date.
 */
export function seasonsForYear(calendar: DeskCalendar, year: number): SeasonOccurrence[] {
  const sources = seasonSourcesOf(calendar)
  const index = seasonIndexOf(calendar, holidayIndexFor(calendar.country, calendar.holidayOverrides), sources)
  if (index === null) return []
  const found = new Map<string, SeasonOccurrence>()
  for (let day = dayNumberOf(year, 1, 1); day <= dayNumberOf(year, 12, 31); day++) {
    const hit = index.on(day)
    if (hit === null || found.has(hit.occurrence.id)) continue
    found.set(hit.occurrence.id, occurrenceOf(hit, sources[hit.source]?.seasons[hit.season] as Season))
  }
  return [...found.values()]
}

/** The open time within one local date (00:00–24:00 wall clock), as sorted, merged UTC millisecond ranges. */
function openOn(calendar: CompiledCalendar, day: DayNumber): Range[] {
  const { openDays } = calendar
  if (openDays === null) return openOnFresh(calendar, day)
  let ranges = openDays.get(day)
  if (ranges === undefined) {
    ranges = openOnFresh(calendar, day)
    if (openDays.size >= MAX_OPEN_DAYS) openDays.clear()
    openDays.set(day, ranges)
  }
  return ranges
}

function openOnFresh(calendar: CompiledCalendar, day: DayNumber): Range[] {
  const weekly = calendar.holidays.on(day).length > 0 ? [] : (weeklyOf(calendar, day)[weekdayIndexOf(day)] as Range[])
  const extra = calendar.openings.length === 0 ? [] : openingsOn(calendar, day)
  let minutes = extra.length === 0 ? weekly : mergeRanges([...weekly, ...extra])
  if (minutes.length === 0) return []
  if (calendar.closures.length > 0 || calendar.yearly.length > 0) {
    const offset = day * DAY_MINUTES
    const cuts = closuresAround(calendar, day).map((closure) => ({ start: closure.start - offset, end: closure.end - offset }))
    minutes = subtractRanges(minutes, cuts)
  }
  const instants = minutes.map((range) => ({
    start: calendar.local.instantOf(day, range.start),
    end: Math.min(calendar.local.instantOf(day, range.end), calendar.closedSince),
  }))
  // DST can make wall-clock order and instant order disagree around a gap: sort and join again
  return mergeRanges(instants)
}

/**
 * Open windows in instant order from `from` (clipped to it), joined across midnight, computed one
 * date at a time through `lastDay`. A window still open at the end of `lastDay` ends at +∞.
 */
function* windowsFrom(calendar: CompiledCalendar, from: number, lastDay: DayNumber): Generator<Range, void, undefined> {
  let pending = null as Range | null
  const last = Math.min(lastDay, calendar.lastOpenDay)
  for (let day = calendar.local.localAt(from).dayNumber; day <= last; day++) {
    for (const piece of openOn(calendar, day)) {
      if (piece.end <= from) continue
      if (pending !== null && piece.start <= pending.end) {
        pending.end = Math.max(pending.end, piece.end)
        continue
      }
      if (pending !== null) yield pending
      pending = { start: Math.max(piece.start, from), end: piece.end }
    }
    // only a window reaching midnight can continue into the next date
    if (pending !== null && pending.end < calendar.local.instantOf(day + 1, 0)) {
      yield pending
      pending = null
    }
  }
  if (pending !== null) yield { start: pending.start, end: Number.POSITIVE_INFINITY }
}

/** Open windows of [from, to): sorted, merged, clipped. */
export function openWindows(calendar: DeskCalendar, from: Date, to: Date): Window[] {
  const compiledCalendar = compile(calendar)
  const [start, end] = [from.getTime(), to.getTime()]
  const windows: Window[] = []
  if (end <= start) return windows
  for (const window of windowsFrom(compiledCalendar, start, compiledCalendar.local.localAt(end).dayNumber)) {
    if (window.start >= end) break
    windows.push({ start: new Date(window.start), end: new Date(Math.min(window.end, end)) })
  }
  return windows
}

/** The first open window containing or following an instant, within the search bound. */
function windowAtOrAfter(calendar: CompiledCalendar, at: number): Range | null {
  const first = windowsFrom(calendar, at, calendar.local.localAt(at).dayNumber + SEARCH_DAYS).next()
  return first.done === true ? null : first.value
}

/** Iterates the open windows from an instant, within the search bound (for working-time arithmetic). */
export function windowsAfter(calendar: DeskCalendar, at: number): Iterable<Range> {
  const compiledCalendar = compile(calendar)
  return windowsFrom(compiledCalendar, at, compiledCalendar.local.localAt(at).dayNumber + SEARCH_DAYS)
}

/** Why the desk is closed at an instant: closure (or closed now), else a holiday not opened exceptionally, else the hours. */
function closedReason(calendar: CompiledCalendar, at: number): Pick<DeskStatus, 'reason' | 'holiday' | 'holidayKey' | 'closure'> {
  if (at >= calendar.closedSince) {
    return calendar.closedReason === undefined ? { reason: 'closure' } : { reason: 'closure', closure: calendar.closedReason }
  }
  const { dayNumber, minute } = calendar.local.localAt(at)
  const stamp = dayNumber * DAY_MINUTES + minute
  const closure = closuresAround(calendar, dayNumber).find((range) => range.start <= stamp && stamp < range.end)
  if (closure !== undefined) return { reason: 'closure', closure: closure.name }
  const holiday = calendar.holidays.on(dayNumber)[0]
  const opensThatDay = calendar.openings.some((opening) => dayNumber >= opening.first && dayNumber <= opening.last)
  if (holiday !== undefined && !opensThatDay) return { reason: 'holiday', holiday: holiday.name, holidayKey: holiday.key }
  return { reason: 'outside_hours' }
}

/**
 * When the instant lies in an open piece of its own date (remembered: a fixed calendar's) that
 * closes before midnight, and no other piece joins it: the end of that window, as windowAtOrAfter
 * would find it, without walking the dates. Null otherwise (closed, or a window that may run on).
 */
function openWithinDay(calendar: CompiledCalendar, instant: number): number | null {
  let today = calendar.lastDay
  if (today === null || instant < today.from || instant >= today.until) {
    const day = calendar.local.localAt(instant).dayNumber
    const span = calendar.local.steadySpan(day)
    const midnight = calendar.local.instantOf(day + 1, 0)
    today = { day, from: span?.from ?? instant, until: span?.until ?? instant, pieces: openOn(calendar, day), midnight }
    if (span !== null) calendar.lastDay = today
  }
  const { day, pieces } = today
  if (day > calendar.lastOpenDay) return null
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index] as Range
    if (piece.end <= instant) continue
    if (piece.start > instant) return null
    const next = pieces[index + 1]
    if (next !== undefined && next.start <= piece.end) return null
    return piece.end < today.midnight ? piece.end : null
  }
  return null
}

/** Open or closed at an instant, why, and when it next opens (or closes). */
export function deskStatus(calendar: DeskCalendar, at: Date): DeskStatus {
  const compiledCalendar = compile(calendar)
  const instant = at.getTime()
  const open = compiledCalendar.openDays === null ? null : openWithinDay(compiledCalendar, instant)
  if (open !== null) return { open: true, reason: 'open', nextOpening: null, closesAt: new Date(open) }
  const window = windowAtOrAfter(compiledCalendar, instant)
  if (window !== null && window.start <= instant) {
    const status: DeskStatus = { open: true, reason: 'open', nextOpening: null }
    if (Number.isFinite(window.end)) status.closesAt = new Date(window.end)
    return status
  }
  return { open: false, ...closedReason(compiledCalendar, instant), nextOpening: window === null ? null : new Date(window.start) }
}
