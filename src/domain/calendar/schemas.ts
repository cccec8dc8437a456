// Zod schemas of the desk calendar (weekly hours, closures, openings, holiday overrides), shared by the desk file and the API.
import { IANAZone } from 'luxon'
import { z } from 'zod'
import { dateSchema, instantSchema, spokenText, text } from '../boundary.js'
import { DAY_MINUTES, parseIsoDate } from './local-time.js'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const weekdaySchema = z.enum(WEEKDAYS)
export type Weekday = z.infer<typeof weekdaySchema>

/** An interval of wall-clock minutes; end > 1440 when it runs past midnight into the next date. */
export interface MinuteRange {
  start: number
  end: number
}

const CLOCK = /^(\d{2}):(\d{2})$/
const RANGE = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/

/** 'HH:MM' → minutes, 00:00–23:59, and 24:00 only where an end is meant. */
export function parseClock(text: string, asEnd: boolean): number | null {
  const match = CLOCK.exec(text)
  if (match === null) return null
  const minutes = Number(match[1]) * 60 + Number(match[2])
  if (Number(match[2]) > 59) return null
  if (minutes < DAY_MINUTES || (asEnd && minutes === DAY_MINUTES)) return minutes
  return null
}

/**
 * "HH:MM-HH:MM" → minutes from the start of its day. An end before the start runs past midnight
 * ("22:00-02:00" → 1320–1560); start === end is empty; "24:00" only ends. Throws the message
 * that the schema reports, so the two never disagree.
 */
export function parseTimeRange(text: string): MinuteRange {
  const known = parsedRanges.get(text)
  if (known !== undefined) return known
  const range = Object.freeze(readTimeRange(text))
  if (parsedRanges.size >= MAX_PARSED) parsedRanges.clear()
  parsedRanges.set(text, range)
  return range
}

// the calendar is compiled on every call (hot path): a desk's few interval texts are parsed once
const MAX_PARSED = 1024
const parsedRanges = new Map<string, MinuteRange>()

function readTimeRange(text: string): MinuteRange {
  const match = RANGE.exec(text)
  if (match === null) throw new RangeError(`expected "HH:MM-HH:MM", got "${text}"`)
  const [startText, endText] = [match[1] as string, match[2] as string]
  const start = parseClock(startText, false)
  if (start === null) {
    throw new RangeError(
      startText === '24:00'
        ? `interval "${text}" starts at 24:00; start it at 00:00`
        : `"${startText}" is not a time of day in "${text}"`,
    )
  }
  const end = parseClock(endText, true)
  if (end === null) throw new RangeError(`"${endText}" is not a time of day in "${text}"`)
  if (end === start) throw new RangeError(`interval "${text}" is empty`)
  return { start, end: end > start ? end : end + DAY_MINUTES }
}

/** The message parseTimeRange would throw, or null when the text is a valid interval. */
function timeRangeProblem(text: string): string | null {
  try {
    parseTimeRange(text)
    return null
  } catch (error) {
    return (error as Error).message
  }
}

export const timeRangeSchema = z.string().superRefine((text, ctx) => {
  const problem = timeRangeProblem(text)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

/** The first pair of overlapping intervals of one day, as the message the schemas report. */
function findOverlap(texts: readonly string[]): string | null {
  const ranges = texts.map((text) => ({ text, ...parseTimeRange(text) })).sort((a, b) => a.start - b.start)
  for (const [i, current] of ranges.entries()) {
    const previous = ranges[i - 1]
    if (previous && current.start < previous.end) return `"${previous.text}" overlaps "${current.text}"`
  }
  return null
}

function parsesAll(texts: readonly string[]): boolean {
  return texts.every((text) => timeRangeProblem(text) === null)
}

/** A day's intervals: each well formed, none overlapping another (touching is fine: 12:00-13:00 then 13:00-14:00). */
export const dayHoursSchema = z.array(timeRangeSchema).superRefine((texts, ctx) => {
  if (!parsesAll(texts)) return // already reported, one message per interval
  const overlap = findOverlap(texts)
  if (overlap !== null) ctx.addIssue({ code: 'custom', message: overlap })
})

/**
 * Weekly hours: weekday → intervals; a missing day is closed; unknown keys are refused. A
 * past-midnight tail must not overlap the next day's intervals (Sunday's runs into Monday).
 */
export const weeklyScheduleSchema = z.partialRecord(weekdaySchema, dayHoursSchema).superRefine((weekly, ctx) => {
  WEEKDAYS.forEach((weekday, index) => {
    const nextDay = WEEKDAYS[(index + 1) % 7] as Weekday
    const [today, tomorrow] = [weekly[weekday] ?? [], weekly[nextDay] ?? []]
    if (!parsesAll(today) || !parsesAll(tomorrow)) return
    for (const text of today) {
      const tailEnd = parseTimeRange(text).end - DAY_MINUTES
      if (tailEnd <= 0) continue
      const hit = tomorrow.find((other) => parseTimeRange(other).start < tailEnd)
      if (hit !== undefined) {
        ctx.addIssue({ code: 'custom', path: [weekday], message: `"${text}" on ${weekday} overlaps "${hit}" on ${nextDay}` })
      }
    }
  })
})
export type WeeklySchedule = z.infer<typeof weeklyScheduleSchema>

/** A date of the calendar: the boundary's date (one that exists, in the years the service knows). */
export const isoDateSchema = dateSchema

const clockSchema = (asEnd: boolean): z.ZodString =>
  z.string().superRefine((text, ctx) => {
    if (parseClock(text, asEnd) === null) {
      ctx.addIssue({ code: 'custom', message: `expected a time "HH:MM"${asEnd ? ' (24:00 allowed)' : ''}, got "${text}"` })
    }
  })

export const timezoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'must be an IANA time zone like Africa/Algiers',
})

