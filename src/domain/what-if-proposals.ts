// What the Contracts and Calendar pages offer to "Simuler" before anything is saved: the file in
// force plus one proposed change — a contract's revised terms or a desk's hours on a weekday, each
// from an effective date, a closure — made by the same edits the API applies (config-edit), so
// checked as a file is.
import type { Weekday } from './calendar/index.js'
import { type ContractKey, type EditResult, findEntity, putEntity, replaceContract } from './config-edit.js'
import type { ContractChange } from './contract-terms.js'
import type { DeskFile } from './desk-file.js'

/** Revised terms; the absent ones stay as they are. */
export type ProposedTerms = Pick<ContractChange, 'monthlyQuotaMinutes' | 'overage' | 'billingIncrementSeconds'>

/**
 * The file with a contract revised from `from` on (a change of its terms, as a revision is
 * written): calls before it are decided under the terms in force, calls from it on under the
 * revision. To replay a whole period under the revised terms, `from` is the first day of the
 * period's first month (the pages' default, effectiveFrom).
 */
export function withRevisedContract(file: DeskFile, key: ContractKey, terms: ProposedTerms, from: string): EditResult {
  const contract = findEntity(file, 'clients', key.clientId)?.contracts.find(
    (each) => each.desk === key.desk && each.start === key.start,
  )
  if (!contract)
    return {
      ok: false,
      problem: { kind: 'not_found', message: `contract ${key.clientId}/${key.desk}/${key.start} not found`, errors: [] },
    }
  const given = Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined))
  return replaceContract(file, key, { ...contract, changes: [...contract.changes, { from, ...given } as ContractChange] })
}

/** A desk's proposed calendar: one weekday's hours (an empty list: closed that day), a closure. */
export interface ProposedCalendar {
  hours?: { weekday: Weekday; ranges: string[] }
  closure?: { start: string; end?: string; name: string }
}

/** The first day of the period's first month: the replay starts there, so a change from it covers every call replayed. */
export const periodStart = (period: { from: string }) => `${period.from.slice(0, 7)}-01`

/** Why a proposal's effective date does not fit the period (inside it or before it), or null. */
export function effectiveProblem(effective: string, period: { from: string; to: string }): string | null {
  return effective > period.to
    ? `must not be after the period's last day (${period.to}): the change would apply to no call replayed`
    : null
}

/** The weekly hours in force on a date: the last change from that date or before, else the schedule's own. */
function weeklyOn(schedule: DeskFile['desks'][number]['schedule'], date: string) {
  const before = schedule.changes.filter((change) => change.from <= date).sort((a, b) => (a.from < b.from ? -1 : 1))
  return before.at(-1)?.weekly ?? schedule.weekly
}

/**
 * The file with the desk's weekly hours on a weekday changed from `from` on, as the model clause's
 * revision of the hours is written (a `schedule.changes` entry restating the week in force then,
 * that weekday replaced; one already at that date is amended), and a closure added. Calls before
 * `from` keep the hours in force; a later change of the file still wins from its own date.
 */
export function withProposedCalendar(file: DeskFile, deskId: string, proposal: ProposedCalendar, from: string): EditResult {
  const desk = findEntity(file, 'desks', deskId)
  if (!desk) return { ok: false, problem: { kind: 'not_found', message: `desk ${deskId} not found`, errors: [] } }
  const { schedule } = desk
  let changes = schedule.changes
  if (proposal.hours) {
    const same = schedule.changes.find((change) => change.from === from)
    const weekly = { ...weeklyOn(schedule, from), [proposal.hours.weekday]: proposal.hours.ranges }
    changes = same
      ? schedule.changes.map((change) => (change === same ? { ...change, weekly } : change))
      : [...schedule.changes, { from, weekly }]
  }
  const closures = proposal.closure ? [...schedule.holidays.closures, proposal.closure] : schedule.holidays.closures
  return putEntity(
    file,
    'desks',
    { ...desk, schedule: { ...schedule, changes, holidays: { ...schedule.holidays, closures } } },
    'replace',
  )
}
