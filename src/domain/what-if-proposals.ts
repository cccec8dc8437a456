// What the Contracts and Calendar pages offer to "Simuler" before anything is saved: the file in
// force plus one proposed change — a contract's revised terms, a desk's hours on a weekday, a
// closure — made by the same edits the API applies (config-edit), so checked as a file is.
import type { Weekday } from './calendar/index.js'
import { type ContractKey, type EditResult, findEntity, putEntity, replaceContract } from './config-edit.js'
import type { ContractChange } from './contract-terms.js'
import type { DeskFile } from './desk-file.js'

/** Revised terms; the absent ones stay as they are. */
export type ProposedTerms = Pick<ContractChange, 'monthlyQuotaMinutes' | 'overage' | 'billingIncrementSeconds'>

/**
 * The file with a contract revised from `from` on (a change of its terms, as a revision is
 * written): to replay a period under the revised terms, `from` is the period's first day.
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

/** The file with the desk's weekly hours on a weekday replaced, and a closure added. */
export function withProposedCalendar(file: DeskFile, deskId: string, proposal: ProposedCalendar): EditResult {
  const desk = findEntity(file, 'desks', deskId)
  if (!desk) return { ok: false, problem: { kind: 'not_found', message: `desk ${deskId} not found`, errors: [] } }
  const { schedule } = desk
  const weekly = proposal.hours ? { ...schedule.weekly, [proposal.hours.weekday]: proposal.hours.ranges } : schedule.weekly
  const closures = proposal.closure ? [...schedule.holidays.closures, proposal.closure] : schedule.holidays.closures
  return putEntity(
    file,
    'desks',
    { ...desk, schedule: { ...schedule, weekly, holidays: { ...schedule.holidays, closures } } },
    'replace',
  )
}
