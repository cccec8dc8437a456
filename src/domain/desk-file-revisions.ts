// A desk file's revisions checked against their rules: each contract's changes by the contract's
// rule, each desk's weekly-hours changes by the strictest rule of the contracts on that desk.
import type { DeskFile } from './desk-file.js'
import type { FieldProblem } from '../errors.js'
import { describeHours } from './calendar/index.js'
import {
  DEFAULT_REVISION,
  type RevisionDates,
  type RevisionRule,
  changeKey,
  recordRevisions,
  stricter,
  termsSummary,
} from './revision.js'

/** What the database holds already: each contract's and each desk's recorded changes. */
export interface RecordedRevisions {
  /** by `client/desk/start` */
  contracts: ReadonlyMap<string, readonly RevisionDates[]>
  /** by desk id */
  desks: ReadonlyMap<string, readonly RevisionDates[]>
}

export const contractKey = (clientId: string, deskId: string, start: string) => `${clientId}/${deskId}/${start}`

/** A revision the service records for the first time, to tell the clients it binds (contract.revision). */
export type RecordedRevision = {
  desk: string
  from: string
  /** the change as a key (what it revises and from when) */
  key: string
  /** what it changes, in the desk's language */
  summary: string
} & ({ kind: 'contract'; clientId: string; start: string } | { kind: 'hours' })

/** The rule binding a desk's hours: the strictest of its contracts', the default without any. */
export function deskRevisionRule(file: DeskFile, deskId: string): RevisionRule {
  const rules = file.clients.flatMap((client) =>
    client.contracts.filter((contract) => contract.desk === deskId).map((contract) => contract.revision),
  )
  return rules.reduce(stricter, rules[0] ?? DEFAULT_REVISION)
}

/**
 * The file with every change stamped with the day it was first recorded (kept for known changes,
 * `today(deskId)` for new ones), or the problems of the new changes that break their rule, named
 * by their path in the file.
 */
export function recordFileRevisions(
  file: DeskFile,
  recorded: RecordedRevisions,
  today: (deskId: string) => string,
): { ok: true; file: DeskFile; recorded: RecordedRevision[] } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const recordedNow: RecordedRevision[] = []
  const languages = new Map(file.desks.map((desk) => [desk.id, desk.language]))
  const desks = file.desks.map((desk, d) => {
    const result = recordRevisions(
      deskRevisionRule(file, desk.id),
      desk.schedule.changes,
      recorded.desks.get(desk.id),
      today(desk.id),
      `desks[${d}].schedule.changes`,
    )
    problems.push(...result.problems)
    for (const change of result.fresh) {
      const hours = describeHours(change.weekly, desk.language)
      recordedNow.push({ kind: 'hours', desk: desk.id, from: change.from, key: changeKey(change), summary: hours })
    }
    return { ...desk, schedule: { ...desk.schedule, changes: result.changes } }
  })
  const clients = file.clients.map((client, c) => ({
    ...client,
    contracts: client.contracts.map((contract, k) => {
      const result = recordRevisions(
        contract.revision,
        contract.changes,
        recorded.contracts.get(contractKey(client.id, contract.desk, contract.start)),
        today(contract.desk),
        `clients[${c}].contracts[${k}].changes`,
      )
      problems.push(...result.problems)
      for (const change of result.fresh)
        recordedNow.push({
          kind: 'contract',
          clientId: client.id,
          start: contract.start,
          desk: contract.desk,
          from: change.from,
          key: changeKey(change),
          summary: termsSummary(change, languages.get(contract.desk) ?? 'fr'),
        })
      return { ...contract, changes: result.changes }
    }),
  }))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file: { ...file, desks, clients }, recorded: recordedNow }
}
