// Clients as the call flow sees them: identified by a registered number, with their contracts on
// a desk and what each has used of the month's quota.
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { writeAudit } from './audit.js'
import { callerLanguages, clientNumbers, clients, contracts, desks, usage } from '../../db/schema.js'
import type { CallerFacts, ContractFacts } from '../domain/call.js'
import { type ConfiguredContract, callerClient, configuredContract } from '../domain/configured-facts.js'

export async function findCaller(db: Queryable, number: string, deskId: string, month: string): Promise<CallerFacts | null> {
  const [row] = await db
    .select({ client: clients, numberLanguage: clientNumbers.language })
    .from(clientNumbers)
    .innerJoin(clients, eq(clients.id, clientNumbers.clientId))
    .where(and(eq(clientNumbers.number, number), eq(clients.active, true)))
  if (!row) return null
  const { client, numberLanguage } = row
  return {
    client: callerClient(client),
    numberLanguage,
    contracts: await contractsOf(db, client.id, deskId, month),
  }
}

export async function findClient(db: Queryable, clientId: string) {
  const [row] = await db.select().from(clients).where(eq(clients.id, clientId))
  return row ?? null
}

/** A client's active contracts with a desk, with the seconds used in `month`. */
async function contractsOf(db: Queryable, clientId: string, deskId: string, month: string): Promise<ContractFacts[]> {
  const rows = await db
    .select({ contract: contracts, usedSeconds: usage.usedSeconds })
    .from(contracts)
    .leftJoin(usage, and(eq(usage.contractId, contracts.id), eq(usage.month, month)))
    .where(and(eq(contracts.clientId, clientId), eq(contracts.deskId, deskId), eq(contracts.active, true)))
  return rows.map(({ contract, usedSeconds }) => ({ ...contractTerms(contract), usedSeconds: usedSeconds ?? 0 }))
}

/** A contract as configured: everything the decision needs but the month's usage, which is never cached. */
export type ContractConfig = ConfiguredContract

export interface CallerConfig {
  client: CallerFacts['client']
  /** the registered number's own language (null: the client's) */
  numberLanguage: string | null
  /** the client's active contracts, with every desk */
  contracts: ContractConfig[]
}

/** Every registered number of an active client, with the client and its active contracts (for the in-memory configuration). */
export async function loadAllCallers(tx: Queryable): Promise<Map<string, CallerConfig>> {
  const [clientRows, numbers, contractRows] = await Promise.all([
    tx.select().from(clients).where(eq(clients.active, true)),
    tx
      .select({ number: clientNumbers.number, clientId: clientNumbers.clientId, language: clientNumbers.language })
      .from(clientNumbers),
    tx.select().from(contracts).where(eq(contracts.active, true)),
  ])
  const byClient = new Map<string, CallerConfig>()
  for (const client of clientRows) {
    byClient.set(client.id, { client: callerClient(client), numberLanguage: null, contracts: [] })
  }
  for (const contract of contractRows) byClient.get(contract.clientId)?.contracts.push(contractTerms(contract))
  const byNumber = new Map<string, CallerConfig>()
  for (const { number, clientId, language } of numbers) {
    const caller = byClient.get(clientId)
    if (caller) byNumber.set(number, language === null ? caller : { ...caller, numberLanguage: language })
  }
  return byNumber
}

function contractTerms(contract: typeof contracts.$inferSelect): ContractConfig {
  return configuredContract(contract.id, contract)
}

/** The language a calling number chose at the language menu, if it ever did. */
export async function rememberedLanguage(db: Queryable, number: string): Promise<string | null> {
  const [row] = await db
    .select({ language: callerLanguages.language })
    .from(callerLanguages)
    .where(eq(callerLanguages.number, number))
  return row?.language ?? null
}

/** A remembered choice as a manager sees it. */
export async function rememberedChoice(db: Queryable, number: string) {
  const [row] = await db.select().from(callerLanguages).where(eq(callerLanguages.number, number))
  return row ?? null
}

/** Remembers a calling number's language: chosen at the menu ('caller') or set by a manager (their name). */
export async function rememberLanguage(
  db: Queryable,
  number: string,
  choice: { language: string; chosenBy: string; chosenAt: Date },
): Promise<void> {
  await db
    .insert(callerLanguages)
    .values({ number, ...choice })
    .onConflictDoUpdate({ target: callerLanguages.number, set: choice })
}

/** A manager sets (or, with null, forgets) the language remembered for a calling number; audited. */
export async function setRememberedLanguage(
  db: Database,
  number: string,
  language: string | null,
  actor: { name: string; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await rememberedChoice(tx, number)
    if (language === null) await tx.delete(callerLanguages).where(eq(callerLanguages.number, number))
    else await rememberLanguage(tx, number, { language, chosenBy: actor.name, chosenAt: actor.now })
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: 'caller-language.set',
      entity: 'caller-language',
      entityId: number,
      before: before ? { language: before.language } : null,
      after: language === null ? null : { language },
    })
  })
}

/** A client's registered numbers and their languages, as the Contracts page lists them. */
export interface ClientLanguages {
  clientId: string
  name: string
  language: string | null
  /** the desk of the client's first contract: its default language is the fallback */
  desk: { language: string; languages?: string[] | undefined; timezone: string } | null
  numbers: {
    number: string
    contact: string | null
    own: string | null
    chosen: { language: string; by: string; at: Date } | null
  }[]
}

/** The given clients with their numbers, each number's own language and the choice remembered for it. */
export async function listClientLanguages(db: Queryable, clientIds: readonly string[]): Promise<ClientLanguages[]> {
  if (clientIds.length === 0) return []
  const [clientRows, numberRows, deskRows] = await Promise.all([
    db
      .select({ id: clients.id, name: clients.name, language: clients.language })
      .from(clients)
      .where(inArray(clients.id, [...clientIds]))
      .orderBy(asc(clients.name), asc(clients.id)),
    db
      .select({ number: clientNumbers, chosen: callerLanguages })
      .from(clientNumbers)
      .leftJoin(callerLanguages, eq(callerLanguages.number, clientNumbers.number))
      .where(inArray(clientNumbers.clientId, [...clientIds]))
      .orderBy(asc(clientNumbers.number)),
    db
      .selectDistinctOn([contracts.clientId], {
        clientId: contracts.clientId,
        language: desks.language,
        languages: desks.languages,
        timezone: desks.timezone,
      })
      .from(contracts)
      .innerJoin(desks, eq(desks.id, contracts.deskId))
      .where(and(inArray(contracts.clientId, [...clientIds]), eq(contracts.active, true)))
      .orderBy(asc(contracts.clientId), asc(contracts.start)),
  ])
  const deskOf = new Map(
    deskRows.map((row) => [
      row.clientId,
      { language: row.language, languages: row.languages ?? undefined, timezone: row.timezone },
    ]),
  )
  return clientRows.map((client) => ({
    clientId: client.id,
    name: client.name,
    language: client.language,
    desk: deskOf.get(client.id) ?? null,
    numbers: numberRows
      .filter((row) => row.number.clientId === client.id)
      .map(({ number, chosen }) => ({
        number: number.number,
        contact: number.contact,
        own: number.language,
        chosen: chosen ? { language: chosen.language, by: chosen.chosenBy, at: chosen.chosenAt } : null,
      })),
  }))
}
