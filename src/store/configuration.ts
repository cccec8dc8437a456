// Applying a desk file: one transaction that makes the database say what the file says, writing
// only what differs (so applying it twice changes nothing) and auditing each change.
import { createHash } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { agentDesks, agents, appliedDeskFiles, clientNumbers, clients, contracts, deskNumbers, desks } from '../../db/schema.js'
import { localDate } from '../domain/contract-overview.js'
import { clientNumberRecords, clientRecord, contractRecord, deskRecord } from '../domain/configured-facts.js'
import type { DeskFile } from '../domain/desk-file.js'
import { type RecordedRevision, contractKey, recordFileRevisions } from '../domain/desk-file-revisions.js'
import { RevisionRefused } from '../errors.js'
import { writeAudit } from './audit.js'
import { touchConfiguration } from './config-version.js'
import { notifyRevisions } from './notifications.js'
import { type WarningLog, revisionWhatIfs } from './what-if.js'

export interface ApplySummary {
  /** SHA-256 of the normalised file: the same file always has the same digest */
  digest: string
  created: number
  updated: number
  deactivated: number
  /** one line per change, e.g. "client acme: updated" */
  changes: string[]
}

export interface ApplyContext {
  actor: string
  now: Date
  /** how the change came, for the audit log's action ("desk-file.update", "api.update") */
  via?: 'desk-file' | 'api'
  /** where a warning goes (the revision notices' what-if that could not be replayed); the process's warnings by default */
  log?: WarningLog
}

/** Without a log of the caller's: a process warning (stderr). */
const PROCESS_WARNINGS: WarningLog = {
  warn: (fields, message) => process.emitWarning(`${message} (${String((fields as { err?: unknown }).err ?? '')})`),
}

// An arbitrary constant: every configuration change takes this transaction-level lock first, so
// two changes (an API edit, a desk file) never read the same state and overwrite each other.
const CONFIGURATION_LOCK = 7_240_532

