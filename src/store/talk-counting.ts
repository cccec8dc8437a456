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

  const counted = countedSeconds(leg.talkSeconds, leg.billingIncrementSeconds)
  const split = leg.onCall
    ? { includedSeconds: 0, overageSeconds: 0, graceSeconds: 0 }
    : splitLeg({ quotaSeconds: leg.quotaSeconds, ...month, seconds: counted, billable: leg.billable, consented: leg.consented })
  const inserted = await tx
    .insert(talkLegs)
    .values({
      callSid: leg.callSid,
      dialCallSid: leg.dialCallSid,
      contractId: leg.contractId,
      month: leg.month,
      talkSeconds: leg.talkSeconds,
      countedSeconds: leg.onCall ? 0 : counted,
      includedSeconds: split.includedSeconds,
      overageSeconds: split.overageSeconds,
      graceSeconds: split.graceSeconds,
      consented: leg.consented,
      onCall: leg.onCall,
      onCallSeconds: leg.onCall ? counted : 0,
      countedAt: leg.now,
    })
    .onConflictDoNothing()
    .returning({ callSid: talkLegs.callSid })
  if (inserted.length === 0) return { counted: false }

  const intoQuota = leg.onCall ? 0 : counted
  await tx
    .update(usage)
    .set({
      quotaSeconds: leg.quotaSeconds,
      usedSeconds: sql`${usage.usedSeconds} + ${intoQuota}`,
      includedSeconds: sql`${usage.includedSeconds} + ${split.includedSeconds}`,
      overageSeconds: sql`${usage.overageSeconds} + ${split.overageSeconds}`,
      graceSeconds: sql`${usage.graceSeconds} + ${split.graceSeconds}`,
      consentedSeconds: sql`${usage.consentedSeconds} + ${leg.consented && !leg.onCall ? counted : 0}`,
      onCallSeconds: sql`${usage.onCallSeconds} + ${leg.onCall ? counted : 0}`,
      calls: sql`${usage.calls} + 1`,
      updatedAt: leg.now,
    })
    .where(and(eq(usage.contractId, leg.contractId), eq(usage.month, leg.month)))

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
  return { counted: true, countedSeconds: counted, split, thresholds }
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
