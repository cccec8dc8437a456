// npm run cli -- what-if <proposed desk file> --from --to [--json]: the replay of POST /api/what-if
// on the database directly, printed as a readable summary (or, with --json, as the API answers).
import type { ReplayProgress } from '../domain/what-if-progress.js'
import { type SecondsSplit, type WhatIfResult, usageDiffers } from '../domain/what-if.js'

const count = (n: number) => n.toLocaleString('en-US')

/** A month replayed, for stderr: "2026-03: 81,234 calls replayed (243,702 so far, 12.4 s)". */
export function whatIfProgressLine(progress: ReplayProgress, elapsedMs: number): string {
  return `${progress.month}: ${count(progress.monthCalls)} calls replayed (${count(progress.calls)} so far, ${(elapsedMs / 1000).toFixed(1)} s)`
}

/** "8 min" or "45 s": minutes in the summary, seconds when under a minute. */
function duration(seconds: number): string {
  const sign = seconds < 0 ? '-' : ''
  const size = Math.abs(seconds)
  return `${sign}${size < 60 ? `${size} s` : `${Math.round(size / 60)} min`}`
}

function split(value: SecondsSplit): string {
  return (
    `${duration(value.includedSeconds)} included + ${duration(value.billableSeconds)} beyond` +
    (value.graceSeconds ? ` + ${duration(value.graceSeconds)} grace` : '') +
    (value.onCallSeconds ? `, ${duration(value.onCallSeconds)} on call` : '')
  )
}

/** The answer as lines for a person: what changes, then the usage and the callbacks that move. */
export function whatIfLines(result: WhatIfResult): string[] {
  const lines = [
    `${result.period.from} to ${result.period.to}: ${result.calls} calls replayed, ${result.changed.length} would change` +
      (result.undecided > 0 ? ` (${result.undecided} never decided: not compared)` : ''),
  ]
  if (result.changed.length > 0) {
    lines.push('', 'changed calls (recorded → would be):')
    for (const call of result.changed)
      lines.push(
        `  ${call.startedAt}  ${call.callSid}  ${call.clientId ?? 'unknown caller'}${call.desk ? `@${call.desk}` : ''}  ` +
          `${call.outcome ?? 'undecided'} → ${call.wouldBe}  (${call.talk.note})`,
      )
  }
  const moved = result.usage.filter(usageDiffers)
  if (moved.length > 0) {
    lines.push('', 'usage that would differ (recorded → would be):')
    for (const row of moved)
      lines.push(`  ${row.clientId}@${row.desk} ${row.month}: ${split(row.recorded)} → ${split(row.wouldBe)}`)
  }
  if (result.callbacks.length > 0) {
    lines.push('', 'callbacks whose due time would move:')
    for (const callback of result.callbacks)
      lines.push(
        `  #${callback.callbackId} (${callback.callSid}): due ${callback.dueAt ?? 'never'} → ${callback.wouldBeDueAt ?? 'never'}`,
      )
  }
  if (result.emailRequests.length > 0) {
    lines.push('', 'e-mail requests whose due time would move:')
    for (const request of result.emailRequests)
      lines.push(`  #${request.requestId}: due ${request.dueAt ?? 'never'} → ${request.wouldBeDueAt ?? 'never'}`)
  }
  lines.push('', `minutes moving beyond the quota: ${result.summary.minutesMovedBeyondQuota}`)
  if (result.summary.unknownDeskCalls > 0)
    lines.push(`calls to a number no desk of the file has: ${result.summary.unknownDeskCalls}`)
  if (result.mostAffected.length > 0) lines.push('clients most affected:')
  for (const client of result.mostAffected.slice(0, 10))
    lines.push(
      `  ${client.clientId}: ${client.changedCalls} changed, ${client.newlyClosed} newly closed, ${duration(client.secondsMovedBeyondQuota)} beyond the quota`,
    )
  if (result.summary.closedByClient.length > 0) lines.push('calls that would meet a closed desk, by client:')
  for (const row of result.summary.closedByClient)
    lines.push(`  ${row.clientId}: ${row.calls} (${row.newlyClosed} not closed as recorded)`)
  return lines
}