export const countrySchema = z.enum(['DZ', 'FR'])
export type Country = z.infer<typeof countrySchema>

/** Who recorded a change and when (the issue: "who did it and when is recorded"). */
const recordedFields = {
  id: text(200).optional(),
  by: text(200).optional(),
  at: instantSchema.optional(),
}

const closureObjectSchema = z
  .strictObject({
    start: isoDateSchema,
    end: isoDateSchema.optional(),
    from: clockSchema(false).optional(),
    to: clockSchema(true).optional(),
    // Callers hear it ("exceptionnellement fermé : …").
    name: spokenText({ minMessage: 'a closure needs a name' }),
    yearly: z.boolean().optional(),
    ...recordedFields,
  })
  .superRefine((closure, ctx) => {
    const [start, end] = [parseIsoDate(closure.start), parseIsoDate(closure.end ?? closure.start)]
    if (start === null || end === null) return
    if (end < start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end "${closure.end}" is before start "${closure.start}"` })
      return
    }
    const from = parseClock(closure.from ?? '00:00', false)
    const to = parseClock(closure.to ?? '24:00', true)
    if (from !== null && to !== null && start === end && to <= from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `closure on ${closure.start} from "${closure.from ?? '00:00'}" to "${closure.to}" is empty`,
      })
    }
  })

/**
 * A closure: from `from` (default 00:00) on `start` to `to` (default 24:00) on `end` (default
 * `start`), continuous. DESIGN.md's desk file spells a one-day closure `{ "date": … }`, so `date`
 * is read as `start`.
 */
export const closureSchema = z.preprocess((input) => {
  if (typeof input !== 'object' || input === null || !('date' in input) || 'start' in input) return input
  const { date, ...rest } = input as Record<string, unknown>
  return { ...rest, start: date }
}, closureObjectSchema)
export type Closure = z.infer<typeof closureSchema>

/** An exceptional opening: `hours` on each date from `date` to `end` (default `date`), holidays or not. */
export const openingSchema = z
  .strictObject({
    date: isoDateSchema,
    end: isoDateSchema.optional(),
    hours: dayHoursSchema.min(1, 'an opening needs hours'),
    name: spokenText().optional(),
    ...recordedFields,
  })
  .superRefine((opening, ctx) => {
    const [start, end] = [parseIsoDate(opening.date), parseIsoDate(opening.end ?? opening.date)]
    if (start !== null && end !== null && end < start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end "${opening.end}" is before date "${opening.date}"` })
    }
  })
export type Opening = z.infer<typeof openingSchema>

/**
 * A decision about one holiday occurrence (DESIGN.md: a lunar holiday is first an estimate, and a
 * manager confirms or moves it; who did so is recorded). For 'add', `holidayId` is any new id.
 */
export const holidayOverrideSchema = z
  .strictObject({
    holidayId: text(200),
    action: z.enum(['confirm', 'move', 'add', 'remove']),
    start: isoDateSchema.optional(),
    days: z.number().int().min(1).max(31).optional(),
    name: spokenText().optional(),
    by: text(200),
    at: instantSchema,
  })
  .superRefine((override, ctx) => {
    if ((override.action === 'move' || override.action === 'add') && override.start === undefined) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: `"${override.action}" needs a start date` })
    }
    if (override.action === 'add' && override.name === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: '"add" needs a name' })
    }
  })
export type HolidayOverride = z.infer<typeof holidayOverrideSchema>

