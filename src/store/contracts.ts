// Contracts as managers list them (with the client's name and the desk's time zone), and the
// client's notice of non-renewal, recorded with who and when.
import { and, asc, eq } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { clients, contracts, desks } from '../../db/schema.js'
import type { ContractKey } from '../domain/config-edit.js'
import type { Contact } from '../domain/notifications.js'
import { writeAudit } from './audit.js'
import type { Actor } from './calendar.js'
import { touchConfiguration } from './config-version.js'

export type ContractRecord = typeof contracts.$inferSelect & {
  clientName: string
  timezone: string
  /** the client's designated technical contact (INTERcom Art. 2), if the desk file names one */
  clientContact: Contact | null
}

const recordColumns = { contract: contracts, clientName: clients.name, timezone: desks.timezone, clientContact: clients.contact }

function toRecord(row: {
  contract: typeof contracts.$inferSelect
  clientName: string
  timezone: string
  clientContact: Contact | null
}): ContractRecord {
  return { ...row.contract, clientName: row.clientName, timezone: row.timezone, clientContact: row.clientContact }
}

/** Active contracts, by client, desk and signature date. */
export async function listContracts(db: Queryable, filter: { clientId?: string | undefined }): Promise<ContractRecord[]> {
  const rows = await db
    .select(recordColumns)
    .from(contracts)
    .innerJoin(clients, eq(clients.id, contracts.clientId))
    .innerJoin(desks, eq(desks.id, contracts.deskId))
    .where(and(eq(contracts.active, true), filter.clientId ? eq(contracts.clientId, filter.clientId) : undefined))
    .orderBy(asc(contracts.clientId), asc(contracts.deskId), asc(contracts.start))
  return rows.map(toRecord)
}

/** A contract by id, active or not (a deactivated one keeps its history). */
export async function findContract(db: Queryable, id: number): Promise<ContractRecord | null> {
  const [row] = await db
    .select(recordColumns)
    .from(contracts)
    .innerJoin(clients, eq(clients.id, contracts.clientId))
    .innerJoin(desks, eq(desks.id, contracts.deskId))
    .where(eq(contracts.id, id))
  return row ? toRecord(row) : null
}

/** The id of the contract a desk file's entry names. */
export async function contractIdOf(db: Queryable, key: ContractKey): Promise<number | null> {
  const [row] = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.clientId, key.clientId), eq(contracts.deskId, key.desk), eq(contracts.start, key.start)))
  return row?.id ?? null
}

/**
 * Records the client's notice (INTERcom: 3 months before the end of the current period) on an
 * active contract; a later record corrects an earlier one. Null when there is no such contract.
 */
export async function recordNotice(db: Database, id: number, givenOn: string, actor: Actor): Promise<ContractRecord | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(contracts)
      .where(and(eq(contracts.id, id), eq(contracts.active, true)))
      .for('update')
    if (!current) return null
    if (current.noticeGivenOn !== givenOn) {
      const before = { noticeGivenOn: current.noticeGivenOn, noticeRecordedBy: current.noticeRecordedBy }
      const after = { noticeGivenOn: givenOn, noticeRecordedBy: actor.name }
      await tx
        .update(contracts)
        .set({ ...after, updatedAt: actor.now })
        .where(eq(contracts.id, id))
      // Named as the desk file's changes name contracts, so one contract's history reads as one.
      const entityId = `${current.clientId}/${current.deskId}/${current.start}`
      await writeAudit(tx, {
        at: actor.now,
        actor: actor.name,
        action: 'api.notice',
        entity: 'contract',
        entityId,
        before,
        after,
      })
      // Notice fixes when the contract ends, which decides whether calls are served.
      await touchConfiguration(tx, actor.now)
    }
    return findContract(tx, id)
  })
}
