// What managers read, formatted: durations ("2 h 15 min"), dates and times in the desk's time
// zone, months, percentages; French first, English available. Pure: instants and zones come in.
import { DateTime } from 'luxon'
import { formatClock } from '../domain/calendar/index.js'

export type Lang = 'fr' | 'en'

/** Keeps a number with its unit on one line. */
const NBSP = '\u00a0'
/** French puts a narrow no-break space before %. */
const NNBSP = '\u202f'

const LOCALE: Record<Lang, string> = { fr: 'fr', en: 'en-GB' }

/**
 * A length of time as a manager reads it: "42 s", "3 min 20 s", "2 h 15 min", "5 h". Seconds are
 * left out from an hour on (a quota is read in hours and minutes); negative values read as zero.
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60]
  const part = (value: number, unit: string) => `${value}${NBSP}${unit}`
  if (hours > 0) return minutes > 0 ? `${part(hours, 'h')} ${part(minutes, 'min')}` : part(hours, 'h')
  if (minutes > 0) return rest > 0 ? `${part(minutes, 'min')} ${part(rest, 's')}` : part(minutes, 'min')
  return part(rest, 's')
}

/**
 * A delay that may run to days ("5 j 19 h", "5 d 19 h"; under a day as formatDuration): how late a
 * callback is, how far the next opening.
 */
export function formatDelay(totalSeconds: number, lang: Lang): string {
  const seconds = Math.max(0, Math.floor(totalSeconds))
  if (seconds < 86_400) return formatDuration(seconds)
  const [days, hours] = [Math.floor(seconds / 86_400), Math.floor((seconds % 86_400) / 3600)]
  const unit = lang === 'fr' ? 'j' : 'd'
  return hours > 0 ? `${days}${NBSP}${unit} ${hours}${NBSP}h` : `${days}${NBSP}${unit}`
}

function local(at: Date, zone: string, lang: Lang): DateTime {
  return DateTime.fromJSDate(at, { zone }).setLocale(LOCALE[lang])
}

function day(isoDate: string, lang: Lang): DateTime {
  const parsed = DateTime.fromISO(isoDate, { zone: 'UTC' })
  if (!parsed.isValid) throw new RangeError(`not a date: ${isoDate}`)
  return parsed.setLocale(LOCALE[lang])
}

/** "28/11/2026", "28 Nov 2026": for tables. */
export function formatDayShort(isoDate: string, lang: Lang): string {
  return day(isoDate, lang).toFormat(lang === 'fr' ? 'dd/LL/yyyy' : 'd LLL yyyy')
}

/**
 * A wall-clock time, one way per language on every page, the way the desk's hours are written (the
 * same words as the spoken hours, `formatClock`): "9 h 30", "12 h" in French, "9:30 am", "12 pm" in
 * English, midnight by name; no-break spaces keep it on one line. `minutes` from midnight.
 */
export function formatClockTime(minutes: number, lang: Lang): string {
  return formatClock(minutes, lang).replace(/ /g, NBSP)
}

/** "09:30" (a desk file's or a form's time) → "9 h 30", "9:30 am"; "24:00" is midnight. */
export function formatHhMm(time: string, lang: Lang): string {
  const [hours, minutes] = time.split(':').map(Number)
  return formatClockTime((hours ?? 0) * 60 + (minutes ?? 0), lang)
}

/** "10 h 05", "10:05 am" in the desk's zone. */
export function formatTime(at: Date, zone: string, lang: Lang): string {
  const local = DateTime.fromJSDate(at, { zone })
  return formatClockTime(local.hour * 60 + local.minute, lang)
}

/** "28/11/2026 10 h 05", "28 Nov 2026, 10:05 am" in the desk's zone: for tables. */
export function formatDateTime(at: Date, zone: string, lang: Lang): string {
  const date = local(at, zone, lang).toFormat(lang === 'fr' ? 'dd/LL/yyyy' : 'd LLL yyyy,')
  return `${date} ${formatTime(at, zone, lang)}`
}

