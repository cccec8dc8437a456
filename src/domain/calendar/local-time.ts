// Local dates as day numbers and wall-clock ↔ UTC conversion in an IANA zone, fast on days without a DST change.
import { DateTime, IANAZone } from 'luxon'

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000
export const DAY_MINUTES = 1440

/** A local date as days since 1970-01-01 (the proleptic Gregorian calendar, no zone). */
export type DayNumber = number

export interface CivilDate {
  year: number
  month: number
  day: number
}

/**
 * Days since 1970-01-01 of a Gregorian date, by Howard Hinnant's days_from_civil (no Date object:
 * this runs several times per call on the hot path). Months and days overflow as Date.UTC's do
 * (month 13 = January of the next year, 31 February = 3 March), which contract periods rely on.
 */
export function dayNumberOf(year: number, month: number, day: number): DayNumber {
  const y = year + Math.floor((month - 1) / 12)
  const m = ((((month - 1) % 12) + 12) % 12) + 1
  const shifted = m <= 2 ? y - 1 : y
  const era = Math.floor(shifted / 400)
  const yearOfEra = shifted - era * 400
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5)
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468 + day - 1
}

/** The Gregorian date of a day number (Hinnant's civil_from_days). */
export function civilDateOf(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1 }
}

/** 'YYYY-MM-DD' → day number, or null when the text is not a real date (2025-02-29, 2026-13-01). */
export function parseIsoDate(text: string): DayNumber | null {
  const known = parsedDates.get(text)
  if (known !== undefined) return known
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  let dayNumber: DayNumber | null = null
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const candidate = dayNumberOf(year, month, day)
    const back = civilDateOf(candidate)
    if (back.month === month && back.day === day) dayNumber = candidate
  }
  if (parsedDates.size >= MAX_PARSED_DATES) parsedDates.clear()
  parsedDates.set(text, dayNumber)
  return dayNumber
}

// closures and openings are compiled on every call (hot path): their dates are parsed once
const MAX_PARSED_DATES = 4096
const parsedDates = new Map<string, DayNumber | null>()

export function isoDateOf(dayNumber: DayNumber): string {
  let text = isoDates.get(dayNumber)
  if (text === undefined) {
    const { year, month, day } = civilDateOf(dayNumber)
    text = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`
    if (isoDates.size >= MAX_PARSED_DATES) isoDates.clear()
    isoDates.set(dayNumber, text)
  }
  return text
}

// every call asks for its local date several times (decision, month, talk counted): written once a day
const isoDates = new Map<DayNumber, string>()

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekdayIndexOf(dayNumber: DayNumber): number {
  return (((dayNumber + 3) % 7) + 7) % 7
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0')
}

const MAX_CACHED_DAYS = 4096
const LOOKAROUND_MS = 14 * 3_600_000 // UTC offsets lie within −12 h … +14 h

/**
 * Wall-clock arithmetic in one zone. A day whose UTC offset is the same 14 h before its start and
 * 14 h after its end has no transition (zones change offset at most twice a year), so its
 * conversions are a subtraction; other days go through luxon, whose rules we follow there.
 * Offsets are remembered per day because deskStatus runs on the incoming-call hot path.
 */
export class LocalTime {
  readonly zone: string
  private readonly iana: IANAZone
  private readonly dayOffsets = new Map<DayNumber, number | null>()

  constructor(zone: string) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone "${zone}"`)
    this.zone = zone
    this.iana = IANAZone.create(zone)
  }

  /** The offset (minutes) valid through the whole local day, or null when it changes that day. */
  private steadyOffset(dayNumber: DayNumber): number | null {
    const known = this.dayOffsets.get(dayNumber)
    if (known !== undefined) return known
    const before = this.iana.offset(dayNumber * DAY_MS - LOOKAROUND_MS)
    const after = this.iana.offset((dayNumber + 1) * DAY_MS + LOOKAROUND_MS)
    const offset = before === after ? before : null
    if (this.dayOffsets.size >= MAX_CACHED_DAYS) this.dayOffsets.clear()
    this.dayOffsets.set(dayNumber, offset)
    return offset
  }

  /** UTC offset in minutes at an instant. */
  offsetAt(instant: number): number {
    return this.steadyOffset(Math.floor(instant / DAY_MS)) ?? this.iana.offset(instant)
  }

  /** The local date and the local minute of the day (fractional) at an instant. */
  localAt(instant: number): { dayNumber: DayNumber; minute: number } {
    const wall = instant + this.offsetAt(instant) * MINUTE_MS
    const dayNumber = Math.floor(wall / DAY_MS)
    return { dayNumber, minute: (wall - dayNumber * DAY_MS) / MINUTE_MS }
  }

  // the last local date asked for and the instants it spans (a day without a transition only)
  private dateFrom = Number.POSITIVE_INFINITY
  private dateUntil = Number.NEGATIVE_INFINITY
  private date = ''

  /** The instants [from, until) a local date spans when its offset holds all day; null on a day with a transition. */
  steadySpan(dayNumber: DayNumber): { from: number; until: number } | null {
    const offset = this.steadyOffset(dayNumber)
    if (offset === null) return null
    const from = dayNumber * DAY_MS - offset * MINUTE_MS
    return { from, until: from + DAY_MS }
  }

  /** The local date (YYYY-MM-DD) at an instant: the day's text is kept with the instants it spans, which the next call most often falls in. */
  dateAt(instant: number): string {
    if (instant >= this.dateFrom && instant < this.dateUntil) return this.date
    const { dayNumber } = this.localAt(instant)
    const date = isoDateOf(dayNumber)
    const span = this.steadySpan(dayNumber)
    if (span !== null) {
      this.dateFrom = span.from
      this.dateUntil = span.until
      this.date = date
    }
    return date
  }

  /** The instant of a wall-clock minute (0–1440) of a local date; a nonexistent time shifts forward as luxon does. */
  instantOf(dayNumber: DayNumber, minute: number): number {
    if (minute >= DAY_MINUTES) return this.instantOf(dayNumber + 1, minute - DAY_MINUTES)
    const offset = this.steadyOffset(dayNumber)
    if (offset !== null) return dayNumber * DAY_MS + (minute - offset) * MINUTE_MS
    const { year, month, day } = civilDateOf(dayNumber)
    const hour = Math.floor(minute / 60)
    return DateTime.fromObject({ year, month, day, hour, minute: minute - hour * 60 }, { zone: this.iana }).toMillis()
  }
}

const zones = new Map<string, LocalTime>()

/** One LocalTime per zone for the process, so its day cache survives across calls. */
export function localTimeIn(zone: string): LocalTime {
  let local = zones.get(zone)
  if (local === undefined) {
    local = new LocalTime(zone)
    zones.set(zone, local)
  }
  return local
}

/**
 * The local date (YYYY-MM-DD) of an instant in a zone, as luxon's toISODate gives it, through the
 * zone's cached day offsets: every incoming call and every replayed one asks for it.
 */
export function localDateIn(instant: number, zone: string): string {
  return localTimeIn(zone).dateAt(instant)
}