/** Serialises configuration changes; call first in the transaction, released at its end. */
export async function lockConfiguration(tx: Queryable): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CONFIGURATION_LOCK})`)
}

export function digestOf(file: DeskFile): string {
  return createHash('sha256').update(JSON.stringify(file)).digest('hex')
}

/**
 * The digest of the last desk file `actor` applied: DESK_FILE at start compares with its own last
 * file only, so changes made since through the API or the CLI survive a restart.
 */
export async function lastAppliedDigest(db: Queryable, actor: string): Promise<string | null> {
  const [row] = await db
    .select({ digest: appliedDeskFiles.digest })
    .from(appliedDeskFiles)
    .where(eq(appliedDeskFiles.actor, actor))
    .orderBy(desc(appliedDeskFiles.id))
    .limit(1)
  return row?.digest ?? null
}

export async function applyDeskFile(db: Database, file: DeskFile, context: ApplyContext): Promise<ApplySummary> {
  return db.transaction(async (tx) => {
    await lockConfiguration(tx)
    const summary = await syncConfiguration(tx, file, context)
    await tx.insert(appliedDeskFiles).values({
      digest: summary.digest,
      appliedAt: context.now,
      actor: context.actor,
      changes: summary.changes.length,
    })
    return summary
  })
}

/**
 * Makes the configuration say what `file` says, inside the caller's transaction (which should hold
 * lockConfiguration): writes only what differs, audits each change, bumps the version if any.
 */
export async function syncConfiguration(tx: Queryable, given: DeskFile, context: ApplyContext): Promise<ApplySummary> {
  const summary: ApplySummary = { digest: digestOf(given), created: 0, updated: 0, deactivated: 0, changes: [] }
  const { file, recorded } = await recordRevisionsOf(tx, given, context.now)
  const sync = new Sync(tx, context, summary)
  await sync.desks(file)
  await sync.agents(file)
  await sync.clients(file)
  if (summary.changes.length > 0) await touchConfiguration(tx, context.now)
  // The written notice of each revision just recorded, to the clients it binds (contract.revision),
  // with each client's own what-if of last month under the revision when it could be replayed.
  const whatIfs = await revisionWhatIfs(tx, file, recorded, context.now, context.log ?? PROCESS_WARNINGS)
  await notifyRevisions(tx, recorded, context.now, whatIfs)
  return summary
}

/**
 * The file with each revision stamped with the day the service first saw it, checked against its
 * rule when new (RevisionRefused otherwise); changes already recorded keep their day.
 */
async function recordRevisionsOf(
  tx: Queryable,
  file: DeskFile,
  now: Date,
): Promise<{ file: DeskFile; recorded: RecordedRevision[] }> {
  const [deskRows, contractRows] = await Promise.all([
    tx.select({ id: desks.id, changes: desks.weeklyChanges }).from(desks),
    tx
      .select({ clientId: contracts.clientId, deskId: contracts.deskId, start: contracts.start, changes: contracts.changes })
      .from(contracts),
  ])
  const zones = new Map(file.desks.map((desk) => [desk.id, desk.timezone]))
  const checked = recordFileRevisions(
    file,
    {
      desks: new Map(deskRows.map((row) => [row.id, row.changes])),
      contracts: new Map(contractRows.map((row) => [contractKey(row.clientId, row.deskId, row.start), row.changes])),
    },
    (deskId) => localDate(now, zones.get(deskId) ?? 'UTC'),
  )
  if (!checked.ok) throw new RevisionRefused(checked.problems)
  return checked
}

/** Normalises a value as the database will give it back (jsonb drops undefined keys). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

class Sync {
  constructor(
    private readonly tx: Queryable,
    private readonly context: ApplyContext,
    private readonly summary: ApplySummary,
  ) {}

  /** Records one change, in the summary and in the audit log. */
  private async changed(entity: string, id: string, action: 'create' | 'update' | 'deactivate', before: unknown, after: unknown) {
    if (action === 'create') this.summary.created++
    else if (action === 'update') this.summary.updated++
    else this.summary.deactivated++
    this.summary.changes.push(`${entity} ${id}: ${action}d`)
    await writeAudit(this.tx, {
      at: this.context.now,
      actor: this.context.actor,
      action: `${this.context.via ?? 'desk-file'}.${action}`,
      entity,
      entityId: id,
      before,
      after,
    })
  }

  /**
   * Upserts `wanted` rows of a table keyed by `id`: inserts the new, updates those whose fields
   * differ, and returns the ids present in the database but absent from the file.
   */
  private async upsert<Row extends { id: string | number }>(
    entity: string,
    existing: readonly Row[],
    wanted: readonly { id: string; row: Partial<Row> & Record<string, unknown>; matches?: (row: Row) => boolean }[],
    write: { insert(row: Partial<Row>): Promise<unknown>; update(id: Row['id'], row: Partial<Row>): Promise<unknown> },
  ): Promise<Row[]> {
    const byId = new Map(existing.map((row) => [String(row.id), row]))
    for (const { id, row, matches } of wanted) {
      const current = matches ? existing.find(matches) : byId.get(id)
      if (!current) {
        await write.insert(row)
        await this.changed(entity, id, 'create', null, row)
        continue
      }
      byId.delete(String(current.id))
      const before = Object.fromEntries(Object.keys(row).map((key) => [key, current[key as keyof Row]]))
      if (!isDeepStrictEqual(plain(before), plain(row))) {
        await write.update(current.id, row)
        await this.changed(entity, id, 'update', before, row)
      }
    }
    return [...byId.values()]
  }

  async desks(file: DeskFile) {
    const { tx, context } = this
    const existing = await tx.select().from(desks)
    const missing = await this.upsert(
      'desk',
      existing,
      file.desks.map((desk) => ({
        id: desk.id,
        row: {
          ...deskRecord(desk),
          active: true,
        },
      })),
      {
        insert: (row) => tx.insert(desks).values({ ...row, updatedAt: context.now } as typeof desks.$inferInsert),
        update: (id, row) =>
          tx
            .update(desks)
            .set({ ...row, updatedAt: context.now })
            .where(eq(desks.id, String(id))),
      },
    )
    for (const desk of missing.filter((desk) => desk.active)) {
      await tx.update(desks).set({ active: false, updatedAt: context.now }).where(eq(desks.id, desk.id))
      await this.changed('desk', desk.id, 'deactivate', { active: true }, { active: false })
    }

    // Numbers: a number dialled reaches exactly one desk; numbers gone from the file stop answering.
    const wantedNumbers = new Map(file.desks.flatMap((desk) => desk.numbers.map((number) => [number, desk.id])))
    const currentNumbers = await tx.select().from(deskNumbers)
    for (const { number, deskId } of currentNumbers) {
      if (wantedNumbers.get(number) === deskId) wantedNumbers.delete(number)
      else {
        await tx.delete(deskNumbers).where(eq(deskNumbers.number, number))
        await this.changed('desk-number', number, 'deactivate', { deskId }, null)
      }
    }
    for (const [number, deskId] of wantedNumbers) {
      await tx.insert(deskNumbers).values({ number, deskId })
      await this.changed('desk-number', number, 'create', null, { deskId })
    }
  }

  async agents(file: DeskFile) {
    const { tx, context } = this
    const existing = await tx.select().from(agents)
    const known = new Map(existing.map((agent) => [agent.id, agent]))
    const missing = await this.upsert(
      'agent',
      existing,
      file.agents.map((agent) => ({
        id: agent.id,
        // onDuty is the agent's starting duty only: the daily on-duty switch owns it afterwards, so
        // re-applying the file (or a restart with DESK_FILE) never puts anyone back on duty.
        row: {
          id: agent.id,
          name: agent.name,
          number: agent.number,
          active: true,
          ...(known.get(agent.id)?.active ? {} : { onDuty: agent.onDuty }),
        },
      })),
      {
        insert: (row) => tx.insert(agents).values({ ...row, updatedAt: context.now } as typeof agents.$inferInsert),
        update: (id, row) =>
          tx
            .update(agents)
            .set({ ...row, updatedAt: context.now })
            .where(eq(agents.id, String(id))),
      },
    )
    // An agent removed from the file goes off duty; their calls stay in the history.
    for (const agent of missing.filter((agent) => agent.active)) {
      await tx.update(agents).set({ active: false, onDuty: false, updatedAt: context.now }).where(eq(agents.id, agent.id))
      await this.changed(
        'agent',
        agent.id,
        'deactivate',
        { active: true, onDuty: agent.onDuty },
        { active: false, onDuty: false },
      )
    }

    const wanted = file.agents.flatMap((agent) =>
      agent.desks.map((deskId) => ({ agentId: agent.id, deskId, position: positionIn(file, deskId, agent.id) })),
    )
    const current = await tx.select().from(agentDesks)
    const key = (row: { agentId: string; deskId: string }) => `${row.agentId}@${row.deskId}`
    const currentByKey = new Map(current.map((row) => [key(row), row]))
    for (const row of wanted) {
      const had = currentByKey.get(key(row))
      currentByKey.delete(key(row))
      if (had?.position === row.position) continue
      if (had) {
        await tx
          .update(agentDesks)
          .set({ position: row.position })
          .where(and(eq(agentDesks.agentId, row.agentId), eq(agentDesks.deskId, row.deskId)))
        await this.changed('agent-desk', key(row), 'update', { position: had.position }, { position: row.position })
      } else {
        await tx.insert(agentDesks).values(row)
        await this.changed('agent-desk', key(row), 'create', null, row)
      }
    }
    for (const row of currentByKey.values()) {
      await tx.delete(agentDesks).where(and(eq(agentDesks.agentId, row.agentId), eq(agentDesks.deskId, row.deskId)))
      await this.changed('agent-desk', key(row), 'deactivate', row, null)
    }
  }

  async clients(file: DeskFile) {
    const { tx, context } = this
    const existing = await tx.select().from(clients)
    const missing = await this.upsert(
      'client',
      existing,
      file.clients.map((client) => ({
        id: client.id,
        row: clientRecord(client),
      })),
      {
        insert: (row) => tx.insert(clients).values({ ...row, updatedAt: context.now } as typeof clients.$inferInsert),
        update: (id, row) =>
          tx
            .update(clients)
            .set({ ...row, updatedAt: context.now })
            .where(eq(clients.id, String(id))),
      },
    )
    for (const client of missing.filter((client) => client.active)) {
      await tx.update(clients).set({ active: false, updatedAt: context.now }).where(eq(clients.id, client.id))
      await this.changed('client', client.id, 'deactivate', { active: true }, { active: false })
    }

    // Registered numbers identify a caller: a number gone from the file stops identifying anyone.
    const wantedNumbers = new Map(file.clients.flatMap(clientNumberRecords))
    const currentNumbers = await tx.select().from(clientNumbers)
    for (const row of currentNumbers) {
      const wanted = wantedNumbers.get(row.number)
      if (wanted && wanted.clientId === row.clientId && wanted.contact === row.contact && wanted.language === row.language) {
        wantedNumbers.delete(row.number)
      } else if (wanted) {
        await tx.update(clientNumbers).set(wanted).where(eq(clientNumbers.number, row.number))
        await this.changed('client-number', row.number, 'update', row, wanted)
        wantedNumbers.delete(row.number)
      } else {
        await tx.delete(clientNumbers).where(eq(clientNumbers.number, row.number))
        await this.changed('client-number', row.number, 'deactivate', row, null)
      }
    }
    for (const [number, wanted] of wantedNumbers) {
      await tx.insert(clientNumbers).values({ number, ...wanted })
      await this.changed('client-number', number, 'create', null, wanted)
    }

    await this.contracts(file)
  }

  private async contracts(file: DeskFile) {
    const { tx, context } = this
    const existing = await tx.select().from(contracts)
    const wanted = file.clients.flatMap((client) =>
      client.contracts.map((contract) => {
        const id = `${client.id}/${contract.desk}/${contract.start}`
        // A notice recorded through the API stays unless the file states one.
        const row = { ...contractRecord(client.id, contract), active: true }
        const matches = (c: typeof contracts.$inferSelect) =>
          c.clientId === client.id && c.deskId === contract.desk && c.start === contract.start
        return { id, row, matches }
      }),
    )
    const missing = await this.upsert('contract', existing, wanted, {
      insert: (row) => tx.insert(contracts).values({ ...row, updatedAt: context.now } as typeof contracts.$inferInsert),
      update: (id, row) =>
        tx
          .update(contracts)
          .set({ ...row, updatedAt: context.now })
          .where(eq(contracts.id, Number(id))),
    })
    const gone = missing.filter((contract) => contract.active)
    if (gone.length === 0) return
    await tx
      .update(contracts)
      .set({ active: false, updatedAt: context.now })
      .where(
        inArray(
          contracts.id,
          gone.map((contract) => contract.id),
        ),
      )
    for (const contract of gone) {
      await this.changed(
        'contract',
        `${contract.clientId}/${contract.deskId}/${contract.start}`,
        'deactivate',
        { active: true },
        { active: false },
      )
    }
  }
}

/** Sequential ringing follows the order of agents in the file. */
function positionIn(file: DeskFile, deskId: string, agentId: string): number {
  return file.agents.filter((agent) => agent.desks.includes(deskId)).findIndex((agent) => agent.id === agentId)
}
