// The configuration's version: every write to configuration (desks, agents, clients, numbers,
// contracts, calendar decisions) bumps it in its own transaction, so caches can tell they are stale.
import { sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { configVersion } from '../../db/schema.js'

/** Call inside the transaction that changes configuration. */
export async function touchConfiguration(tx: Queryable, now: Date): Promise<void> {
  await tx
    .insert(configVersion)
    .values({ id: 1, version: 1, changedAt: now })
    .onConflictDoUpdate({ target: configVersion.id, set: { version: sql`${configVersion.version} + 1`, changedAt: now } })
}

export async function currentConfigVersion(db: Queryable): Promise<number> {
  const [row] = await db.select({ version: configVersion.version }).from(configVersion)
  return row?.version ?? 0
}
