// A client's monthly statement: the counted legs behind it, with the calls they belong to, the
// answered e-mail requests whose minutes counted, and the statement built from them and the usage.
import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { callbacks, calls, contracts, emailCounts, overageConsents, talkLegs } from '../../db/schema.js'
import { type EmailLine, type Statement, type StatementLine, buildStatement } from '../domain/statement.js'
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

/** Every answered e-mail request whose minutes counted into `month` (the desk-local month of the answer). */
export async function statementEmailLines(db: Queryable, clientId: string, month: string): Promise<EmailLine[]> {
  return db
    .select({
      contractId: emailCounts.contractId,
      requestId: emailCounts.callbackId,
      subject: callbacks.subject,
      answeredAt: emailCounts.countedAt,
      countedSeconds: emailCounts.countedSeconds,
      includedSeconds: emailCounts.includedSeconds,
      overageSeconds: emailCounts.overageSeconds,
      graceSeconds: emailCounts.graceSeconds,
    })
    .from(emailCounts)
    .innerJoin(contracts, eq(contracts.id, emailCounts.contractId))
    .innerJoin(callbacks, eq(callbacks.id, emailCounts.callbackId))
    .where(and(eq(contracts.clientId, clientId), eq(emailCounts.month, month)))
    .orderBy(asc(emailCounts.countedAt), asc(emailCounts.callbackId))
}

/** A client's statement for a month, from the same figures as its usage. */
export async function loadStatement(db: Queryable, clientId: string, month: string): Promise<Statement> {
  const [usage, lines, emails] = await Promise.all([
    usageForMonth(db, month, clientId),
    statementLines(db, clientId, month),
    statementEmailLines(db, clientId, month),
  ])
  return buildStatement(month, usage, lines, emails)
}
