// Clients as the call flow sees them: identified by a registered number, with their contracts on
// a desk and what each has used of the month's quota.
import { and, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { clientNumbers, clients, contracts, usage } from '../../db/schema.js'
import type { CallerFacts, ContractFacts } from '../domain/call.js'

export async function findCaller(db: Queryable, number: string, deskId: string, month: string): Promise<CallerFacts | null> {
  const [row] = await db
    .select({ client: clients })
    .from(clientNumbers)
    .innerJoin(clients, eq(clients.id, clientNumbers.clientId))
    .where(and(eq(clientNumbers.number, number), eq(clients.active, true)))
  if (!row) return null
  const { client } = row
  return {
    client: {
      id: client.id,
      name: client.name,
      language: client.language,
      suspended: client.suspended,
      suspendedReason: client.suspendedReason,
    },
    contracts: await contractsOf(db, client.id, deskId, month),
  }
}

export async function findClient(db: Queryable, clientId: string) {
  const [row] = await db.select().from(clients).where(eq(clients.id, clientId))
  return row ?? null
}

/** A client's active contracts with a desk, with the seconds used in `month`. */
export async function contractsOf(db: Queryable, clientId: string, deskId: string, month: string): Promise<ContractFacts[]> {
  const rows = await db
    .select({ contract: contracts, usedSeconds: usage.usedSeconds })
    .from(contracts)
    .leftJoin(usage, and(eq(usage.contractId, contracts.id), eq(usage.month, month)))
    .where(and(eq(contracts.clientId, clientId), eq(contracts.deskId, deskId), eq(contracts.active, true)))
  return rows.map(({ contract, usedSeconds }) => ({
    id: contract.id,
    terms: {
      start: contract.start,
      months: contract.months,
      noticeMonths: contract.noticeMonths,
      renews: contract.renews,
      noticeGivenOn: contract.noticeGivenOn,
    },
    quotaSeconds: contract.monthlyQuotaSeconds,
    overage: contract.overage,
    billingIncrementSeconds: contract.billingIncrementSeconds,
    usedSeconds: usedSeconds ?? 0,
  }))
}
