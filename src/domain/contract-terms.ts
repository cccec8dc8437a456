// A contract's terms on a date: the signed ones, revised from an effective date on (model clause:
// the clause is revised with 30 days' written notice).
import { z } from 'zod'
import { isoDateSchema } from './calendar/index.js'
import { dayNumberOf, isoDateOf } from './calendar/local-time.js'

export const contractChangeSchema = z
  .object({
    /** the local date the revised terms apply from */
    from: isoDateSchema,
    monthlyQuotaMinutes: z.number().int().min(0).max(100_000).optional(),
    overage: z.enum(['bill', 'ask', 'refuse']).optional(),
    billingIncrementSeconds: z.number().int().min(1).max(3600).optional(),
    /** the date of the signed amendment (docs/DESIGN.md, "Revisions") */
    agreedOn: isoDateSchema.optional(),
    /** the day the service first saw this change: set by the service, kept on export */
    recordedOn: isoDateSchema.optional(),
  })
  .strict()
  .refine(
    (change) =>
      change.monthlyQuotaMinutes !== undefined || change.overage !== undefined || change.billingIncrementSeconds !== undefined,
    { message: 'a change revises at least one term' },
  )

export type ContractChange = z.output<typeof contractChangeSchema>

export interface ContractTermsOnDate {
  quotaSeconds: number
  overage: 'bill' | 'ask' | 'refuse'
  billingIncrementSeconds: number
}

/** The terms in force on a local date: each change from its date on, the later over the earlier. */
export function termsOn(signed: ContractTermsOnDate, changes: readonly ContractChange[], date: string): ContractTermsOnDate {
  // the three terms only: `signed` is often a whole contract (every call reads its terms)
  const terms = {
    quotaSeconds: signed.quotaSeconds,
    overage: signed.overage,
    billingIncrementSeconds: signed.billingIncrementSeconds,
  }
  if (changes.length === 0) return terms
  for (const change of [...changes].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    if (change.from > date) break
    if (change.monthlyQuotaMinutes !== undefined) terms.quotaSeconds = change.monthlyQuotaMinutes * 60
    if (change.overage !== undefined) terms.overage = change.overage
    if (change.billingIncrementSeconds !== undefined) terms.billingIncrementSeconds = change.billingIncrementSeconds
  }
  return terms
}

/**
 * The terms a leg of talk is counted under: those in force on the local date it was counted, but
 * never past the last day of the month it counts into, so a call across midnight at the month's
 * end (the on-call line) does not bring next month's revised quota into the month it began in.
 */
export function termsForMonth(
  signed: ContractTermsOnDate,
  changes: readonly ContractChange[],
  month: string,
  countedOn: string,
): ContractTermsOnDate {
  // without changes the date reads nothing: no need to work out the month's last day
  if (changes.length === 0) return termsOn(signed, changes, countedOn)
  const [year, monthNumber] = month.split('-').map(Number) as [number, number]
  const lastDay = isoDateOf(dayNumberOf(year, monthNumber + 1, 1) - 1)
  return termsOn(signed, changes, countedOn < lastDay ? countedOn : lastDay)
}
