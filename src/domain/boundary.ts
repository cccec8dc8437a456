// What a person or Twilio may hand the service, as the zod types every boundary uses (the desk
// file, the API, the dashboard's forms, the webhooks): text Postgres and a phone call can hold, and
// dates within the years the service's data lives in. Bad values stop here, before any SQL runs.
import { z } from 'zod'

/** Years a given date or instant may fall in: contracts, calls and calendars all live in these. */
export const FIRST_YEAR = 2000
export const LAST_YEAR = 2100

/**
 * The longest text a caller may hear in one piece: a name, a reason, a message template. About
 * twenty seconds of speech; one bound for everything that can reach `<Say>`.
 */
export const SPOKEN_MAX = 300

// C0 controls and DEL, except tab, line feed and carriage return (a note may have lines).
// NUL is the one Postgres refuses outright ("invalid byte sequence for encoding UTF8: 0x00").
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// A surrogate without its pair: not UTF-16 text, and no UTF-8 (nor a jsonb column) can hold it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a string is no text (a control character, a lone surrogate), or null when it is. */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'must not contain control characters (NUL and the like)'
  if (LONE_SURROGATE.test(value)) return 'must be well-formed text (it has a lone UTF-16 surrogate)'
  return null
}

const wellFormed = z.string().superRefine((value, ctx) => {
  const problem = textProblem(value)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

/**
 * Text a person gives: no control characters, well-formed, trimmed, at most `max` characters
 * (after trimming), and at least `min` (1 unless told: a blank name is no name).
 */
export function text(max: number, options: { min?: number; minMessage?: string } = {}) {
  const min = options.min ?? 1
  const trimmed = wellFormed.trim().max(max, `must be at most ${max} characters`)
  return min > 0
    ? trimmed.min(min, options.minMessage ?? (min === 1 ? 'must not be blank' : `must be at least ${min} characters`))
    : trimmed
}

/** Text a caller may hear: a name, a reason, a template (see SPOKEN_MAX). */
export function spokenText(options: { minMessage?: string } = {}) {
  return text(SPOKEN_MAX, options)
}

/**
 * A value Twilio posts, kept exactly as sent (it is part of what Twilio signed and of the call's
 * event log): well-formed, and as long as the body limit allows unless told.
 */
export function twilioText(max?: number) {
  return max === undefined ? wellFormed : wellFormed.max(max, `must be at most ${max} characters`)
}

const yearsMessage = `must fall in the years ${FIRST_YEAR}–${LAST_YEAR}`
const inYears = (year: number) => year >= FIRST_YEAR && year <= LAST_YEAR

/** A calendar date "YYYY-MM-DD" that exists, in the years the service knows. */
export const dateSchema = z.string().superRefine((value, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0]
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day) // not Date.UTC, which reads years 0–99 as 1900–1999
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    ctx.addIssue({ code: 'custom', message: `expected a date "YYYY-MM-DD", got "${value.slice(0, 40)}"` })
  } else if (!inYears(year)) {
    ctx.addIssue({ code: 'custom', message: yearsMessage })
  }
})

/** A month "YYYY-MM", in the years the service knows. */
export const monthSchema = z.string().superRefine((value, ctx) => {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value)
  if (!match) ctx.addIssue({ code: 'custom', message: 'must be a month like 2026-11' })
  else if (!inYears(Number(match[1]))) ctx.addIssue({ code: 'custom', message: yearsMessage })
})

/** A year, in the years the service knows (a query string's "2026" included). */
export const yearSchema = z.coerce
  .number({ message: 'must be a year like 2026' })
  .int('must be a year like 2026')
  .min(FIRST_YEAR, yearsMessage)
  .max(LAST_YEAR, yearsMessage)

/** Whether an instant falls in the years the service knows (a cursor's, say). */
export function instantInYears(at: Date): boolean {
  return !Number.isNaN(at.getTime()) && inYears(at.getUTCFullYear())
}

/** An ISO-8601 instant with its offset ("2026-11-28T10:00:00+01:00"), in the years the service knows. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 instant like 2026-11-28T10:00:00+01:00' })
  // A value that is no instant at all is reported once, by the format check above.
  .refine((value) => Number.isNaN(Date.parse(value)) || instantInYears(new Date(value)), yearsMessage)
