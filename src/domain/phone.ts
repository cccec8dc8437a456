// Phone numbers: E.164 normalisation for registration (strict) and for caller lookup (lenient).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { z } from 'zod'

/** How many callers' numbers normaliseCaller remembers before it starts afresh. */
export const CALLERS_REMEMBERED = 10_000
const callers = new Map<string, string | null>()

/**
 * A number as Twilio sends it in `From`: E.164 or null for withheld, SIP, client: and garbage.
 * Remembered: the same callers call again, and libphonenumber's parse costs about 20 µs a call.
 */
export function normaliseCaller(raw: string | undefined): string | null {
  if (raw?.[0] !== '+' || raw.length > 32) return null
  const known = callers.get(raw)
  if (known !== undefined) return known
  const parsed = parsePhoneNumberFromString(raw)
  const number = parsed?.isPossible() ? parsed.number : null
  if (callers.size >= CALLERS_REMEMBERED) callers.clear()
  callers.set(raw, number)
  return number
}

/** A number a manager registers: must be a valid E.164 number; spaces and dashes are tolerated. */
export const e164Schema = z.string().transform((raw, ctx) => {
  const parsed = raw.trim().startsWith('+') ? parsePhoneNumberFromString(raw.trim()) : undefined
  if (!parsed?.isValid()) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid E.164 phone number (like +213661000001)` })
    return z.NEVER
  }
  return parsed.number as string
})

/** "+213661000001" → "+213******001": enough to tell numbers apart in logs, not to dial them. */
export function maskNumber(number: string): string {
  if (number.length <= 6) return '*'.repeat(number.length)
  return number.slice(0, 4) + '*'.repeat(number.length - 7) + number.slice(-3)
}

/**
 * Masks every phone number in a URL: E.164 as the service writes it, 8 to 15 digits after an
 * optional "+" (or its %2B). Dates and times ("2026-11-01T10:00") are left as they are.
 */
export function maskNumbersIn(text: string): string {
  return text.replace(/(?:\+|%2B)?(?<!\d)\d{8,15}(?!\d)/gi, (match) => maskNumber(match.replace(/%2B/i, '+')))
}
