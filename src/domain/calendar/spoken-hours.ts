// Spoken sentences for callers: the opening hours, from the weekly schedule itself, and the next opening (French first, English available).
import { civilDateOf, DAY_MINUTES, localTimeIn, pad2, weekdayIndexOf } from './local-time.js'
import { mergeRanges, type Range } from './minute-ranges.js'
import { parseTimeRange, WEEKDAYS, type WeeklySchedule } from './schemas.js'

/** BCP-47, like 'fr-FR' or 'en-US'; anything not English is spoken in French (DESIGN.md: messages default to fr-FR). */
export type Language = string

const isEnglish = (lang: Language): boolean => lang.toLowerCase().startsWith('en')

const DAYS = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
}
const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}

/** A wall-clock time as spoken: 570 → "9 h 30", 720 → "12 h"; English "9:30 am"; midnight by name. Ends past midnight wrap (1560 → "2 h"). */
export function formatClock(minutes: number, lang: Language): string {
  const wrapped = minutes % 1440
  const [hour, minute] = [Math.floor(wrapped / 60), wrapped % 60]
  if (!isEnglish(lang)) {
    if (wrapped === 0) return 'minuit'
    return minute === 0 ? `${hour} h` : `${hour} h ${pad2(minute)}`
  }
  if (wrapped === 0) return 'midnight'
  const [hour12, suffix] = [hour % 12 === 0 ? 12 : hour % 12, hour < 12 ? 'am' : 'pm']
  return minute === 0 ? `${hour12} ${suffix}` : `${hour12}:${pad2(minute)} ${suffix}`
}

/** "a", "a et b", "a, b et c" */
function listOf(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] as string}`
}

/** Runs of consecutive weekdays, read cyclically (Saturday → Wednesday is one run). */
function cyclicRuns(days: readonly number[]): number[][] {
  const inGroup = new Set(days)
  const runs: number[][] = []
  for (const first of days) {
    if (inGroup.has((first + 6) % 7)) continue
    const run = [first]
    while (inGroup.has((run[run.length - 1]! + 1) % 7)) run.push((run[run.length - 1]! + 1) % 7)
    runs.push(run)
  }
  return runs
}

function runPhrase(run: readonly number[], english: boolean): string {
  const names = english ? DAYS.en : DAYS.fr
  const [first, last] = [names[run[0]!]!, names[run[run.length - 1]!]!]
  if (run.length === 1) return english ? first : `le ${first}`
  if (run.length === 2) return english ? `${first} and ${last}` : `le ${first} et le ${last}`
  return english ? `${first} to ${last}` : `du ${first} au ${last}`
}

function hoursPhrase(ranges: readonly Range[], english: boolean): string {
  const lang = english ? 'en' : 'fr'
  if (ranges.length === 1 && ranges[0]!.start === 0 && ranges[0]!.end === DAY_MINUTES)
    return english ? 'around the clock' : '24 heures sur 24'
  const spans = ranges.map((range) =>
    english
      ? `${formatClock(range.start, lang)} to ${formatClock(range.end, lang)}`
      : `de ${formatClock(range.start, lang)} à ${formatClock(range.end, lang)}`,
  )
  return listOf(spans, english ? 'and' : 'et')
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

/**
 * The opening hours as one sentence, e.g. "Le service d'assistance est ouvert du samedi au
 * mercredi, de 9 h 30 à 12 h et de 13 h 15 à 16 h." Days with the same hours are grouped, read
 * cyclically; a schedule without hours says so.
 */
export function describeHours(weekly: WeeklySchedule, lang: Language): string {
  const english = isEnglish(lang)
  const groups = groupsOf(weekly)
  if (groups.length === 0)
    return english ? 'The support desk has no opening hours.' : "Le service d'assistance n'a pas d'horaires d'ouverture."
  const phrases = groups.map((group) => {
    const days =
      group.days.length === 7
        ? english
          ? 'every day'
          : 'tous les jours'
        : listOf(
            cyclicRuns(group.days).map((run) => runPhrase(run, english)),
            english ? 'and' : 'et',
          )
    return `${days}, ${hoursPhrase(group.ranges, english)}`
  })
  const all =
    phrases.length === 1
      ? (phrases[0] as string)
      : `${phrases.slice(0, -1).join(', ')}, ${english ? 'and' : 'et'} ${phrases[phrases.length - 1] as string}`
  return english ? `The support desk is open ${all}.` : `Le service d'assistance est ouvert ${all}.`
}

/** Beyond this many days the year is said too. */
const SAY_YEAR_AFTER_DAYS = 180

/**
 * When the desk opens next, as heard by a caller: "aujourd'hui à 13 h 15" the same local day, the
 * weekday name within the next six days ("dimanche à 9 h 30"), the full date beyond
 * ("le jeudi 2 avril à 9 h 30"); null means no opening is scheduled.
 */
export function describeNextOpening(at: Date, next: Date | null, timezone: string, lang: Language): string {
  const english = isEnglish(lang)
  if (next === null) return english ? 'No opening is scheduled at the moment.' : "Aucune ouverture n'est prévue pour le moment."
  const local = localTimeIn(timezone)
  const [today, then] = [local.localAt(at.getTime()), local.localAt(next.getTime())]
  const clock = formatClock(Math.floor(then.minute), english ? 'en' : 'fr')
  const ahead = then.dayNumber - today.dayNumber
  const weekday = (english ? DAYS.en : DAYS.fr)[weekdayIndexOf(then.dayNumber)] as string
  let when: string
  if (ahead <= 0) {
    when = english ? `today at ${clock}` : `aujourd'hui à ${clock}`
  } else if (ahead <= 6) {
    when = english ? `on ${weekday} at ${clock}` : `${weekday} à ${clock}`
  } else {
    const { year, month, day } = civilDateOf(then.dayNumber)
    const withYear = ahead > SAY_YEAR_AFTER_DAYS
    when = english
      ? `on ${weekday}, ${MONTHS.en[month - 1] as string} ${day}${withYear ? `, ${year}` : ''} at ${clock}`
      : `le ${weekday} ${day === 1 ? '1er' : day} ${MONTHS.fr[month - 1] as string}${withYear ? ` ${year}` : ''} à ${clock}`
  }
  return english ? `We will be available again ${when}.` : `Nous serons de nouveau disponibles ${when}.`
}