/** "dimanche 29 novembre 2026 à 9 h 30", "Sunday 29 November 2026 at 9:30 am" in the desk's zone. */
export function formatWhen(at: Date, zone: string, lang: Lang): string {
  const date = local(at, zone, lang).toFormat('cccc d LLLL yyyy')
  return `${date} ${lang === 'fr' ? 'à' : 'at'} ${formatTime(at, zone, lang)}`
}

/** A date input's format as the page's language writes dates: "jj/mm/aaaa", "dd/mm/yyyy". */
export function dateFormatHint(lang: Lang): string {
  return lang === 'fr' ? 'jj/mm/aaaa' : 'dd/mm/yyyy'
}

/** "novembre 2026" (long) or "nov." (short, for a chart's axis). */
export function formatMonth(month: string, lang: Lang, style: 'long' | 'short' = 'long'): string {
  return day(`${month}-01`, lang).toFormat(style === 'long' ? 'LLLL yyyy' : 'LLL')
}

/** 80 → "80 %" (French spacing), "80%" in English; rounded to a whole percent. */
export function formatPercent(percent: number, lang: Lang): string {
  const rounded = Math.round(percent)
  return lang === 'fr' ? `${rounded}${NNBSP}%` : `${rounded}%`
}

/** A file's size: "820 o", "12,4 ko", "3,1 Mo" in French; "820 B", "12.4 kB", "3.1 MB" in English. */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = lang === 'fr' ? ['o', 'ko', 'Mo'] : ['B', 'kB', 'MB']
  const exponent = bytes < 1000 ? 0 : bytes < 1_000_000 ? 1 : 2
  const value = bytes / 1000 ** exponent
  const shown = exponent === 0 ? String(bytes) : value.toLocaleString(LOCALE[lang], { maximumFractionDigits: 1 })
  return `${shown}${NNBSP}${units[exponent]}`
}

/** A first and last day: "20 – 22 mars 2026", or one day in the short form when they are the same. */
export function formatDayRange(first: string, last: string, lang: Lang): string {
  if (first === last) return formatDayShort(first, lang)
  const [a, b] = [day(first, lang), day(last, lang)]
  const dash = `${NBSP}–${NBSP}`
  if (a.year !== b.year) return `${a.toFormat('d LLL yyyy')}${dash}${b.toFormat('d LLL yyyy')}`
  if (a.month !== b.month) return `${a.toFormat('d LLL')}${dash}${b.toFormat('d LLL yyyy')}`
  return `${a.toFormat('d')}${dash}${b.toFormat('d LLLL yyyy')}`
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(day(to, 'en').diff(day(from, 'en'), 'days').days)
}

/** A date plus some days. */
export function addDays(isoDate: string, days: number): string {
  return day(isoDate, 'en').plus({ days }).toISODate() as string
}

/** The month `delta` months away: ("2026-01", -1) → "2025-12". */
export function shiftMonth(month: string, delta: number): string {
  return day(`${month}-01`, 'en').plus({ months: delta }).toFormat('yyyy-MM')
}

/** The `count` months ending with `month`, oldest first: the usage chart's axis. */
export function monthsEnding(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => shiftMonth(month, index - count + 1))
}

/** The desk-local year of an instant. */
export function localYearOf(at: Date, zone: string): number {
  return DateTime.fromJSDate(at, { zone }).year
}

const languageNames = new Map<Lang, Intl.DisplayNames>()

/** A language tag by its name in the page's language: "ar" → "arabe", "en-US" → "anglais américain". */
export function formatLanguage(tag: string, lang: Lang): string {
  let names = languageNames.get(lang)
  if (names === undefined) {
    names = new Intl.DisplayNames([LOCALE[lang]], { type: 'language', fallback: 'code' })
    languageNames.set(lang, names)
  }
  try {
    return names.of(tag) ?? tag
  } catch {
    return tag
  }
}

/** The first day of the month before a date's: where "Simuler" starts by default (last month and this one so far). */
export function previousMonthStart(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number) as [number, number]
  const index = year * 12 + month - 2
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`
}
