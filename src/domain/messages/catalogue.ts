// What one language's file holds: the text of every spoken message, holiday names, and the words the generated sentences (hours, dates, durations) are built with.

export const MESSAGE_KEYS = [
  'unknown_caller',
  'suspended',
  'no_contract',
  'closed_hours',
  'closed_holiday',
  'closed_closure',
  'voicemail_prompt',
  'voicemail_thanks',
  'on_call_offer',
  'on_call_connecting',
  'quota_bill',
  'quota_ask',
  'quota_refused',
  'quota_cut_refuse',
  'quota_cut_on_call',
  'quota_cut_ask',
  'overage_accepted',
  'declined',
  'connecting',
  'no_agent',
  'no_answer',
  'whisper',
  'whisper_short',
  'whisper_on_call',
  'whisper_unknown',
  'whisper_declined',
  'whisper_billed',
  'whisper_limit_refuse',
  'whisper_limit_ask',
  'whisper_consented',
  'fallback_connecting',
  'goodbye',
  'technical_difficulty',
  'language_choice',
] as const
export type MessageKey = (typeof MESSAGE_KEYS)[number]

/** A month and day of the Gregorian calendar (1-based), as a season's `from`/`to` gives them. */
export interface MonthDay {
  month: number
  day: number
}

/** When the desk opens next, relative to the caller's local day; minute is the wall-clock minute. */
export type OpeningDay =
  | { kind: 'today'; minute: number }
  | { kind: 'this_week'; weekday: number; minute: number }
  | { kind: 'date'; weekday: number; day: number; month: number; year: number | null; minute: number }

/**
 * The sentences generated from the calendar, in one language. Weekdays are Monday = 0 … Sunday = 6,
 * months 1…12, minutes of the wall-clock day (an end past midnight is above 1440).
 */
export interface SpokenCalendar {
  /** a time of day: "9 h 30", "9:30 am", "التاسعة والنصف صباحاً" */
  clock(minutes: number): string
  /** one interval of a day: "de 9 h 30 à 12 h" */
  span(start: number, end: number): string
  /** a whole day open */
  aroundTheClock: string
  /** the seven days open alike */
  everyDay: string
  /** a run of consecutive weekdays (1, 2 or more days): "le samedi", "du samedi au mercredi" */
  dayRun(run: readonly number[]): string
  /** items joined as a list: "a, b et c" */
  list(items: readonly string[]): string
  /** days with their hours: "du samedi au mercredi, de 9 h à 14 h" */
  group(days: string, hours: string): string
  /** several groups of days: "…, … et …" */
  groups(phrases: readonly string[]): string
  /** the hours sentence; `during` opens it when the hours are a season's */
  open(hours: string, during: string | null): string
  /** no hours at all (during a season: closed throughout) */
  closed(during: string | null): string
  /** a Hijri season: "Pendant le Ramadan" (it opens the sentence) */
  duringHijriMonth(month: number): string
  /** a Gregorian season: "Du 1er juillet au 31 août" (it opens the sentence) */
  duringDates(from: MonthDay, to: MonthDay): string
  /** the next opening as a sentence; null: none is scheduled */
  nextOpening(when: OpeningDay | null): string
  /** a length of time in whole hours and minutes (both may be 0: "less than a minute") */
  duration(hours: number, minutes: number): string
}

export interface Catalogue {
  messages: Record<MessageKey, string>
  /** how a holiday (by its rule key, e.g. eid-al-fitr) is named in a sentence; absent: its name as configured */
  holidays: Readonly<Record<string, string>>
  calendar: SpokenCalendar
}

/** "a", "a et b", "a, b et c" (French and English). */
export function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] as string}`
}
