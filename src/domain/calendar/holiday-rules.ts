// Public holiday rules per country: fixed dates, Easter-based dates (FR) and lunar dates estimated with Intl's Umm al-Qura calendar (DZ).
import type { Country } from './schemas.js'
import { civilDateOf, dayNumberOf, type DayNumber } from './local-time.js'

export type HolidayStatus = 'estimated' | 'confirmed' | 'manual'

/** One occurrence of a holiday before any override: an id, a first day and a length. */
export interface Occurrence {
  id: string
  key: string
  name: string
  start: DayNumber
  days: number
  status: HolidayStatus
}

interface FixedRule {
  kind: 'fixed'
  key: string
  name: string
  month: number
  day: number
  /** the first year the law has it (Yennayer: 2018) */
  fromYear?: number
}
interface EasterRule {
  kind: 'easter'
  key: string
  name: string
  offset: number
}
interface LunarRule {
  kind: 'lunar'
  key: string
  name: string
  hijriMonth: number
  hijriDay: number
  days: number
  /** occurrences starting before `date` had `days` days (the Eids: two, before the law of 2023) */
  before?: { date: DayNumber; days: number }
}
type HolidayRule = FixedRule | EasterRule | LunarRule

const fixed = (key: string, name: string, month: number, day: number, fromYear?: number): FixedRule => ({
  kind: 'fixed',
  key,
  name,
  month,
  day,
  ...(fromYear === undefined ? {} : { fromYear }),
})

/**
 * The Eids' third day, adopted in April 2023: the first Eid of three days was Eid al-Adha 1444
 * (28 June 2023); Eid al-Fitr 1444 (21 April 2023) and every Eid before had two (docs/CALENDAR.md,
 * with sources).
 */
const THREE_DAY_EIDS_FROM = dayNumberOf(2023, 4, 30)

/**
 * DESIGN.md, Algeria (law 63-278 as amended: Yennayer since 2018, three days for each Eid since
 * 2023). The fixed dates are set by law, hence 'confirmed'; the lunar ones depend on moon
 * sighting, hence estimated.
 */
const DZ_RULES: readonly HolidayRule[] = [
  fixed('new-year', "Jour de l'an", 1, 1),
  fixed('yennayer', 'Yennayer', 1, 12, 2018),
  fixed('labour-day', 'Fête du Travail', 5, 1),
  fixed('independence-day', "Fête de l'Indépendance", 7, 5),
  fixed('revolution-day', 'Anniversaire du déclenchement de la Révolution', 11, 1),
  {
    kind: 'lunar',
    key: 'eid-al-fitr',
    name: 'Aïd el-Fitr',
    hijriMonth: 10,
    hijriDay: 1,
    days: 3,
    before: { date: THREE_DAY_EIDS_FROM, days: 2 },
  },
  {
    kind: 'lunar',
    key: 'eid-al-adha',
    name: 'Aïd el-Adha',
    hijriMonth: 12,
    hijriDay: 10,
    days: 3,
    before: { date: THREE_DAY_EIDS_FROM, days: 2 },
  },
  { kind: 'lunar', key: 'awal-muharram', name: 'Awal Moharram', hijriMonth: 1, hijriDay: 1, days: 1 },
  { kind: 'lunar', key: 'ashura', name: 'Achoura', hijriMonth: 1, hijriDay: 10, days: 1 },
  { kind: 'lunar', key: 'mawlid', name: 'Mawlid Ennabaoui', hijriMonth: 3, hijriDay: 12, days: 1 },
]

/** France's eleven public holidays (Code du travail L3133-1), computed exactly. */
const FR_RULES: readonly HolidayRule[] = [
  fixed('new-year', "Jour de l'an", 1, 1),
  { kind: 'easter', key: 'easter-monday', name: 'Lundi de Pâques', offset: 1 },
  fixed('labour-day', 'Fête du Travail', 5, 1),
  fixed('victory-day', 'Victoire 1945', 5, 8),
  { kind: 'easter', key: 'ascension', name: 'Ascension', offset: 39 },
  { kind: 'easter', key: 'whit-monday', name: 'Lundi de Pentecôte', offset: 50 },
  fixed('bastille-day', 'Fête nationale', 7, 14),
  fixed('assumption', 'Assomption', 8, 15),
  fixed('all-saints', 'Toussaint', 11, 1),
  fixed('armistice', 'Armistice 1918', 11, 11),
  fixed('christmas', 'Noël', 12, 25),
]

