// Revisions on the contract's own terms. INTERcom Art. 8: no modification without the written
// agreement of both parties. Model clause §8: revised with 30 days' written notice. A change of a
// contract's terms, or of a desk's weekly hours (they bind every contract on the desk), is checked
// against its rule the first time the service sees it, and keeps the day it was first seen.
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { FieldProblem } from '../errors.js'

export const revisionRuleSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('agreement') }),
  z.strictObject({ by: z.literal('notice'), days: z.number().int().min(0).max(365).default(30) }),
])
export type RevisionRule = z.output<typeof revisionRuleSchema>

/** Without a rule in the desk file: the model clause's, 30 days' written notice. */
export const DEFAULT_REVISION: RevisionRule = { by: 'notice', days: 30 }

/** What a change carries about its own making, besides what it revises. */
export interface RevisionDates {
  from: string
  /** the date of the signed amendment, when there is one */
  agreedOn?: string | undefined
  /** the desk-local day the service first saw the change (set by the service) */
  recordedOn?: string | undefined
}

/** The stricter of two rules: agreement over notice, then the longer notice. */
export function stricter(a: RevisionRule, b: RevisionRule): RevisionRule {
  if (a.by === 'agreement' || b.by === 'agreement') return { by: 'agreement' }
  return a.days >= b.days ? a : b
}

const plusDays = (date: string, days: number) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string

/**
 * Why a change first seen on `recordedOn` may not take effect from its `from`, or null when it may:
 * never before the day it is recorded (the past is not rewritten); under `agreement`, only with
 * the date of the signed amendment; under `notice`, without one, not before `days` days after.
 */
export function revisionProblem(rule: RevisionRule, change: RevisionDates, recordedOn: string): string | null {
  if (change.agreedOn !== undefined && change.agreedOn > recordedOn)
    return `agreedOn ${change.agreedOn} is after today (${recordedOn}): an amendment is recorded once signed`
  if (change.from < recordedOn)
    return `a revision takes effect on the day it is recorded at the earliest (${recordedOn}); the past is not rewritten`
  if (change.agreedOn !== undefined) return null
  if (rule.by === 'agreement')
    return 'these terms are revised only with the written agreement of both parties (revision by agreement): give agreedOn, the date of the signed amendment'
  const earliest = plusDays(recordedOn, rule.days)
  return change.from < earliest
    ? `these terms are revised with ${rule.days} days' written notice (revision by notice): the earliest date without agreedOn is ${earliest}`
    : null
}

/** A change as a key: what it revises and from when, not the dates of its making. */
export function changeKey(change: RevisionDates): string {
  const { agreedOn: _a, recordedOn: _r, ...terms } = change as RevisionDates & Record<string, unknown>
  return JSON.stringify(
    Object.keys(terms)
      .sort()
      .map((key) => [key, terms[key]]),
  )
}

/**
 * The changes of one contract or desk as they are to be stored: those already recorded keep their
 * record (they were checked when first seen, and time has passed since); each new one is checked
 * against `rule` and stamped with `recordedOn`. A contract or desk the service does not know yet
 * (`recorded` undefined) comes with its history as agreed, like its signature date: its changes
 * are recorded as given. `path` names the list in the file, for problems.
 */
export function recordRevisions<Change extends RevisionDates>(
  rule: RevisionRule,
  changes: readonly Change[],
  recorded: readonly RevisionDates[] | undefined,
  recordedOn: string,
  path: string,
): { changes: Change[]; problems: FieldProblem[]; fresh: Change[] } {
  if (recorded === undefined) return { changes: changes.map((change) => ({ ...change, recordedOn })), problems: [], fresh: [] }
  const known = new Map(recorded.map((change) => [changeKey(change), change]))
  const problems: FieldProblem[] = []
  const fresh: Change[] = []
  const stamped = changes.map((change, index) => {
    const before = known.get(changeKey(change))
    if (before) {
      const kept = { ...change, ...(before.recordedOn === undefined ? {} : { recordedOn: before.recordedOn }) }
      if (before.recordedOn === undefined) delete kept.recordedOn
      return kept
    }
    const problem = revisionProblem(rule, change, recordedOn)
    if (problem) problems.push({ field: `${path}[${index}].from`, message: problem })
    const stampedChange = { ...change, recordedOn }
    fresh.push(stampedChange)
    return stampedChange
  })
  return { changes: stamped, problems, fresh }
}

/** What a revision of a contract's terms changes, in a sentence of the desk's language (fr or en). */
export function termsSummary(
  change: {
    monthlyQuotaMinutes?: number | undefined
    overage?: 'bill' | 'ask' | 'refuse' | undefined
    billingIncrementSeconds?: number | undefined
    agreedOn?: string | undefined
  },
  language: string,
): string {
  const fr = !language.toLowerCase().startsWith('en')
  const policies = fr
    ? { bill: 'facturée', ask: "facturée sur accord de l'appelant", refuse: 'refusée' }
    : { bill: 'billed', ask: "billed on the caller's consent", refuse: 'refused' }
  const parts = [
    change.monthlyQuotaMinutes === undefined
      ? null
      : fr
        ? `forfait mensuel de ${change.monthlyQuotaMinutes} minutes`
        : `a monthly quota of ${change.monthlyQuotaMinutes} minutes`,
    change.overage === undefined
      ? null
      : fr
        ? `assistance au-delà du forfait ${policies[change.overage]}`
        : `support beyond the quota ${policies[change.overage]}`,
    change.billingIncrementSeconds === undefined
      ? null
      : fr
        ? `décompte par tranches de ${change.billingIncrementSeconds} s`
        : `counted in steps of ${change.billingIncrementSeconds} s`,
  ].filter((part): part is string => part !== null)
  const agreed = change.agreedOn
    ? fr
      ? ` (avenant signé le ${change.agreedOn})`
      : ` (amendment signed on ${change.agreedOn})`
    : ''
  return `${parts.join(fr ? ' ; ' : '; ')}${agreed}.`
}

/** The revisions still to come on `today`, soonest first. */
export function revisionsToCome<Change extends RevisionDates>(changes: readonly Change[], today: string): Change[] {
  return changes.filter((change) => change.from > today).sort((a, b) => a.from.localeCompare(b.from))
}
