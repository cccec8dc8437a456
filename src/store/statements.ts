// A client's monthly statement: the counted legs behind it, with the calls they belong to, and
// the statement built from them and the month's usage.
import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { calls, contracts, overageConsents, talkLegs } from '../../db/schema.js'
import { type Statement, type StatementLine, buildStatement } from '../domain/statement.js'
import { usageForMonth } from './usage-report.js'

/** Every leg counted into `month` (the desk-local month of the call's start) for the client's contracts. */
export async function statementLines(db: Queryable, clientId: string, month: string): Promise<StatementLine[]> {
  const rows = await db
    .select({
      contractId: talkLegs.contractId,
      callSid: talkLegs.callSid,
      dialCallSid: talkLegs.dialCallSid,
      startedAt: calls.startedAt,
      from: calls.fromNumber,
      agentId: calls.agentId,
      talkSeconds: talkLegs.talkSeconds,
      countedSeconds: talkLegs.countedSeconds,
      includedSeconds: talkLegs.includedSeconds,
      overageSeconds: talkLegs.overageSeconds,
      graceSeconds: talkLegs.graceSeconds,
      onCall: talkLegs.onCall,
      onCallSeconds: talkLegs.onCallSeconds,
      consent: overageConsents,
    })
    .from(talkLegs)
    .innerJoin(contracts, eq(contracts.id, talkLegs.contractId))
    .innerJoin(calls, eq(calls.callSid, talkLegs.callSid))
    // The consent next to the seconds it covers: the legs that came after the caller's yes.
    .leftJoin(overageConsents, and(eq(overageConsents.callSid, talkLegs.callSid), eq(talkLegs.consented, true)))
    .where(and(eq(contracts.clientId, clientId), eq(talkLegs.month, month)))
    .orderBy(asc(calls.startedAt), asc(talkLegs.callSid), asc(talkLegs.dialCallSid))
  return rows.map(({ consent, ...line }) => ({
    ...line,
    consent: consent && { at: consent.at, digit: consent.digit, words: consent.words, question: consent.question },
  }))
}

/** A client's statement for a month, from the same figures as its usage. */
export async function loadStatement(db: Queryable, clientId: string, month: string): Promise<Statement> {
  const [usage, lines] = await Promise.all([usageForMonth(db, month, clientId), statementLines(db, clientId, month)])
  return buildStatement(month, usage, lines)
}
