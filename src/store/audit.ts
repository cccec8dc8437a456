// The audit log: every configuration change, who made it, when, and what before and after.
import { auditLog } from '../../db/schema.js'
import type { Queryable } from '../../db/client.js'

export interface AuditEntry {
  at: Date
  actor: string
  action: string
  entity: string
  entityId: string
  before: unknown
  after: unknown
}

export async function writeAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, before: entry.before ?? null, after: entry.after ?? null })
}
