// The audit log: every configuration change, who made it, when, and what before and after.
import { type SQL, and, desc, eq, lt } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { auditLog } from '../../db/schema.js'

export interface AuditEntry {
  at: Date
  actor: string
  action: string
  entity: string
  entityId: string
  before: unknown
  after: unknown
}

export type AuditRecord = AuditEntry & { id: number }

export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, before: entry.before ?? null, after: entry.after ?? null })
}

/** Newest first, in keyset pages by id (entries only ever append, so pages never shift). */
export async function listAudit(
  db: Queryable,
  filter: { entity?: string | undefined; entityId?: string | undefined },
  page: { limit: number; beforeId?: number | undefined },
): Promise<{ items: AuditRecord[]; next: number | null }> {
  const where: SQL[] = []
  if (filter.entity) where.push(eq(auditLog.entity, filter.entity))
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId))
  if (page.beforeId !== undefined) where.push(lt(auditLog.id, page.beforeId))
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(page.limit + 1)
  const items = rows.slice(0, page.limit)
  const last = items.at(-1)
  return { items, next: rows.length > page.limit && last ? last.id : null }
}
