// The counted legs behind a client's monthly statement, with the calls they belong to.
import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { calls, contracts, talkLegs } from '../../db/schema.js'
import type { StatementLine } from '../domain/statement.js'

/** Every leg counted into `month` (the desk-local month of the call's start) for the client's contracts. */
export async function statementLines(db: Queryable, clientId: string, month: string): Promise<StatementLine[]> {
  return db
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
      onCall: talkLegs.onCall,
      onCallSeconds: talkLegs.onCallSeconds,
    })
    .from(talkLegs)
    .innerJoin(contracts, eq(contracts.id, talkLegs.contractId))
    .innerJoin(calls, eq(calls.callSid, talkLegs.callSid))
    .where(and(eq(contracts.clientId, clientId), eq(talkLegs.month, month)))
    .orderBy(asc(calls.startedAt), asc(talkLegs.callSid), asc(talkLegs.dialCallSid))
}