const RULES: Record<Country, readonly HolidayRule[]> = { DZ: DZ_RULES, FR: FR_RULES }

/** Easter Sunday of a Gregorian year, by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): DayNumber {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayNumberOf(year, month, day)
}

// Node's Umm al-Qura calendar: the closest estimate of the Algerian observed dates (DESIGN.md)
const hijriFormat = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
})

export interface HijriDate {
  year: number
  month: number
  day: number
}

export function hijriDateOf(dayNumber: DayNumber): HijriDate {
  const parts = hijriFormat.formatToParts(new Date(dayNumber * 86_400_000))
  const value = (type: string): number => Number(parts.find((part) => part.type === type)?.value)
  return { year: value('year'), month: value('month'), day: value('day') }
}

/** 1 Muharram 1 AH in the proleptic Gregorian calendar, and the mean lunar month. */
const HIJRA = dayNumberOf(622, 7, 19)
const MEAN_MONTH_DAYS = 29.530588853

/**
 * The first day of a Hijri month by the Umm al-Qura calendar (the estimate DESIGN.md uses for the
 * lunar holidays): the middle of the month by the mean lunar month lies well inside it (the
 * calendar strays a day or two from the mean), and its Hijri day says how far back the 1st is.
 */
export function hijriMonthStart(year: number, month: number): DayNumber {
  const middle = Math.round(HIJRA + ((year - 1) * 12 + (month - 1) + 0.5) * MEAN_MONTH_DAYS)
  return middle - hijriDateOf(middle).day + 1
}

/** The key of the country's holiday that falls on the 1st of a Hijri month (Eid al-Fitr opens Shawwal), if any. */
export function holidayOpeningHijriMonth(country: Country | null, hijriMonth: number): string | null {
  if (country === null) return null
  const rule = RULES[country].find((r) => r.kind === 'lunar' && r.hijriMonth === hijriMonth && r.hijriDay === 1)
  return rule?.key ?? null
}

/**
 * Hijri dates of every day of a Gregorian year, walked once and kept: the lunar rules look up
 * their first day in it, so an occurrence is found however often it falls in the year (twice
 * about every 33 years).
 */
const hijriYears = new Map<number, HijriDate[]>()

function hijriDatesOf(year: number): HijriDate[] {
  let dates = hijriYears.get(year)
  if (dates === undefined) {
    const [first, last] = [dayNumberOf(year, 1, 1), dayNumberOf(year, 12, 31)]
    dates = []
    for (let day = first; day <= last; day++) dates.push(hijriDateOf(day))
    hijriYears.set(year, dates)
  }
  return dates
}

function occurrencesOfRule(rule: HolidayRule, year: number): Occurrence[] {
  const base = { key: rule.key, name: rule.name }
  switch (rule.kind) {
    case 'fixed':
      if (rule.fromYear !== undefined && year < rule.fromYear) return []
      return [
        { ...base, id: `${rule.key}-${year}`, start: dayNumberOf(year, rule.month, rule.day), days: 1, status: 'confirmed' },
      ]
    case 'easter':
      return [{ ...base, id: `${rule.key}-${year}`, start: easterSunday(year) + rule.offset, days: 1, status: 'confirmed' }]
    case 'lunar': {
      const first = dayNumberOf(year, 1, 1)
      const found: Occurrence[] = []
      hijriDatesOf(year).forEach((hijri, index) => {
        if (hijri.month === rule.hijriMonth && hijri.day === rule.hijriDay) {
          const start = first + index
          const days = rule.before && start < rule.before.date ? rule.before.days : rule.days
          found.push({ ...base, id: `${rule.key}-${hijri.year}`, start, days, status: 'estimated' })
        }
      })
      return found
    }
  }
}

const occurrenceCache = new Map<string, readonly Occurrence[]>()

/** The occurrences of a country's holidays whose first day falls in a Gregorian year (cached). */
export function occurrencesStartingIn(country: Country, year: number): readonly Occurrence[] {
  const cacheKey = `${country}:${year}`
  let occurrences = occurrenceCache.get(cacheKey)
  if (occurrences === undefined) {
    occurrences = RULES[country].flatMap((rule) => occurrencesOfRule(rule, year))
    occurrenceCache.set(cacheKey, occurrences)
  }
  return occurrences
}

/** The Gregorian year of a day number. */
export function yearOf(dayNumber: DayNumber): number {
  return civilDateOf(dayNumber).year
}
