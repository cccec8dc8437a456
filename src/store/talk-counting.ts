// Counting answered talk time into a contract's month, exactly once per dial leg, atomically.
import { and, eq, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { talkLegs, usage, usageThresholds } from '../../db/schema.js'
import { type QuotaSplit, countedSeconds, splitLeg, thresholdsCrossed } from '../domain/quota.js'
import { notifyThresholds } from './notifications.js'

export interface TalkLeg {
  callSid: string
  dialCallSid: string
  contractId: number
  month: string
  talkSeconds: number
  /** out-of-hours on-call talk: billed apart, outside the quota */
  onCall: boolean
  /** seconds beyond the quota are billable (`bill`, or consented); otherwise they are grace, never billed */
  billable: boolean
  /** the leg came after the caller's yes to billing */
  consented: boolean
  quotaSeconds: number
  billingIncrementSeconds: number
  now: Date
}

export type CountResult =
  | { counted: true; countedSeconds: number; split: QuotaSplit; thresholds: number[] }
  /** this leg was already counted (a duplicate or late callback): nothing added */
  | { counted: false }

/**
 * Counts a leg's talk into its month. Must run inside a transaction: the month's usage row is
 * locked first (so two instances counting for the same contract take turns and the quota line is
 * split exactly), then the leg's row is inserted; only a newly inserted leg adds seconds.
 */
export async function countTalk(tx: Queryable, leg: TalkLeg): Promise<CountResult> {
  await tx
    .insert(usage)
    .values({ contractId: leg.contractId, month: leg.month, quotaSeconds: leg.quotaSeconds, updatedAt: leg.now })
    .onConflictDoNothing()
  const [month] = await tx
    .select({ usedSeconds: usage.usedSeconds, consentedSeconds: usage.consentedSeconds })
    .from(usage)
    .where(and(eq(usage.contractId, leg.contractId), eq(usage.month, leg.month)))
    .for('update')
  if (!month) throw new Error(`usage row for contract ${leg.contractId} ${leg.month} vanished`)

  const result = await countLockedLeg(tx, leg, month)
  if (!result.counted) return { counted: false }
  const { callTalkSeconds: _, ...counted } = result
  return counted
}

/**
 * Counts a leg whose month's usage row this transaction holds locked, `month` being its sums as
 * locked: the leg's row, and only if it is new, the month's sums, in one statement; then the
 * thresholds the leg crossed (rare: a statement of their own). A counted leg also gives the talk
 * of the call's counted legs with it, read by the same statement.
 */
export async function countLockedLeg(
  tx: Queryable,
  leg: TalkLeg,
  month: { usedSeconds: number; consentedSeconds: number },
): Promise<(CountResult & { counted: true; callTalkSeconds: number }) | { counted: false }> {
  const counted = countedSeconds(leg.talkSeconds, leg.billingIncrementSeconds)
  const split = leg.onCall
    ? { includedSeconds: 0, overageSeconds: 0, graceSeconds: 0 }
    : splitLeg({ quotaSeconds: leg.quotaSeconds, ...month, seconds: counted, billable: leg.billable, consented: leg.consented })
  const intoQuota = leg.onCall ? 0 : counted
  const now = leg.now.toISOString()
  const result = (await tx.execute(
    sql`with leg as (
        insert into talk_legs (call_sid, dial_call_sid, contract_id, month, talk_seconds, counted_seconds,
          included_seconds, overage_seconds, grace_seconds, consented, on_call, on_call_seconds, counted_at)
        values (${leg.callSid}, ${leg.dialCallSid}, ${leg.contractId}::int, ${leg.month}, ${leg.talkSeconds}::int,
          ${leg.onCall ? 0 : counted}::int, ${split.includedSeconds}::int, ${split.overageSeconds}::int,
          ${split.graceSeconds}::int, ${leg.consented}::boolean, ${leg.onCall}::boolean,
          ${leg.onCall ? counted : 0}::int, ${now}::timestamptz)
        on conflict do nothing
        returning talk_seconds
      ), month as (
        update usage set
          quota_seconds = ${leg.quotaSeconds}::int,
          used_seconds = used_seconds + ${intoQuota}::int,
          included_seconds = included_seconds + ${split.includedSeconds}::int,
          overage_seconds = overage_seconds + ${split.overageSeconds}::int,
          grace_seconds = grace_seconds + ${split.graceSeconds}::int,
          consented_seconds = consented_seconds + ${leg.consented && !leg.onCall ? counted : 0}::int,
          on_call_seconds = on_call_seconds + ${leg.onCall ? counted : 0}::int,
          calls = calls + 1,
          updated_at = ${now}::timestamptz
        where contract_id = ${leg.contractId}::int and month = ${leg.month} and exists (select 1 from leg)
        returning 1
      )
      select (select talk_seconds from leg) as inserted,
        (select coalesce(sum(talk_seconds), 0) from talk_legs where call_sid = ${leg.callSid})::int as before`,
  )) as unknown as { inserted: number | null; before: number }[] | { rows: { inserted: number | null; before: number }[] }
  const [row] = Array.isArray(result) ? result : result.rows
  if (row?.inserted === null || row?.inserted === undefined) return { counted: false }
  // The statement's snapshot does not hold the leg it inserted: the call's talk is the others' and this one's.
  const callTalkSeconds = Number(row.before) + Number(row.inserted)

  const thresholds = leg.onCall ? [] : thresholdsCrossed(leg.quotaSeconds, month.usedSeconds, month.usedSeconds + counted)
  if (thresholds.length > 0) {
    const recorded = await tx
      .insert(usageThresholds)
      .values(
        thresholds.map((percent) => ({
          contractId: leg.contractId,
          month: leg.month,
          percent,
          callSid: leg.callSid,
          crossedAt: leg.now,
        })),
      )
      .onConflictDoNothing()
      .returning({ percent: usageThresholds.percent })
    // quota.threshold, in the same transaction as the crossing: once per contract, month and line.
    await notifyThresholds(
      tx,
      recorded.map(({ percent }) => ({
        contractId: leg.contractId,
        month: leg.month,
        percent,
        callSid: leg.callSid,
        quotaSeconds: leg.quotaSeconds,
      })),
      leg.now,
    )
  }
  return { counted: true, countedSeconds: counted, split, thresholds, callTalkSeconds }
}

/** The talk of a call's counted legs, all together (a call re-dialled at the quota line has several). */
export async function callTalkSeconds(db: Queryable, callSid: string): Promise<number> {
  const [row] = await db
    .select({ seconds: sql<number>`coalesce(sum(${talkLegs.talkSeconds}), 0)::int` })
    .from(talkLegs)
    .where(eq(talkLegs.callSid, callSid))
  return Number(row?.seconds ?? 0)
}

/** Seconds a contract has used in a month (0 before its first counted call). */
export async function usedSeconds(db: Queryable, contractId: number, month: string): Promise<number> {
  const [row] = await db
    .select({ usedSeconds: usage.usedSeconds })
    .from(usage)
    .where(and(eq(usage.contractId, contractId), eq(usage.month, month)))
  return row?.usedSeconds ?? 0
}