/** 'MM-DD' → { month, day }, or null when no year has that day (29 February is a day of leap years). */
export function parseMonthDay(text: string): { month: number; day: number } | null {
  const match = /^(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return null
  const [month, day] = [Number(match[1]), Number(match[2])]
  const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return daysIn !== undefined && day >= 1 && day <= daysIn ? { month, day } : null
}

const monthDaySchema = z.string().superRefine((text, ctx) => {
  if (parseMonthDay(text) === null) ctx.addIssue({ code: 'custom', message: `expected a month and day "MM-DD", got "${text}"` })
})

/** The key of a season's occurrences: its `id`, else its name as a slug ("Horaires d'été" → horaires-d-ete). */
export function seasonKey(season: { id?: string | undefined; name: string }): string {
  return season.id ?? (slugOf(season.name) || 'season')
}

/** Lowercase ASCII words joined by "-", at most 40 characters: for ids made from names. */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '')
}

/**
 * A season: weekly hours that replace the desk's for its dates each year. Either a whole Hijri
 * month (`hijriMonth`, 9 = Ramadan: from its 1st to its last day, the eve of the next month) or a
 * Gregorian month-day range (`from`, `to`, "MM-DD", both included; `to` before `from` crosses the
 * new year; a 29 February `from` is 1 March in other years, a 29 February `to` the 28th).
 */
export const seasonSchema = z
  .strictObject({
    /** the stable key of its occurrences (ramadan → ramadan-1447); by default made from the name */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits or "-" (at most 40)')
      .optional(),
    name: spokenText({ minMessage: 'a season needs a name' }),
    hijriMonth: z.number().int().min(1).max(12).optional(),
    from: monthDaySchema.optional(),
    to: monthDaySchema.optional(),
    weekly: weeklyScheduleSchema,
  })
  .superRefine((season, ctx) => {
    const gregorian = season.from !== undefined || season.to !== undefined
    if (season.hijriMonth !== undefined && gregorian) {
      ctx.addIssue({ code: 'custom', message: 'a season is a Hijri month ("hijriMonth") or dates ("from", "to"), not both' })
    } else if (season.hijriMonth === undefined && !gregorian) {
      ctx.addIssue({ code: 'custom', message: 'a season needs a "hijriMonth" (1-12) or "from" and "to" ("MM-DD")' })
    } else if (gregorian && (season.from === undefined || season.to === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [season.from === undefined ? 'from' : 'to'],
        message: 'a season with dates needs both "from" and "to"',
      })
    }
  })
export type Season = z.infer<typeof seasonSchema>

/** A desk's seasons: their keys unique (decisions are recorded against them). */
export const seasonsSchema = z.array(seasonSchema).superRefine((seasons, ctx) => {
  const seen = new Set<string>()
  seasons.forEach((season, index) => {
    const key = seasonKey(season)
    if (seen.has(key))
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `another season already has the key "${key}": give it an "id"`,
      })
    seen.add(key)
  })
})

/**
 * A decision about one occurrence of a Hijri season (ramadan-1447), like a holiday override:
 * `confirm` says the estimated first day is right; `move` sets the first day (`start`) and/or the
 * last (`end`). For each bound the latest decision that sets it wins. A month that opens with a
 * holiday of the desk's country (Eid al-Fitr opens Shawwal) takes that bound from the holiday once
 * it is decided: Ramadan ends the day before Eid al-Fitr.
 */
export const seasonOverrideSchema = z
  .strictObject({
    seasonId: z.string().min(1),
    action: z.enum(['confirm', 'move']),
    start: isoDateSchema.optional(),
    end: isoDateSchema.optional(),
    by: z.string().min(1),
    at: z.iso.datetime({ offset: true }),
  })
  .superRefine((override, ctx) => {
    if (override.action === 'move' && override.start === undefined && override.end === undefined) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: '"move" needs a start or an end date' })
    }
    const [start, end] = [parseIsoDate(override.start ?? ''), parseIsoDate(override.end ?? '')]
    if (start !== null && end !== null && end < start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end "${override.end}" is before start "${override.start}"` })
    }
  })
export type SeasonOverride = z.infer<typeof seasonOverrideSchema>

/**
 * New weekly hours from a local date on (model clause: the clause is revised with 30 days'
 * notice). A revision restates the weekly hours; `seasons`, when given, replace the seasons from
 * that date too (`[]` ends them); absent, the seasons in force carry on.
 */
export const weeklyChangeSchema = z.strictObject({
  from: isoDateSchema,
  weekly: weeklyScheduleSchema,
  seasons: seasonsSchema.optional(),
  /** the date of the signed amendment (docs/DESIGN.md, "Revisions") */
  agreedOn: isoDateSchema.optional(),
  /** the day the service first saw this change: set by the service, kept on export */
  recordedOn: isoDateSchema.optional(),
})
