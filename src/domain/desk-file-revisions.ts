// A desk file's revisions checked against their rules: each contract's changes by the contract's
// rule, each desk's weekly-hours changes by the strictest rule of the contracts on that desk.
import type { DeskFile } from './desk-file.js'
import type { FieldProblem } from '../errors.js'
import { DEFAULT_REVISION, type RevisionDates, type RevisionRule, recordRevisions, stricter } from './revision.js'

/** What the database holds already: each contract's and each desk's recorded changes. */
export interface RecordedRevisions {
  /** by `client/desk/start` */
  contracts: ReadonlyMap<string, readonly RevisionDates[]>
  /** by desk id */
  desks: ReadonlyMap<string, readonly RevisionDates[]>
}

export const contractKey = (clientId: string, deskId: string, start: string) => `${clientId}/${deskId}/${start}`

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
): { ok: true; file: DeskFile } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const desks = file.desks.map((desk, d) => {
    const result = recordRevisions(
      deskRevisionRule(file, desk.id),
      desk.schedule.changes,
      recorded.desks.get(desk.id),
      today(desk.id),
      `desks[${d}].schedule.changes`,
    )
    problems.push(...result.problems)
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
      return { ...contract, changes: result.changes }
    }),
  }))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file: { ...file, desks, clients } }
}
