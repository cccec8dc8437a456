// Monthly usage per contract: quota, talk counted (included and beyond), on-call, thresholds.
import { and, asc, eq, inArray, or } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable } from '../../db/client.js'
import { clients, contracts, desks, usage, usageThresholds } from '../../db/schema.js'
import { contractStanding } from '../domain/calendar/index.js'
import { termsOn } from '../domain/contract-terms.js'
import { monthOf } from '../domain/quota.js'

export interface UsageItem {
  contractId: number
  clientId: string
  clientName: string
  desk: string
  month: string
  quotaSeconds: number
  /** all talk counted in the month: included and overage together */
  usedSeconds: number
  includedSeconds: number
  /** the part of usedSeconds beyond quotaSeconds that is billable (the `bill` policy, or consented) */
  overageSeconds: number
  /** the part of usedSeconds beyond quotaSeconds that is never billed (`refuse`'s grace, `ask` before a yes) */
  graceSeconds: number
  /** out-of-hours on-call talk, billed apart */
  onCallSeconds: number
  calls: number
  /** percentages of the quota crossed this month (80, 100) */
  thresholds: number[]
}

/**
 * The month "now" is in, for a usage query that names none: months are the desks' (DESIGN.md),
 * so it is taken in the first active desk's time zone (the dashboard's rule too), UTC without one.
 */
export async function currentUsageMonth(db: Queryable, now: Date): Promise<string> {
  const [desk] = await db
    .select({ timezone: desks.timezone })
    .from(desks)
    .where(eq(desks.active, true))
    .orderBy(asc(desks.id))
    .limit(1)
  return monthOf(now, desk?.timezone ?? 'UTC')
}

/** Contracts with usage in `month`, and contracts in force during it (with zero usage). */
export async function usageForMonth(db: Queryable, month: string, clientId: string | null): Promise<UsageItem[]> {
  const rows = await db
    .select({ contract: contracts, clientName: clients.name, usage })
    .from(contracts)
    .innerJoin(clients, eq(clients.id, contracts.clientId))
    .leftJoin(usage, and(eq(usage.contractId, contracts.id), eq(usage.month, month)))
    .where(and(clientId ? eq(contracts.clientId, clientId) : undefined, or(eq(contracts.active, true), eq(usage.month, month))))
    .orderBy(contracts.clientId, contracts.deskId, contracts.start)
  const kept = rows.filter((row) => row.usage || inForceDuring(row.contract, month))
  const crossed = kept.length
    ? await db
        .select()
        .from(usageThresholds)
        .where(
          and(
            eq(usageThresholds.month, month),
            inArray(
              usageThresholds.contractId,
              kept.map((row) => row.contract.id),
            ),
          ),
        )
    : []
  return kept.map(({ contract, clientName, usage: used }) => ({
    contractId: contract.id,
    clientId: contract.clientId,
    clientName,
    desk: contract.deskId,
    month,
    // A month without calls: the quota in force on its first day (terms may be revised).
    quotaSeconds:
      used?.quotaSeconds ??
      termsOn({ ...contract, quotaSeconds: contract.monthlyQuotaSeconds }, contract.changes, `${month}-01`).quotaSeconds,
    usedSeconds: used?.usedSeconds ?? 0,
    includedSeconds: used?.includedSeconds ?? 0,
    overageSeconds: used?.overageSeconds ?? 0,
    graceSeconds: used?.graceSeconds ?? 0,
    onCallSeconds: used?.onCallSeconds ?? 0,
    calls: used?.calls ?? 0,
    thresholds: crossed
      .filter((t) => t.contractId === contract.id)
      .map((t) => t.percent)
      .sort((a, b) => a - b),
  }))
}

function inForceDuring(contract: typeof contracts.$inferSelect, month: string): boolean {
  const first = DateTime.fromISO(`${month}-01`)
  const days = [first, first.endOf('month')].map((day) => day.toISODate() as string)
  if (contract.start.startsWith(month)) days.push(contract.start)
  const terms = {
    start: contract.start,
    months: contract.months,
    noticeMonths: contract.noticeMonths,
    renews: contract.renews,
    noticeGivenOn: contract.noticeGivenOn,
  }
  return days.some((day) => contractStanding(terms, day).inForce)
}
