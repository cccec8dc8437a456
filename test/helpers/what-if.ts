// What the what-if property tests check after a history: the replay under the file in force
// changes nothing and counts, client by client, what GET /api/usage counted (all four figures).
import type { Test } from 'tap'

interface UsageItem {
  clientId: string
  includedSeconds: number
  overageSeconds: number
  graceSeconds: number
  onCallSeconds: number
}

interface ReplayedRow {
  clientId: string
  month: string
  recorded: unknown
  wouldBe: unknown
}

/** Every replayed row as recorded, and each client's month as the live counting counted it. */
export function assertReplayCountsTheUsage(t: Test, replayed: ReplayedRow[], usage: UsageItem[]): void {
  for (const row of replayed) t.same(row.wouldBe, row.recorded, `${row.clientId} ${row.month}: as recorded`)
  for (const item of usage) {
    const row = replayed.find((each) => each.clientId === item.clientId)
    t.same(
      row?.wouldBe ?? { includedSeconds: 0, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 },
      {
        includedSeconds: item.includedSeconds,
        billableSeconds: item.overageSeconds,
        graceSeconds: item.graceSeconds,
        onCallSeconds: item.onCallSeconds,
      },
      `${item.clientId}: the replay counts what the live counting counted, grace and on-call too`,
    )
  }
  const crossed = usage.filter((item) => item.overageSeconds > 0).map((item) => item.clientId)
  t.comment(crossed.length > 0 ? `quotas crossed: ${crossed.join(', ')}` : 'this history crossed no quota')
}
