// Spoken sentences for callers: the opening hours (a season's included), from the schedule itself, and the next opening, in each language's words.
import type { LanguageTag } from '../language.js'
import { catalogueOf } from '../messages.js'
import type { OpeningDay, SpokenCalendar } from '../messages/catalogue.js'
import { civilDateOf, DAY_MINUTES, localTimeIn, weekdayIndexOf } from './local-time.js'
import { mergeRanges, type Range } from './minute-ranges.js'
import { parseTimeRange, WEEKDAYS, type WeeklySchedule } from './schemas.js'

/** BCP-47, like 'fr-FR', 'en-US' or 'ar'; a language supportline does not speak is spoken in French (DESIGN.md). */
export type Language = LanguageTag

function wordsOf(lang: Language): SpokenCalendar {
  return catalogueOf(lang).calendar
}

/** A wall-clock time as spoken: 570 → "9 h 30", "9:30 am", "التاسعة والنصف صباحاً"; midnight by name. Ends past midnight wrap (1560 → "2 h"). */
export function formatClock(minutes: number, lang: Language): string {
  return wordsOf(lang).clock(minutes)
}

/** Runs of consecutive weekdays, read cyclically (Saturday → Wednesday is one run). */
function cyclicRuns(days: readonly number[]): number[][] {
  const inGroup = new Set(days)
  const runs: number[][] = []
  for (const first of days) {
    if (inGroup.has((first + 6) % 7)) continue
    const run = [first]
    for (let next = (first + 1) % 7; inGroup.has(next); next = (next + 1) % 7) run.push(next)
    runs.push(run)
  }
  return runs
}

function hoursPhrase(ranges: readonly Range[], words: SpokenCalendar): string {
  const [only, ...others] = ranges
  if (others.length === 0 && only?.start === 0 && only.end === DAY_MINUTES) return words.aroundTheClock
  return words.list(ranges.map((range) => words.span(range.start, range.end)))
}

interface HoursGroup {
  days: number[]
  ranges: Range[]
}

/** Weekdays with the same hours, the largest group first (then in week order). */
function groupsOf(weekly: WeeklySchedule): HoursGroup[] {
  const groups = new Map<string, HoursGroup>()
  WEEKDAYS.forEach((weekday, index) => {
    const ranges = mergeRanges((weekly[weekday] ?? []).map(parseTimeRange))
    if (ranges.length === 0) return
    const key = ranges.map((range) => `${range.start}-${range.end}`).join(',')
    const group = groups.get(key) ?? { days: [], ranges }
    group.days.push(index)
    groups.set(key, group)
  })
  return [...groups.values()].sort((a, b) => b.days.length - a.days.length)
}

/** What a season says of its dates: a Hijri month, or a Gregorian month-day range ("MM-DD"). */
export interface SpokenSeason {
  hijriMonth?: number | undefined
  from?: string | undefined
  to?: string | undefined
}

function monthDayOf(text: string): { month: number; day: number } {
  return { month: Number(text.slice(0, 2)), day: Number(text.slice(3, 5)) }
}

/** "Pendant le Ramadan", "Du 1er juillet au 31 août": how the sentence of a season's hours opens. */
function duringPhrase(season: SpokenSeason, words: SpokenCalendar): string {
  if (season.hijriMonth !== undefined) return words.duringHijriMonth(season.hijriMonth)
  // a season that is not a Hijri month has both dates (the schema says so)
  return words.duringDates(monthDayOf(season.from as string), monthDayOf(season.to as string))
}

/**
 * The opening hours as one sentence, e.g. "Le service d'assistance est ouvert du samedi au
 * mercredi, de 9 h 30 à 12 h et de 13 h 15 à 16 h."; with the season whose hours these are,
 * "Pendant le Ramadan, le service d'assistance est ouvert du samedi au mercredi, de 9 h à 14 h."
 * Days with the same hours are grouped, read cyclically; a schedule without hours says so.
 */
export function describeHours(weekly: WeeklySchedule, lang: Language, season: SpokenSeason | null = null): string {
  const words = wordsOf(lang)
  const during = season === null ? null : duringPhrase(season, words)
  const groups = groupsOf(weekly)
  if (groups.length === 0) return words.closed(during)
  const phrases = groups.map((group) => {
    const days = group.days.length === 7 ? words.everyDay : words.list(cyclicRuns(group.days).map((run) => words.dayRun(run)))
    return words.group(days, hoursPhrase(group.ranges, words))
  })
  return words.open(words.groups(phrases), during)
}

/** Beyond this many days the year is said too. */
const SAY_YEAR_AFTER_DAYS = 180

/**
 * When the desk opens next, as heard by a caller: "aujourd'hui à 13 h 15" the same local day, the
 * weekday name within the next six days ("dimanche à 9 h 30"), the full date beyond
 * ("le jeudi 2 avril à 9 h 30"); null means no opening is scheduled.
 */
export function describeNextOpening(at: Date, next: Date | null, timezone: string, lang: Language): string {
  const words = wordsOf(lang)
  if (next === null) return words.nextOpening(null)
  const local = localTimeIn(timezone)
  const [today, then] = [local.localAt(at.getTime()), local.localAt(next.getTime())]
  const minute = Math.floor(then.minute)
  const ahead = then.dayNumber - today.dayNumber
  const weekday = weekdayIndexOf(then.dayNumber)
  let when: OpeningDay
  if (ahead <= 0) when = { kind: 'today', minute }
  else if (ahead <= 6) when = { kind: 'this_week', weekday, minute }
  else {
    const { year, month, day } = civilDateOf(then.dayNumber)
    when = { kind: 'date', weekday, day, month, year: ahead > SAY_YEAR_AFTER_DAYS ? year : null, minute }
  }
  return words.nextOpening(when)
}
