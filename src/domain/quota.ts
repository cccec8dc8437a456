// The monthly quota of support time (INTERcom: 5 h a month; hours beyond are billed case by case).
import { localDateIn } from './calendar/local-time.js'

/** The desk-local month (YYYY-MM) an instant falls in: talk time counts into the month of the call's start. */
export function monthOf(at: Date, timezone: string): string {
  return localDateIn(at.getTime(), timezone).slice(0, 7)
}

/** Talk time rounded up to the contract's billing increment (60 → every started minute counts). */
export function countedSeconds(talkSeconds: number, incrementSeconds: number): number {
  if (talkSeconds <= 0) return 0
  const increment = Math.max(1, Math.floor(incrementSeconds))
  return Math.ceil(talkSeconds / increment) * increment
}

/** What a contract does once its month's quota is used up (INTERcom: billed case by case). */
export type OveragePolicy = 'bill' | 'ask' | 'refuse'

/**
 * A leg's counted seconds on either side of the quota line. Beyond it, a second is billable
 * (`overageSeconds`) only under the `bill` policy or after the caller consented (`ask`); otherwise
 * it is grace (`graceSeconds`: the agent closing the conversation, a billing increment's rounding,
 * two calls crossing the line at once), kept apart and never billed.
 */
export interface QuotaSplit {
  includedSeconds: number
  /** beyond the quota, billable */
  overageSeconds: number
  /** beyond the quota, never billed */
  graceSeconds: number
}

/** Splits a call's counted seconds at the quota line, given what the month had used before it. */
export function splitAtQuota(quotaSeconds: number, usedBefore: number, seconds: number, billable = true): QuotaSplit {
  const left = Math.max(0, quotaSeconds - usedBefore)
  const includedSeconds = Math.min(seconds, left)
  const beyond = seconds - includedSeconds
  return { includedSeconds, overageSeconds: billable ? beyond : 0, graceSeconds: billable ? 0 : beyond }
}

/**
 * A leg's split, given the month so far. A leg after the caller's yes to billing is consented
 * overage, all of it, and takes none of the included quota: so the split of a call cut at the
 * line and dialled again is the same whichever of its legs is counted first (a journal can apply
 * them in either order); the other legs split at the line, the consented seconds left out of the
 * month's use before them.
 */
export function splitLeg(input: {
  quotaSeconds: number
  /** the month's counted seconds before this leg, consented ones included */
  usedSeconds: number
  /** of which consented */
  consentedSeconds: number
  seconds: number
  billable: boolean
  consented: boolean
}): QuotaSplit {
  if (input.consented) return { includedSeconds: 0, overageSeconds: input.seconds, graceSeconds: 0 }
  return splitAtQuota(input.quotaSeconds, input.usedSeconds - input.consentedSeconds, input.seconds, input.billable)
}

/**
 * Minutes recorded on an e-mail answer, counted into the month under a contract that counts them
 * (`emailMinutesCountIntoQuota`): within what is left of the quota, included; beyond it, billable
 * under `bill`, and under `ask` and `refuse` grace, since nobody consented to a bill (as on the line).
 */
export function splitEmailSeconds(
  terms: { quotaSeconds: number; overage: OveragePolicy },
  month: { usedSeconds: number; consentedSeconds: number },
  seconds: number,
): QuotaSplit {
  return splitLeg({
    quotaSeconds: terms.quotaSeconds,
    usedSeconds: month.usedSeconds,
    consentedSeconds: month.consentedSeconds,
    seconds,
    billable: billableBeyondQuota(terms.overage, false),
    consented: false,
  })
}

/** Whether talk beyond the quota is billed: always under `bill`, after the caller's yes under `ask`, never under `refuse`. */
export function billableBeyondQuota(policy: OveragePolicy, consented: boolean): boolean {
  return policy === 'bill' || (policy === 'ask' && consented)
}

/** Seconds an agent may go on past the quota line under `refuse`, to close the conversation (desk option). */
export const DEFAULT_QUOTA_GRACE_SECONDS = 60

/** Where the agents' <Dial> stops, and what the caller is offered then. */
export interface DialLimit {
  /** <Dial timeLimit> */
  seconds: number
  /** once it cut the leg: `refuse` says what remains possible and goodbye; `ask` asks to go on, billed */
  after: 'ask' | 'refuse'
}

/**
 * The limit of a dial under the quota: none under `bill` (billed beyond) or once the caller
 * consented to billing; under `refuse` the seconds left plus the desk's grace; under `ask` the
 * seconds left, after which the caller is asked.
 */
export function dialLimit(input: {
  policy: OveragePolicy
  consented: boolean
  quotaSeconds: number
  usedSeconds: number
  graceSeconds: number
}): DialLimit | null {
  if (input.policy === 'bill' || input.consented) return null
  const left = quotaLeft(input.quotaSeconds, input.usedSeconds)
  if (input.policy === 'refuse') return { seconds: left + Math.max(0, input.graceSeconds), after: 'refuse' }
  return { seconds: left, after: 'ask' }
}

/**
 * Whether a leg ended because its limit cut it (rather than someone hanging up): the caller is
 * still on the line and the leg lasted its limit. Twilio's DialCallDuration counts from the
 * agent's answer, whisper included, in whole seconds: a second's slack either side.
 */
export function cutByLimit(input: { limitSeconds: number | null; callerOnLine: boolean; talkSeconds: number }): boolean {
  return input.limitSeconds !== null && input.callerOnLine && input.talkSeconds > 0 && input.talkSeconds >= input.limitSeconds - 1
}

export function quotaLeft(quotaSeconds: number, usedSeconds: number): number {
  return Math.max(0, quotaSeconds - usedSeconds)
}

export function quotaUsedUp(quotaSeconds: number, usedSeconds: number): boolean {
  return usedSeconds >= quotaSeconds
}

export const THRESHOLDS = [80, 100] as const

/** The thresholds (percent of the quota) that a month crossed by going from `before` to `after` seconds. */
export function thresholdsCrossed(quotaSeconds: number, before: number, after: number): number[] {
  if (quotaSeconds <= 0) return []
  return THRESHOLDS.filter((percent) => {
    const line = (quotaSeconds * percent) / 100
    return before < line && after >= line
  })
}
