// The client's own what-if in the written notice of a revision (issue #21, contract.revision):
// the last full month before the revision takes effect, replayed as if the revision had been in
// force over it, and the client's own figures taken from that replay. Pure: the store reads and
// replays, this says which month, which file, and which figures.
import { DateTime } from 'luxon'
import type { DeskFile } from './desk-file.js'
import type { RecordedRevision } from './desk-file-revisions.js'
import { changeKey } from './revision.js'
import type { WhatIfResult } from './what-if.js'

/** A client's figures in the notice: what its calls of `month` would have become under the revision. */
export interface RevisionWhatIf {
  /** the month replayed (YYYY-MM, the desk's) */
  month: string
  /** the client's calls replayed */
  calls: number
  /** of them, those whose decision would differ */
  changedCalls: number
  /** of them, those that would meet a closed desk and did not */
  newlyClosed: number
  /** billable seconds as it would be minus as recorded: > 0, minutes move beyond the quota */
  secondsMovedBeyondQuota: number
  minutesMovedBeyondQuota: number
}

/**
 * The month a revision's notice replays: the last full month before it takes effect that is over
 * on `today` (desk-local dates). A revision takes effect on the day it is recorded at the
 * earliest, so this is in practice last month.
 */
export function noticeMonth(effectiveFrom: string, today: string): { month: string; from: string; to: string } {
  const before = effectiveFrom < today ? effectiveFrom : today
  const start = DateTime.fromISO(before, { zone: 'UTC' }).startOf('month').minus({ months: 1 })
  return {
    month: start.toFormat('yyyy-MM'),
    from: start.toISODate() as string,
    to: start.endOf('month').toISODate() as string,
  }
}

/**
 * The file with each of `revisions` (changes the service is recording, known by their key) in
 * force from `from` on rather than from their own date, so that a replay from `from` decides
 * every call under them; everything else as the file says.
 */
export function revisionsInForceFrom(file: DeskFile, revisions: readonly RecordedRevision[], from: string): DeskFile {
  const moved = <T extends { from: string }>(changes: T[], keys: ReadonlySet<string>): T[] =>
    changes.map((change) => (keys.has(changeKey(change)) ? { ...change, from } : change))
  const keysOf = (match: (revision: RecordedRevision) => boolean) =>
    new Set(revisions.filter(match).map((revision) => revision.key))
  return {
    ...file,
    desks: file.desks.map((desk) => {
      const keys = keysOf((revision) => revision.kind === 'hours' && revision.desk === desk.id)
      return keys.size ? { ...desk, schedule: { ...desk.schedule, changes: moved(desk.schedule.changes, keys) } } : desk
    }),
    clients: file.clients.map((client) => ({
      ...client,
      contracts: client.contracts.map((contract) => {
        const keys = keysOf(
          (revision) =>
            revision.kind === 'contract' &&
            revision.clientId === client.id &&
            revision.desk === contract.desk &&
            revision.start === contract.start,
        )
        return keys.size ? { ...contract, changes: moved(contract.changes, keys) } : contract
      }),
    })),
  }
}

/** A client's own figures from a replay of `month`: its calls, and how it is affected (zero when it is not). */
export function clientWhatIf(result: WhatIfResult, clientId: string, month: string): RevisionWhatIf {
  const calls = result.summary.callsByClient.find((row) => row.clientId === clientId)?.calls ?? 0
  const affected = result.mostAffected.find((row) => row.clientId === clientId)
  return {
    month,
    calls,
    changedCalls: affected?.changedCalls ?? 0,
    newlyClosed: affected?.newlyClosed ?? 0,
    secondsMovedBeyondQuota: affected?.secondsMovedBeyondQuota ?? 0,
    minutesMovedBeyondQuota: affected?.minutesMovedBeyondQuota ?? 0,
  }
}
