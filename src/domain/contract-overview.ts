// A contract as managers read it: the period in force, when it ends, and the last day to give notice.
import { DateTime } from 'luxon'
import { type ContractTerms, contractStanding } from './calendar/index.js'
import { localDateIn } from './calendar/local-time.js'

export interface ContractOverview {
  /** the desk-local date the overview is computed for */
  today: string
  inForce: boolean
  /** the period in force; `end` is exclusive (the next period's first day), `lastDay` inclusive */
  period: { index: number; start: string; end: string; lastDay: string } | null
  /** the day the contract stops being in force, once notice (or no renewal) fixes it */
  endsOn: string | null
  /** INTERcom: notice 3 months before the end of the current period, else it renews */
  noticeDeadline: string | null
}

/** The desk-local date of an instant: contracts run on the desk's calendar days. */
export function localDate(at: Date, timezone: string): string {
  return localDateIn(at.getTime(), timezone)
}

export function contractOverview(terms: ContractTerms, today: string): ContractOverview {
  const standing = contractStanding(terms, today)
  const period = standing.period && {
    ...standing.period,
    lastDay: DateTime.fromISO(standing.period.end).minus({ days: 1 }).toISODate() as string,
  }
  return { today, inForce: standing.inForce, period, endsOn: standing.endsOn, noticeDeadline: standing.noticeDeadline }
}

/** A notice deadline still ahead (today included) and on or before `before`: time to ask the client. */
export function noticeDueBy(overview: ContractOverview, before: string): boolean {
  const deadline = overview.noticeDeadline
  return deadline !== null && deadline >= overview.today && deadline <= before
}
